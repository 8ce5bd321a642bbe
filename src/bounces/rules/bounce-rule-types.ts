// Owns the types of the bounce rule tables: the reason vocabulary, the shape of a rule and where it came from.

/** Sisimai's reason vocabulary (test/fixtures/bounces/README.md); `feedback`, `vacation`, `delivered` are
 * never produced from an SMTP reply. */
export type BounceReason =
  | 'userunknown' | 'hostunknown' | 'hasmoved' | 'notaccept' | 'mailboxfull' | 'exceedlimit' | 'mesgtoobig'
  | 'suspend' | 'filtered' | 'rejected' | 'blocked' | 'badreputation' | 'requireptr' | 'authfailure'
  | 'notcompliantrfc' | 'spamdetected' | 'virusdetected' | 'policyviolation' | 'securityerror'
  | 'contenterror' | 'norelaying' | 'speeding' | 'toomanyconn' | 'expired' | 'networkerror' | 'systemerror'
  | 'systemfull' | 'mailererror' | 'syntaxerror' | 'failedstarttls' | 'suppressed' | 'onhold' | 'undefined';

/** What every rule row carries beside its pattern. */
export interface RuleProvenance {
  /** A reply this pattern must match and that the rule, not an earlier one, must decide (checked by the tests). */
  readonly example: string;
  /** The MTA families of the labelled corpus (its folder names under test/fixtures/bounces/corpus) whose files
   * the rule matches: the evidence it may have been fitted to. Empty for a rule written only from a
   * published meaning (an RFC, a provider's documented replies) that no corpus file shows. The
   * leave-one-source-out benchmark turns a rule off while it scores the one family it comes from alone;
   * `npm run bench:bounces -- --rule-sources` measures these lists and `--write-rule-sources` rewrites them. */
  readonly sources: readonly string[];
}

export interface BounceRule extends RuleProvenance {
  readonly reason: BounceReason;
  readonly pattern: RegExp;
}

/** A statement that a mailbox does not exist, weighed like an X.1.1 status (see ADDRESS_VERDICT_RULES). */
export interface VerdictRule extends RuleProvenance {
  readonly pattern: RegExp;
}

export type SmtpStage = 'connect' | 'mail' | 'rcpt' | 'data';

/** How a notice names the SMTP command a refusal answered. */
export interface StageRule extends RuleProvenance {
  readonly stage: SmtpStage;
  readonly pattern: RegExp;
}

/** The rows classification reads. One set holds them all; the benchmark builds sets without one family's. */
export interface BounceRuleSet {
  /** Reply-text rules, most specific first: the first match wins. */
  readonly text: readonly BounceRule[];
  readonly verdicts: readonly VerdictRule[];
  readonly stages: readonly StageRule[];
}
