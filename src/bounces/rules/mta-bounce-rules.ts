// Owns the bounce rules keyed to one MTA family's or provider's own codes and words (Orange/La Poste reply
// codes, Exchange NDR and MSEXCH codes, Mimecast's documented replies, Exim's and qmail's source strings),
// and the words with which a mail system states it has no such mailbox. Each row has an example (tests).
import type { BounceRule, VerdictRule } from './bounce-rule-types.ts';

/** Read before the generic rules of bounce-rules.ts: a family's own code decides over general words. */
export const MTA_BOUNCE_RULES: readonly BounceRule[] = [
  // Orange and La Poste end every reply with their own error code ("LPN007_416", "OFR_506", "OUK_513"):
  // the code is documented and decides over the words (Sisimai's FrancePTT table).
  { reason: 'blocked', pattern: /\b(?:LPN|OFR|OUK)(?:_|\d{3}[-_])(?:102|103|401|510|999)\b/i,
    example: '550 mwinf5c04 ME Adresse IP source bloquee pour incident de spam. Client host blocked for spamming issues. OFR006_102 Ref', sources: [] },
  { reason: 'toomanyconn', pattern: /\b(?:LPN|OFR|OUK)(?:_|\d{3}[-_])104\b/i,
    example: '421 Too many connections, slow down. LPN105_104', sources: [] },
  { reason: 'securityerror', pattern: /\b(?:LPN|OFR|OUK)(?:_|\d{3}[-_])(?:305|402)\b/i,
    example: '550 5.5.0 Authentification requise. Authentication Required. LPN105_402', sources: [] },
  { reason: 'rejected', pattern: /\b(?:LPN|OFR|OUK)(?:_|\d{3}[-_])(?:403|405|415|421)\b/i,
    example: '550 5.0.1 Emetteur invalide. Invalid Sender. LPN105_405', sources: [] },
  { reason: 'userunknown', pattern: /\b(?:LPN|OFR|OUK)(?:_|\d{3}[-_])41[68]\b/i,
    example: '550 5.5.0 Adresse destinataire invalide. Invalid recipient. LPN007_416', sources: ['sendmail'] },
  { reason: 'mailboxfull', pattern: /\b(?:LPN|OFR|OUK)(?:_|\d{3}[-_])417\b/i,
    example: '552 5.1.1 Boite du destinataire pleine. Recipient overquota. OFR_417', sources: [] },
  { reason: 'suspend', pattern: /\b(?:LPN|OFR|OUK)(?:_|\d{3}[-_])(?:420|426)\b/i,
    example: '550 5.5.0 Le compte du destinataire est bloque. The recipient account isblocked. LPN007_426', sources: [] },
  { reason: 'systemerror', pattern: /\b(?:LPN|OFR|OUK)(?:_|\d{3}[-_])505\b/i,
    example: '421 4.2.0 Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR005_505 [505]', sources: ['rhost-franceptt'] },
  { reason: 'spamdetected', pattern: /\b(?:LPN|OFR|OUK)(?:_|\d{3}[-_])506\b/i,
    example: '550 5.2.0 Mail rejete. Mail rejected. OFR_506 [506]', sources: ['rhost-franceptt'] },
  { reason: 'mesgtoobig', pattern: /\b(?:LPN|OFR|OUK)(?:_|\d{3}[-_])514\b/i,
    example: '552 Taille limite du message atteinte. OFR_514', sources: [] },
  // Exchange 2007+ names the failure with an NDR code after the status ("550 5.1.1 RESOLVER.ADR.RecipNotFound").
  { reason: 'hostunknown', pattern: /\bSMTPSEND\.DNS\.NonExistentDomain\b/i,
    example: '554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain', sources: [] },
  { reason: 'networkerror', pattern: /\bSMTPSEND\.DNS\.MxLoopback\b/i,
    example: '554 5.4.4 SMTPSEND.DNS.MxLoopback; DNS records for this domain are configured in a loop', sources: [] },
  { reason: 'systemerror', pattern: /\bRESOLVER\.ADR\.(?:BadPrimary|InvalidInSmtp|Ambiguous)\b/i,
    example: '550 5.2.0 RESOLVER.ADR.BadPrimary; the primary SMTP address is invalid', sources: [] },
  { reason: 'toomanyconn', pattern: /\bRESOLVER\.ADR\.RecipLimit\b/i,
    example: '550 5.5.3 RESOLVER.ADR.RecipLimit; too many recipients', sources: [] },
  { reason: 'securityerror', pattern: /\bRESOLVER\.RST\.AuthRequired\b/i,
    example: '550 5.7.1 RESOLVER.RST.AuthRequired; authentication required', sources: [] },
  { reason: 'rejected', pattern: /\bRESOLVER\.RST\.NotAuthorized\b/i,
    example: '550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized', sources: [] },
  { reason: 'expired', pattern: /\bQUEUE\.Expired\b/i,
    example: "Remote Server at mydomain.com (10.1.1.3) returned '550 4.4.7 QUEUE.Expired; message expired'", sources: [] },
  // Exchange 2003 names the failure with an MSEXCH code in parentheses.
  { reason: 'systemerror', pattern: /\bMSEXCH:[^\n]{0,200}?\((?:00010256|000D06B5)\)/i,
    example: 'MSEXCH:IMS:EXAMPLE:EXCHANGE 0 (00010256) Too many recipients.', sources: [] },
  { reason: 'networkerror', pattern: /\bMSEXCH:[^\n]{0,200}?\(00120270\)/i,
    example: 'MSEXCH:IMS:EXAMPLE:EXCHANGE 0 (00120270) Too Many Hops', sources: [] },
  { reason: 'contenterror', pattern: /\bMSEXCH:[^\n]{0,200}?\((?:00050311|000502CC)\)/i,
    example: 'MSEXCH:IMS:EXAMPLE:EXCHANGE 0 (00050311) Conversion to Internet format failed', sources: [] },
  { reason: 'securityerror', pattern: /\bMSEXCH:[^\n]{0,200}?\(000B0981\)/i,
    example: 'MSEXCH:IMS:EXAMPLE:EXCHANGE 0 (000B0981) 502 Server does not support AUTH', sources: [] },
  { reason: 'filtered', pattern: /\bMSEXCH:[^\n]{0,200}?\(000C0595\)/i,
    example: 'MSEXCH:IMS:EXAMPLE:EXCHANGE 0 (000C0595) Ambiguous Recipient', sources: [] },
  { reason: 'userunknown', pattern: /\bMSEXCH:[^\n]{0,200}?\(000C05A6\)/i,
    example: 'MSEXCH:IMS:EXAMPLE:EXCHANGE 0 (000C05A6) Unknown Recipient', sources: ['exchange2003'] },
  // Domino's and IMail's own notices; au (EZweb) for a recipient whose account is limited.
  { reason: 'filtered', pattern: /\bcannot route mail to user\b/i,
    example: 'Cannot route mail to user (ann@example.org)', sources: [] },
  { reason: 'systemerror', pattern: /\bseveral matches found in Domino Directory\b/i,
    example: 'Several matches found in Domino Directory for ann@example.org', sources: [] },
  { reason: 'mailboxfull', pattern: /\buser mailbox exceeds allowed size\b/i,
    example: 'User mailbox exceeds allowed size: ann@example.org', sources: [] },
  { reason: 'suspend', pattern: /\baccount is temporarily limited\b/i,
    example: 'The user(s) account is temporarily limited.', sources: [] },
  // Courier's esmtpclient, Lotus Notes and au (KDDI) notices.
  { reason: 'systemerror', pattern: /\bthis domain's DNS violates RFC 1035\b/i,
    example: "This domain's DNS violates RFC 1035.", sources: [] },
  { reason: 'networkerror', pattern: /\bDNS lookup failed\.|\bexceeded maximum hop count\b/i,
    example: 'Message has exceeded maximum hop count', sources: [] },
  { reason: 'hostunknown', pattern: /\bas the remote domain doesn'?t exist\b/i,
    example: 'Could not be delivered to: <ann@example.org> As the remote domain doesnt exist.', sources: [] },
  { reason: 'norelaying', pattern: /\bdue to the following SMTP relay error\b/i,
    example: 'Could not be delivered to: <ann@example.org> Due to the following SMTP relay error', sources: [] },
  // fml (a mailing-list manager) refusing a post or stopping a loop.
  { reason: 'rejected', pattern: /\bNOT MEMBER article from\b|\breject mail from\b|\breject spammers:|\bheader may cause mail loop\b/i,
    example: 'NOT MEMBER article from ann@example.org', sources: [] },
  { reason: 'systemerror', pattern: /\bhas detected a loop condition so that\b|\bduplicated Message-ID\b|\bLoop Back Warning:/i,
    example: 'Duplicated Message-ID in <news@example.org>.', sources: [] },
  { reason: 'securityerror', pattern: /\bSecurity alert:/i,
    example: 'Security alert: a message from ann@example.org contains a forbidden command', sources: [] },
  // Mimecast's documented replies (its "SMTP Error Codes" page): a signature hit is a virus verdict.
  { reason: 'virusdetected', pattern: /\bemail rejected due to security policies\b/i,
    example: '554 email rejected due to security policies - MCSpamSignature.sa.2.2', sources: ['rhost-mimecast'] },
  { reason: 'policyviolation', pattern: /\banti-spoofing policy\b|\bcontent examination policy\b|\bhost network not allowed\b/i,
    example: '550 Rejected by header based Anti-Spoofing policy', sources: [] },
  // RFC 3463 X.4.3 "Directory server failure": qmail-ldap names it before its own queue-lifetime words.
  { reason: 'systemerror', pattern: /\bunable to contact LDAP server\b|\bdirectory server failure\b/i,
    example: "Unable to contact LDAP server. (#4.4.3)I'm not going to try again; this message has been in the queue too long.", sources: ['qmail'] },
  // Exim's router and transport errors (routers/dnslookup.c, transports/smtp.c).
  { reason: 'hostunknown', pattern: /\ball host address lookups failed permanently\b|\ball relevant MX records point to non-existent hosts\b|\bcouldn't find any host (?:named|by that name)\b/i,
    example: 'all relevant MX records point to non-existent hosts', sources: ['qmail'] },
  { reason: 'notaccept', pattern: /\bno host found for existing SMTP connection\b/i,
    example: 'no host found for existing SMTP connection', sources: [] },
  // Exim's "Too many \"Received\" headers - suspected mail loop" is about the message's headers.
  { reason: 'contenterror', pattern: /\btoo many "?received"? headers\b/i,
    example: 'Too many "Received" headers - suspected mail loop', sources: [] },
  // Exim's address parser (parser.c) and local delivery refusals (deliver.c, transports/pipe.c).
  { reason: 'syntaxerror', pattern: /\bangle-brackets nested too deep\b|\bexpected word or "<"|\bdomain missing in source-routed address\b|\bmalformed address:/i,
    example: 'malformed address: > may not follow <ann@example.org', sources: [] },
  { reason: 'systemerror', pattern: /\bdelivery to (?:file|pipe) forbidden\b|\blocal delivery failed\b|\bLMTP error after\b/i,
    example: 'delivery to pipe forbidden', sources: [] },
  // qmail-ldap's errors (qmail-ldap patch), and qmail's own words for a full disk at the receiver.
  { reason: 'suspend', pattern: /\bmailaddress is administrative?le?y disabled\b/i,
    example: 'Sorry, your intended recipient is unavailable. Mailaddress is administrativley disabled. (#5.2.1)', sources: [] },
  { reason: 'exceedlimit', pattern: /\bexee?ded the maximum size the user accepts\b/i,
    example: 'The message exeeded the maximum size the user accepts. (#5.2.3)', sources: [] },
  { reason: 'systemerror', pattern: /\bautomatic homedir creat(?:or crashed|ion)\b|\bLDAP (?:attribute|lookup|server)\b|\bwhile executing qmail-forward\b|\btoo many results returned but needs to be unique\b/i,
    example: 'Temporary failure in LDAP lookup. (#4.4.3)', sources: [] },
  { reason: 'systemfull', pattern: /\bmailbox unavailable \(not enough free space\)/i,
    example: '452 Requested action not taken: mailbox unavailable (not enough free space)', sources: [] },
  { reason: 'networkerror', pattern: /\bwasn't able to establish an SMTP connection\b|\bAlthough I'm listed as a best-preference MX\b/i,
    example: "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)", sources: [] },
];

