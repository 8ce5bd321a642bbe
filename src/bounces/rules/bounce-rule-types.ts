// Owns the types of the bounce rule tables: the reason vocabulary and the shape of a text rule.

/** Sisimai's reason vocabulary (test/fixtures/bounces/README.md); `feedback`, `vacation`, `delivered` are
 * never produced from an SMTP reply. */
export type BounceReason =
  | 'userunknown' | 'hostunknown' | 'hasmoved' | 'notaccept' | 'mailboxfull' | 'exceedlimit' | 'mesgtoobig'
  | 'suspend' | 'filtered' | 'rejected' | 'blocked' | 'badreputation' | 'requireptr' | 'authfailure'
  | 'notcompliantrfc' | 'spamdetected' | 'virusdetected' | 'policyviolation' | 'securityerror'
  | 'contenterror' | 'norelaying' | 'speeding' | 'toomanyconn' | 'expired' | 'networkerror' | 'systemerror'
  | 'systemfull' | 'mailererror' | 'syntaxerror' | 'failedstarttls' | 'suppressed' | 'onhold' | 'undefined';

export interface BounceRule {
  readonly reason: BounceReason;
  readonly pattern: RegExp;
  /** A reply this pattern must match and that must classify to `reason` (checked by the tests). */
  readonly example: string;
}

/** A statement that a mailbox does not exist, weighed like an X.1.1 status (see ADDRESS_VERDICT_RULES). */
export interface VerdictRule {
  readonly pattern: RegExp;
  readonly example: string;
}