/** Words with which a mail system states that it looked the recipient up in its own directory and found
 * no such mailbox (Domino, Exchange 2003, IMail, InterScan, Verizon's MMS gateway). They weigh like an
 * X.1.1 status (RFC 3463 §3.2): the bare "User unknown" of a remote reply does not (see reasonForStage). */
export const ADDRESS_VERDICT_RULES: readonly VerdictRule[] = [
  { pattern: /ディレクトリのリストにありません/,
    example: 'ann@example.org はディレクトリのリストにありません', sources: [] },
  { pattern: /Domino ディレクトリには見つかりません/,
    example: 'User ann (ann@example.org) は Domino ディレクトリには見つかりません', sources: [] },
  // IMail states it in a line of its own, with no remote reply code: "Unknown user: ann@example.org".
  { pattern: /^(?:[\w-]+; ?)?unknown user: [^\s@]{1,64}@/i,
    example: 'Unknown user: ann@example.org', sources: [] },
  { pattern: /\bnot listed in (?:the )?(?:public )?(?:Name & Address Book|Domino Directory)\b/i,
    example: 'User some.name (ann@example.org) not listed in Domino Directory', sources: ['domino'] },
  // Exchange's directory lookup (Exchange 2007+ "RESOLVER.ADR.RecipNotFound", Exchange Online's
  // "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup").
  { pattern: /\bMSEXCH:[^\n]{0,200}?\(000C05A6\)|\bRESOLVER\.ADR\.(?:Ex)?Recip(?:ient)?NotFound\b|\brecipient not found by SMTP address lookup\b/i,
    example: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup', sources: ['exchange2003', 'exchange2007', 'office365'] },
  { pattern: /\bthe recipient name is not recognized\b/i,
    example: 'The recipient name is not recognized MSEXCH:IMS:EXAMPLE:ANN 0 (000C05A6) Unknown Recipient', sources: [] },
  // Words that say the mailbox does not exist, not merely that it is "unknown" (which filters say too): the
  // mailbox system's own lookup failed, whatever status (5.0.0, 5.2.x, 5.5.0) or stage they come with.
  { pattern: /(?<!\bsender |\bsender's |\bfrom )\b(?:mailbox|account|recipient|addressee|user|e-?mail address)\b.{0,40}?\b(?:does not|doesn't) exist\b/i,
    example: "550 5.5.0 Requested action not taken: the mailbox ann@example.org doesn't exist", sources: ['postfix', 'receivingses', 'rfc3464', 'rhost-google'] },
  { pattern: /\bno mailbox here by that name\b|\bno such (?:mailbox|recipient|account)\b|\bmailbox (?:not found|does not exist|unknown)\b/i,
    example: "Remote host said: 550 sorry, no mailbox here by that name. (#5.1.1)", sources: ['activehunter', 'v5sendmail'] },
  { pattern: /\binvalid (?:recipient|mailbox)\b|\bunknown or illegal (?:alias|user)\b|\b(?:user|recipient) (?:unknown|not found) in (?:\w+ ){0,2}(?:recipient|alias|mailbox|user) (?:table|map|database)\b/i,
    example: '550-Invalid recipient <ann@example.org> (#5.1.1)', sources: ['amavis', 'bigfoot', 'exim', 'mfilter', 'mxlogic', 'postfix', 'sendmail'] },
  // RFC 5321 §4.2.3's own text for a 550 refusing a mailbox (servers send it in reply to RCPT TO).
  { pattern: /\brequested action not taken: mailbox unavailable\b(?! \(not enough free space\))/i,
    example: '550 Requested action not taken: mailbox unavailable (-0000000022:2222:-0000000022)', sources: ['outlook', 'sendmail'] },
  // Yahoo's documented "dd" (does not exist) delivery error.
  { pattern: /\bdelivery error: dd\b.{0,20}?\bdoesn't have an? \S{1,60} account\b/i,
    example: "554 delivery error: dd This user doesn't have a yahoo.com account (ann@yahoo.com) [0] - mta1061.mail.ne1.yahoo.com", sources: ['sendmail'] },
  // Orange / La Poste reply codes 416 and 418: "Adresse d'au moins un destinataire invalide".
  { pattern: /\b(?:LPN|OFR|OUK)(?:_|\d{3}[-_])41[68]\b/i,
    example: '550 5.1.1 Adresse d au moins un destinataire invalide. OFR_416 [416]', sources: [] },
  // au by KDDI (ezweb.ne.jp, au.com) answers a recipient it has no mailbox for with "550 <address>: User
  // unknown", and a mail its recipient's reception filter refused with "550 : User unknown", the address left
  // out (Sisimai's Rhost::KDDI table, from which the corpus's labels come). Only the first is a verdict on
  // the address; the second stays a filter speaking.
  { pattern: /\b5\d\d <[^<>\s@]{1,64}@(?:[\w-]{1,63}\.)*(?:ezweb\.ne\.jp|au\.com)>: user unknown\b/i,
    example: '550 <ann@ezweb.ne.jp>: User unknown', sources: ['ezweb', 'office365', 'postfix', 'rfc3464'] },
  { pattern: /\binvalid (?:final )?delivery userid\b|\bcheck if (?:the )?address is correct\b|\bno valid recipients? for this\b/i,
    example: 'Invalid final delivery userid: ann@example.org', sources: ['imailserver', 'interscanmss', 'verizon'] },
];
