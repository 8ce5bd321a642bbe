// Owns the generic bounce classification data: reply-text rules shared by many MTA families.
//
// Modelled on ZoneMTA's config/bounces.txt: each rule is a pattern with a real-looking reply beside it,
// and one function (classifySmtpReply) reads the tables. Rules describe reply *patterns* shared by an MTA
// family or by many servers, so the same table also classifies the Diagnostic-Code of DSNs (RFC 3464
// §2.3.6). Patterns are matched, case-insensitively, against the reply with whitespace collapsed and the
// "550-5.1.1 " continuation markers of multi-line replies (RFC 5321 §4.2.1) removed.
//
// Patterns must stay linear: no nested quantifiers and only bounded gaps (`.{0,60}?`), because replies come
// from remote servers and may be hostile or huge.
import { MTA_BOUNCE_RULES } from './mta-bounce-rules.ts';
import type { BounceRule } from './bounce-rule-types.ts';

export type { BounceReason, BounceRule, BounceRuleSet, VerdictRule } from './bounce-rule-types.ts';
export { ADDRESS_VERDICT_RULES } from './mta-bounce-rules.ts';
export { CODE_RULES, STATUS_RULES, type CodeRule, type StatusRule } from './bounce-status-rules.ts';

/** Text rules, most specific first: the first match wins. */
export const BOUNCE_RULES: readonly BounceRule[] = [
  ...MTA_BOUNCE_RULES,
  // A final DSN about a queue timeout names the last attempt's error too: the expiry is the outcome.
  // Rules of expiry are written one meaning per alternative (what expired; which time limit ran out), so
  // that each MTA's wording of it is one reading of a meaning rather than a phrase of its own.
  { reason: 'expired', pattern: /\b(?:(?:message|envelope|delivery(?: time)?) (?:has )?expired|expired (?:in|after sitting in) (?:the )?queue)\b/i,
    example: 'smtp; 554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>', sources: ['amazonses', 'amazonworkmail', 'office365', 'opensmtpd'] },
  // cPanel's Exim template for a recipient domain whose host lookup failed; it names block lists only as
  // a possibility, so it comes before the block-list rules.
  { reason: 'hostunknown', pattern: /\bthe account or domain may not exist\b/i,
    example: 'The mail server could not deliver mail to ann@example.net. The account or domain may not exist, they may be blacklisted, or missing the proper dns entries.', sources: ['exim'] },
  // Not delivered within the time the queue allows: EZweb (au) "Your message was not delivered within 0 days
  // and 1 hours", DragonFly "Could not deliver for the last 432000 seconds".
  { reason: 'expired', pattern: /\b(?:not (?:been )?delivered within \d+ days?|could not (?:be )?deliver(?:ed)? for (?:the last|more than) \d+ (?:seconds|minutes|hours|days))\b/i,
    example: 'Your message was not delivered within 0 days and 1 hours. Remote host is not responding.', sources: ['dragonfly', 'ezweb'] },
  { reason: 'expired', pattern: /\bcould not find a gateway for\b|\bfailed to deliver to domain \S{1,253} after \d+ tries\b|\bit has not been collected after\b|\bmessage timed out\b|\bwas not reachable within the allowed queue period\b/i,
    example: 'Failed to deliver to domain example.org after 24 tries', sources: [] },

  // RFC 7505 null MX: the domain declares it accepts no mail. A sender's null MX (5.7.27) is `rejected`.
  // Sendmail's and Exim's words for a host that takes no mail (RFC 7505 null MX, RFC 7504 521).
  { reason: 'notaccept', pattern: /\bnot accepting network messages\b|\bMX or SRV record indicated no SMTP service\b/i,
    example: '521 5.3.2 <ann@example.org>: Recipient address rejected: System not accepting network messages', sources: ['dragonfly', 'mailru'] },
  // The domain exists but names no mail exchanger and no address (qmail's perm_nomx, OpenSMTPD): nothing
  // can receive its mail, which is what a null MX declares too.
  { reason: 'notaccept', pattern: /\bcouldn't find a mail exchanger or IP address\b|\bno MX (?:record )?found for (?:the )?domain\b/i,
    example: "Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)", sources: ['opensmtpd', 'qmail'] },
  { reason: 'notaccept', pattern: /\bnull MX\b|\b(?:host|domain|server) does not accept (?:any )?(?:e-?)?mail\b(?! from)/i,
    example: '556 5.1.10 Recipient address has null MX', sources: ['messagingserver', 'rfc3464', 'sendmail'] },

  // RFC 5321 §3.4: 551 "User not local; please try <forward-path>".
  { reason: 'hasmoved', pattern: /\bno longer on (?:this )?server\b|\buser not local\b|\bnot our user\b|\baddress has (?:been )?(?:moved|changed)\b/i,
    example: '551 5.1.6 User not local; please try <ann.lee@example.net>', sources: ['postfix', 'rfc3464', 'sendmail'] },

  { reason: 'suppressed', pattern: /\bsuppression list\b|\bhas suppressed sending\b/i,
    example: '550 5.1.1 Amazon SES did not send the message to this address because it is on the suppression list for your account', sources: [] },

  // "Your account" is the sender's own account at a relay: that is not the recipient's suspension.
  { reason: 'suspend', pattern: /(?<!your )\b(?:account|mailbox)\b.{0,40}?\b(?:has been|is|was) (?:temporarily )?(?:disabled|suspended|deactivated|inactive|frozen|closed|discontinued)\b/i,
    example: '550 5.2.1 The email account that you tried to reach is disabled. Learn more at https://support.google.com/mail/?p=DisabledUser', sources: ['ezweb', 'postfix', 'rhost-google'] },
  { reason: 'suspend', pattern: /\b(?:user|recipient|mailbox|account)\b.{0,60}?\btemporar(?:il)?y locked\b|\b(?:mailbox|account) (?:disabled|suspended|inactive|frozen)\b/i,
    example: '550 5.7.1 <ann@example.com>: Recipient address rejected: User ann@example.com temporary locked. Please try again later!', sources: ['amazonses', 'dragonfly'] },
  { reason: 'suspend', pattern: /\binvalid\/inactive user\b|\bis a deactivated mailbox\b|\bmailbox currently suspended\b|\bmailbox unavailable or access denied\b|\buser suspended\b|\brecipient suspend the service\b|\baccount has been disabled or discontinued\b|\baccount is locked\b/i,
    example: '550 5.2.1 <ann@example.org>... Mailbox currently suspended - Please contact correspondent directly', sources: [] },

  { reason: 'mailboxfull', pattern: /\b(?:mail ?box|inbox|mail folder)(?: is)? (?:full|over ?quota)\b|\bfull mailbox\b/i,
    example: '550 5.2.2 STOREDRV.Deliver: mailbox full. The following information should help identify the cause: "MapiExceptionShutoffQuotaExceeded"', sources: ['amazonses', 'amazonworkmail', 'dragonfly', 'exchange2007', 'exim', 'gmail', 'gmx', 'kddi', 'mailru', 'messagingserver', 'office365', 'opensmtpd', 'outlook', 'qmail', 'rhost-aol', 'rhost-outlook', 'yahoo', 'zoho'] },
  { reason: 'mailboxfull', pattern: /\bover ?quota\b|\bquota (?:exceed(?:ed)?|full|limit (?:exceeded|reached))\b|\bexceed(?:s|ed)? (?:its |the |their |his |her )?(?:storage|disk|mailbox|quota)\b|\bQuotaExceeded\b/i,
    example: '552 5.2.2 <ann@icloud.com>: user is over quota', sources: ['mailfoundry', 'postfix', 'qmail', 'rfc3464', 'rhost-apple', 'x2', 'x3'] },
  { reason: 'mailboxfull', pattern: /メールボックスが(?:一杯|いっぱい)|容量(?:が|を)?(?:超過|オーバー)/,
    example: '送信先のメールボックスが一杯のため、送信できませんでした。', sources: [] },
  { reason: 'mailboxfull', pattern: /\bout of storage space\b|\bmailbox (?:size|storage) limit\b/i,
    example: '452-4.2.2 The recipient\'s inbox is out of storage space. Please direct the recipient to 452 4.2.2 https://support.google.com/mail/?p=OverQuotaTemp', sources: [] },
  { reason: 'mailboxfull', pattern: /\bdoes not have enough space\b|\bnot enough storage space in\b|\bexceeded storage allocation\b|\bexceeded its disk space limit\b|\bmailbox exceeded the local limit\b|\bmail ?folder is full\b|\bdis[ck] quota exceeded\b|\bquota violation for\b|\bspace has been used up\b|\btoo much mail data\b|\btoo many messages on the server\b|\bwould exceed maximum allowed storage\b/i,
    example: '552 5.2.2 <ann@example.org>... Mailbox exceeded the local limit', sources: [] },

  // RFC 3463 X.2.3: the recipient's own size limit, not the system's (X.3.4).
  { reason: 'exceedlimit', pattern: /\btoo (?:large|big) for this recipient\b|\bRecipSizeLimit\b|\bexceeds? (?:the )?(?:size )?limit set by (?:the )?recipient\b|\brecipient'?s? (?:message )?size limit\b|\bsize limit (?:set by|of) the recipient\b/i,
    example: '550 5.2.3 RESOLVER.RST.RecipSizeLimit; message too large for this recipient', sources: ['exchange2007'] },
  { reason: 'mesgtoobig', pattern: /\bmessage (?:is )?too (?:large|big)\b|\bmessage (?:size|length) exceeds\b|\bexceeds? (?:the )?(?:fixed )?(?:maximum|max\.?) (?:allowed )?(?:message )?size\b|\bsize limit exceeded\b/i,
    example: '552 5.3.4 Message size exceeds fixed maximum message size', sources: ['dragonfly', 'einsundeins', 'receivingses'] },
  { reason: 'mesgtoobig', pattern: /\bexceeded (?:the )?maximum (?:inbound|incoming) message size\b|\bmax(?:imum)? message size exceeded\b|\bmessage file too big\b|\bmessage size exceeds (?:fixed limit|maximum value)\b|\bline limit exceeded\b|\btaille limite du message atteinte\b/i,
    example: '552 5.3.4 Error: message file too big', sources: [] },

  { reason: 'virusdetected', pattern: /\bvirus(?:es)?\b|\bmalware\b|\binfected\b|\btrojan\b/i,
    example: '554 5.7.1 The message was rejected because it contains prohibited virus or spam content', sources: ['dragonfly', 'postfix'] },

  // Gmail's reputation, DMARC and RFC 5322 replies all say "to protect our users from spam": those rules
  // come first, and spam rules name a verdict ("detected as spam"), never the bare word.
  // The message breaks RFC 5322 (a header missing, doubled or malformed).
  { reason: 'notcompliantrfc', pattern: /\bnot RFC ?(?:5322|2822|822) compliant\b|\bRFC ?(?:5322|2822|822) (?:compliance|specifications)\b|\bmultiple (?:\w+ )?(?:addresses in From|From|Subject|Date|To|Sender|Message-ID):? headers?\b|\bduplicate (?:\w+ )?headers?\b|\bmissing (?:required )?(?:From|Date|Message-ID) header\b/i,
    example: '550-5.7.1 This message is not RFC 5322 compliant. There are multiple Subject headers. To reduce the amount of spam sent to Gmail, this message has been blocked.', sources: ['postfix', 'rhost-google'] },

  { reason: 'spamdetected', pattern: /\b(?:classified|identified|detected|considered|flagged|marked|rejected|blocked) as spam\b|\bspam (?:detected|message|content|score|classification|signature)\b|\blooks like spam\b|\bprobability of (?:being )?spam\b|\bUBE\b|\b(?:likely )?unsolicited (?:bulk |commercial )?(?:e-?)?mail\b/i,
    example: '550 5.7.350 Remote server returned message detected as spam', sources: ['barracuda', 'dragonfly', 'rfc3464'] },
  { reason: 'spamdetected', pattern: /\b(?:black|block)listed URL\b|\bURL (?:is )?(?:black|block)listed\b/i,
    example: '550-REJECTED - Blacklisted URL in message. (example.com) in [black]', sources: ['imailserver'] },
  { reason: 'spamdetected', pattern: /\bmessage content rejected\b|\breject, id=[^\n]{1,80}? - spam\b/i,
    example: 'smtp; 550 5.7.1 Message content rejected, id=12345-01 - BANNED: application/x-msdownload', sources: ['exim', 'receivingses', 'sendmail'] },
  // More spam verdicts as servers word them (Sisimai's SpamDetected list).
  { reason: 'spamdetected', pattern: /\bblock(?:ed)? for spam\b|\bblocked by spamassassin\b|\bbulk (?:e-?mail|advertising)\b|\bcontent filter rejection\b|\bdenied due to spam list\b|\bmail content denied\b|\bmay consider spam\b|\bmessage rejected (?:as spam|because of unacceptable content|due to suspected spam content)\b|\bthinks this email is spam\b|\bprobable spam\b|\bspamassassin score\b|\brejected due to spam content\b|\brejecting banned content\b|\bspam-like\b|\bspam (?:blocked|check|content matched|e-?mail|not accepted|refused|rejection|message rejected)\b|\bspambouncer\b|\bspamming not allowed\b|\btoo much spam\b|\bspam filtering engine\b|\bclassification as bulk mail\b|\blooked like spam\b|\bappears to be spam\b|\b(?:identified|scored) as spam\b|\bspam points\b|\bRecurrent Pattern Detection System\b|\bwe dont accept spam\b|\busing a mass mailer\b|\bappears similar to spam\b|\bURIBL\b|\b(?:considered|probably) spam\b|\btriggered a SPAM block\b|\bspam contents\b|\bantispam checks\b|\btemporarily blocked by our filter\b/i,
    example: '550 5.7.1 Your message has triggered a SPAM block and has been rejected', sources: [] },

  // The sender's domain failed authentication as a whole (DMARC, RFC 7489; RFC 7372 X.7.26), in each provider's words.
  { reason: 'authfailure', pattern: /\bDMARC\b|\bmultiple authentication checks failed\b|\bunauthenticated e-?mail\b|\brequired authentication level\b/i,
    example: '550-5.7.26 Unauthenticated email from example.org is not accepted due to domain\'s DMARC policy. Please contact the administrator of example.org domain.', sources: ['dragonfly', 'opensmtpd', 'postfix', 'qmail', 'rhost-tencent', 'sendmail'] },
  { reason: 'authfailure', pattern: /\bSPF (?:check|record|validation|fail|hard ?fail|soft ?fail|policy|authentication)|\bfails? to pass SPF\b|\b(?:bad|invalid) SPF\b|\bsender policy framework\b/i,
    example: '550 5.7.23 Message rejected due to SPF check failure for example.org', sources: ['exim', 'rhost-google', 'sendmail'] },
  { reason: 'authfailure', pattern: /\/\/spf\.pobox\.com\b|\bsender policy framework (?:\(SPF\) fail|violation)\b|\bSPF \(sender policy framework\) domain authentication fail\b|\bplease inspect your SPF settings\b|\bis not allowed to send from <[^>]{1,254}> per it's SPF record\b/i,
    example: '550 5.7.1 Please see http://spf.pobox.com/why.html?sender=news%40example.net&ip=192.0.2.1&receiver=mx.example.org', sources: [] },
  { reason: 'authfailure', pattern: /\bDKIM (?:signature|check|validation|fail|verification)|\b(?:bad|invalid|missing|failed) DKIM\b/i,
    example: '550 5.7.20 No passing DKIM signature found', sources: [] },

  // The message's format is refused: headers, lines, MIME structure, 8-bit data (RFC 3463 X.6).
  { reason: 'contenterror', pattern: /\bheaders? (?:too (?:large|long)|exceed)|\bline too long\b|\b(?:invalid|malformed) (?:MIME|header|content)\b|\b8-?bit (?:data|content) not (?:allowed|supported)\b|\bimproper use of 8-bit data in message header\b|\bheader size, or recipient list, exceeds policy limit\b|\bMIME complexity exceeds the policy maximum\b|\bcontains? (?:invalid MIME headers|improperly-formatted binary content|text that uses unnecessary base64 encoding)\b/i,
    example: '552 5.6.0 Headers too large (32000 max)', sources: ['sendmail'] },

  // RFC 7372 X.7.25: the sending IP has no (matching) reverse DNS name, in each MTA's words.
  { reason: 'requireptr', pattern: /\b(?:reverse (?:DNS|lookup|hostname|resolution)|unverif(?:y|i)able sending IPs?|rDNS|PTR|cannot find your (?:reverse )?hostname|(?:IP|client|host) name lookup failed)\b/i,
    example: '550-5.7.25 [192.0.2.1] The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP.', sources: ['exim', 'sendmail'] },

  // A DNSBL listing is a block even when the list is called a "reputation" list (Barracuda, Cloudmark).
  { reason: 'blocked', pattern: /\bblocked using\b|\bDNSBL\b|\bRBL\b|\bspamhaus\b|\bspamcop\b|\bsorbs\b|\bbarracudacentral\b/i,
    example: '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1', sources: ['amazonses', 'gmail'] },
  { reason: 'badreputation', pattern: /\breputation\b|\b(?:user|spam) complaints\b/i,
    example: '451 4.7.650 The mail server [192.0.2.25] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775)', sources: ['postfix', 'rhost-microsoft'] },

  // Sisimai's `toomanyconn` also covers RFC 5321 §4.5.3.1.10 "too many recipients" (X.5.3).
  { reason: 'toomanyconn', pattern: /\btoo many (?:\w+ )?(?:connections|sessions)\b|\bconnection (?:frequency|rate|count) limit|\bconnection limit\b|\b(?:IP|domain|sender|sending|mail) frequency limit|\bfrequency limited\b|\bexceed(?:s|ed)? (?:the )?(?:sending )?frequency\b|\bat maximum connection limit\b|\bexceeds per-domain connection limit\b|\bthrottling failure: (?:daily message quota|maximum sending rate) exceeded\b|\btoo many errors from your ip\b|\btrop de connexions\b|\balready made numerous attempts to deliver this message\b|\btoo many recipients\b(?!.{0,30}?\b(?:per|this|an|in the last) (?:hour|minute|day|second)s?\b)/i,
    example: '421 4.7.0 mx.example.org Error: too many connections from 192.0.2.1', sources: ['postfix', 'rhost-tencent'] },

  { reason: 'speeding', pattern: /\bat a rate that\b|\bexceed(?:ed|s)? the (?:allowed )?rate\b|\brate limit(?:ed|ing)?\b|\bsending too fast\b|\btoo (?:many|much) (?:\w+ )?(?:messages|mails?|e-?mails|recipients)\b.{0,30}?\b(?:per|this|an|in the last) (?:hour|minute|day|second)s?\b/i,
    example: '550-5.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.', sources: ['postfix', 'rhost-godaddy'] },

  // A sender address or domain on a block list is the sender refused (`rejected`); the IP's listing below is `blocked`.
  { reason: 'rejected', pattern: /\b(?:sender|envelope sender|from address|mail from|your e-?mail)(?: e-?mail)?(?: address| domain)?(?: <[^>\s]{1,254}>| \S{1,254}@\S{1,254})? (?:is |has been |was )?(?:black|block|deny|ban)[ -]?listed\b|\b(?:black|block)[ -]?listed (?:sender|from address|sender domain)\b|\bsender (?:address |domain )?(?:is )?(?:on (?:a|our|the) )?(?:black|block|deny)[ -]?list\b|\bsender (?:address |domain )?(?:is )?banned\b/i,
    example: '550 5.7.1 Sender address <news@example.net> is blacklisted', sources: [] },
  // RFC 6647 greylisting: a temporary refusal of an unknown client; it must not reach the
  // "recipient address rejected" rule below, which would make it a hard bounce.
  { reason: 'blocked', pattern: /\bgrey ?listed\b|\bgreylisting\b|\bgray ?listed\b/i,
    example: '450 4.2.0 <ann@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html', sources: [] },
  { reason: 'blocked', pattern: /\b(?:black|block|deny|ban)[ -]?list(?:ed)?\b/i,
    example: '550 SC-002 (SNT004-MC1F20) Unfortunately, messages from 192.0.2.1 weren\'t sent. Please contact your Internet service provider since part of their network is on our block list.', sources: ['exim', 'sendmail'] },
  { reason: 'blocked', pattern: /\binvalid IP for sending\b/i,
    example: '554 INVALID IP FOR SENDING MAIL OF DOMAIN example.net [RCPT_TO]', sources: ['yahoo'] },
  // The receiving server refuses connections from the sending host (at the greeting or for its IP).
  { reason: 'blocked', pattern: /\bclient host rejected\b|\b(?:refused to talk to me|not accepting connections|connections? (?:not accepted|will not be accepted|refused) from|not accepted from (?:this|your) IP)\b|\b(?:banned|blocked) (?:sending )?(?:IP|host|client)\b|\byour (?:IP|server|host)\b.{0,40}?\b(?:is )?(?:blocked|banned)\b|\b(?:IP|host|client)\b.{0,40}?\bnot (?:in|on) (?:the |our )?(?:white|allow)[ -]?list\b/i,
    example: '554 5.7.1 <unknown[192.0.2.1]>: Client host rejected: Access denied', sources: ['postfix', 'qmail', 'sendmail'] },

  { reason: 'norelaying', pattern: /\brelay(?:ing)? (?:access )?(?:denied|not permitted|not allowed|prohibited|refused)\b|\bnot (?:configured|permitted|allowed|authori[sz]ed) to relay\b|\bunable to relay\b|\bwe do not relay\b|\ballowed rcpthosts\b/i,
    example: '554 5.7.1 <ann@example.org>: Relay access denied', sources: ['postfix'] },
  { reason: 'norelaying', pattern: /\bas a relay\b|\binsecure mail relay\b|\brequires authentication when attempting to send to a non-local e-mail address\b|\bnot an open relay\b|\bnot configured to relay mail\b|\bthat domain isn't in my list of allowed rcpthosts?\b/i,
    example: '550 5.7.1 Mail server is not an open relay', sources: [] },

  // The sender (MAIL FROM) was refused, including a failed Sender ID check (RFC 4406). Before hostunknown:
  // these texts say "domain not found" too.
  // Gmail's "Send mail as" alias check refuses the sender, not the recipient.
  { reason: 'rejected', pattern: /\bsend mail as\b/i,
    example: "** Message not delivered ** You're sending this from a different address or alias using the 'Send mail as' feature.", sources: ['googleworkspace'] },
  { reason: 'rejected', pattern: /\bsender address rejected\b|\bdomain of sender address\b|\bsender (?:verify|verification) failed\b|\bverification failed for <|\bsender (?:is |was )?(?:rejected|refused|denied|not allowed)\b|\b(?:sender|MAIL FROM) (?:address |domain )?(?:\S{1,100} )?(?:does not exist|not found|unknown|invalid)\b|\bsender ID\b|\bpurported responsible address\b|\bFrom: Domain is invalid\b|\bprovide a valid From\b/i,
    example: '550-Verification failed for <bounce@example.net> 550-Unrouteable address 550 Sender verify failed', sources: ['courier', 'exim', 'office365', 'postfix', 'qmail', 'yahoo'] },
  { reason: 'rejected', pattern: /\bis not a registered gateway user\b|\bmail from not owned by user\b|\b(?:empty envelope senders?|null sender) (?:is )?not allowed\b|\bfully qualified email address required\b|\binvalid sender\b|\bemetteur invalide\b|\bunroutable sender address\b|\bsender (?:domain is empty|not pre-approved|is spammer)\b|\bsender domain listed at\b|\bhas an outgoing mail suspension\b|\bserver does not accept mail from\b|\breturned mail not accepted here\b|\bbadsendermx\b|\bsendernoa\b|\btoo many spam complaints\b|\bspam reporting address\b|\bmailfrom domain is listed in\b|\bconnections not accepted from servers without a valid sender domain\b|\byour access to submit messages to this e-mail system has been rejected\b|\byour email address has been blacklisted\b/i,
    example: "550 'ann@example.org' is not a registered gateway user", sources: ['rfc3464'] },
  // Sendmail's access database (and many filters) answer a REJECT entry with a bare "Access denied".
  { reason: 'rejected', pattern: /^(?:[\w-]+; ?)?(?:[45]\d\d[ -])?(?:[45]\.\d{1,3}\.\d{1,3} )?(?:<[^>]{0,200}>\.{0,3}:? ?)?access denied\b/i,
    example: '550 5.7.1 <news@example.net>... Access denied', sources: ['postfix'] },

  // Google Groups answers in the poster's language; its help link is the same in all of them.
  // A mailing list or group that refuses the poster refuses the sender: one meaning, each list's words.
  { reason: 'rejected', pattern: /\bgroups\.google\.com\/support\b|\b(?:not a member of (?:this|the) (?:mailing )?(?:list|group)|not (?:have|been given) permission to post|not allowed to post to (?:this|the) (?:mailing )?(?:list|group)|by non-member to a members-only list|group you tried to contact)\b/i,
    example: 'We\'re writing to let you know that the group you tried to contact (news) may not exist, or you may not have permission to post messages to the group. https://groups.google.com/support/', sources: ['fml', 'googlegroups'] },
  { reason: 'filtered', pattern: /\brecipient preferences\b|\b(?:refused|rejected) by (?:the )?recipient\b(?! domain)|\bmessage filtered\b|\buser (?:has )?(?:rejected|refused)\b|\bonly accepting mail from\b/i,
    example: '550 5.1.1 RCP-P2 http://postmaster.facebook.com/response_codes?ip=192.0.2.1#rcp Refused due to recipient preferences', sources: ['receivingses', 'rhost-facebook'] },
  // "User unknown" under a policy (X.7) or undefined (X.0) code is a filter speaking
  // for the mailbox, not the mailbox system: RFC 3463 §3.3 reserves X.1.x for addressing failures. Erring
  // soft here is cheaper than a wrong hard bounce, which would suppress a real recipient.
  { reason: 'filtered', pattern: /(?<![\d.])[45]\.[07]\.\d{1,3}\b.{0,80}?\b(?:user unknown|unknown user|no such user)\b/i,
    example: '550 5.7.1 <ann@example.fr>: Recipient address rejected: User unknown', sources: ['messagingserver', 'sendmail'] },

  // Temporary DNS failures first: Postfix says "Host not found, try again" for SERVFAIL.
  // A DNS query that failed (Office 365's 4.4.312 "DNS query failed", a lookup timeout) or MXs that could not
  // be reached (Gmail's "Network error on destination MXs") is trouble on the way, not a verdict on the domain.
  { reason: 'networkerror', pattern: /\bDNS query failed\b|\bnetwork error on (?:the )?destination MXs?\b|\bDNS (?:lookup |query |resolution )?(?:timed out|timeout)\b|\btemporary DNS (?:failure|error)\b|\bDNS (?:server|servers) (?:failed|not responding|unreachable)\b/i,
    example: '451 4.4.312 DNS query failed. The error was: DNS query failed with error: ServerFailure', sources: [] },
  { reason: 'networkerror', pattern: /\bmalformed or unexpected name server reply\b|\bhost name lookup failure\b|\bhost not found, try again\b|\btemporary failure in name resolution\b|\bSERVFAIL\b|\bcould not contact DNS servers\b/i,
    example: 'X-Postfix; Host or domain name not found. Name service error for name=example.org type=MX: Host not found, try again', sources: ['postfix', 'rfc3464', 'rhost-aol', 'sendmail'] },

  // The recipient's domain has no DNS name (NXDOMAIN), in each MTA's words: "Host unknown", "Host or domain
  // name not found", DragonFly's "DNS lookup failure: host nowhere.example not found".
  { reason: 'hostunknown', pattern: /\b(?:host (?:or domain name )?(?:unknown|not found)|host [\w.-]{1,253} not found|(?:domain|host) name not found)\b(?!,? try again)|\bunrouteable (?:mail )?(?:address|domain)\b|\bno such domain\b|\bdomain (?:does not exist|not found|unknown)\b|\bNXDOMAIN\b|\bunknown (?:host|domain)\b/i,
    example: '550 5.1.2 <ann@nonexistent.example>... Host unknown (Name server: nonexistent.example: host not found)', sources: ['dragonfly', 'opensmtpd', 'rfc3464', 'rhost-aol', 'sendmail', 'v5sendmail'] },
  { reason: 'hostunknown', pattern: /\b(?:recipient )?domain must exist\b|\bmail domain mentioned in email address is unknown\b|\bname or service not known\b|\bunknown domain name\b|\bdomain is not reachable\b/i,
    example: '550 5.1.2 <ann@nowhere.example>: Recipient address rejected: Recipient domain must exist', sources: [] },

  // The sender's address not existing ("Domain of sender address ... does not exist") is no missing recipient.
  { reason: 'userunknown', pattern: /(?<!\bsender |\bsender's |\bfrom )\b(?:user|recipient|mailbox|address|account|addressee)\b.{0,60}?\b(?:does not|doesn't|do not|not) exist\b/i,
    example: '550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient\'s email address for typos or 550-5.1.1 unnecessary spaces.', sources: ['exim', 'postfix', 'receivingses', 'rfc3464', 'rhost-google'] },
  { reason: 'userunknown', pattern: /\b(?:user|recipient|mailbox|addressee|e-?mail address)(?: name)? (?:is )?(?:unknown|not found|not known|invalid|not valid)\b/i,
    example: '550 5.1.1 <ann@example.com>: Recipient address rejected: User unknown in virtual mailbox table', sources: ['amavis', 'amazonses', 'dragonfly', 'exchange2003', 'exim', 'ezweb', 'gmail', 'gmx', 'mailru', 'mcafee', 'messagingserver', 'mfilter', 'mxlogic', 'office365', 'opensmtpd', 'outlook', 'postfix', 'powermta', 'qmail', 'rfc3464', 'rhost-google', 'rhost-outlook', 'sendgrid', 'sendmail', 'v5sendmail', 'x1', 'x5', 'x6', 'yahoo', 'yandex', 'zoho'] },
  { reason: 'userunknown', pattern: /\b(?:unknown|invalid|non-?existent|bad) (?:user|recipient|mailbox|addressee|local[- ]part|(?:e-?mail )?address(?! error))\b|\bno such (?:user|recipient|mailbox|address|account|person|e-?mail)\b|\bno mailbox\b|\bno account by that name\b/i,
    example: '550 sorry, no mailbox here by that name. (#5.1.1)', sources: ['activehunter', 'amazonses', 'apachejames', 'bigfoot', 'courier', 'mcafee', 'mfilter', 'mxlogic', 'office365', 'rfc3464', 'rhost-nttdocomo', 'sendmail', 'surfcontrol', 'x3', 'zoho'] },
  // IMail "Invalid final delivery userid", Verizon "No valid recipients", InterScan "check if address is correct".
  { reason: 'userunknown', pattern: /\binvalid (?:final )?delivery userid\b|\bno valid recipients?\b|\bcheck if (?:the )?address is correct\b/i,
    example: 'Invalid final delivery userid: ann@example.org', sources: ['imailserver', 'interscanmss', 'sendmail', 'verizon'] },
  { reason: 'userunknown', pattern: /\bRecip(?:ient)?NotFound\b|\bnot a (?:valid|known) (?:user|recipient|mailbox|address)\b|\bnot listed in (?:the )?(?:public )?(?:Name & Address Book|Domino Directory|directory)\b/i,
    example: '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found', sources: ['domino', 'exchange2007', 'office365'] },
  { reason: 'userunknown', pattern: /\bdoes(?:n't| not) have an? \S{1,60} account\b/i,
    example: '554 delivery error: dd This user doesn\'t have a yahoo.com account (ann@yahoo.com) [0] - mta1010.mail.ne1.yahoo.com', sources: ['sendmail', 'x2'] },
  // More of the ways servers say a mailbox does not exist (Sisimai's UserUnknown list).
  { reason: 'userunknown', pattern: /#5\.1\.1 bad address\b|\baddress unknown\b|\barchived recipient\b|\bbad[-_ ]recipient\b|\bcan't accept user\b|\bdestination addresses were unknown\b|\bdestination server rejected recipients\b|\bemail address could not be found\b|\binvalid mailbox(?: path|:)|\bis not an active address at this host\b|\bmailbox (?:is inactive|not present|invalid)\b|\bno mail ?box available for this user\b|\bno matches to nameserver query\b|\brejected: account unavailable\b|\bnot a local address\b|\brecipient (?:is not local|not OK)\b|\brecipient \S{1,254} was not found in\b|\bsorry, badrcptto\b|\bin my badrcptto list\b|\bemail name is not found\b|\bthere is no one at this address\b|\bthis address no longer accepts mail\b|\bemail address is wrong or no longer valid\b|\buser missing home directory\b|\buser not active\b|\binvalid or unknown virtual user\b|\bunknown or illegal (?:alias|user)\b|\bno existe (?:dicha persona|ese usuario)\b/i,
    example: "550 5.1.1 Sorry, your envelope recipient is in my badrcptto list.", sources: ['exim'] },
  { reason: 'userunknown', pattern: /\b(?:utilisateur|destinataire) inconnu\b|\bbenutzer unbekannt\b|\busuario (?:desconocido|inexistente)\b|\butente sconosciuto\b/i,
    example: '550 5.1.1 <ann@example.fr>: Destinataire inconnu', sources: [] },
  // RFC 5321 §4.2.3: the default 550 text; at 450 it means "busy" and stays soft.
  { reason: 'userunknown', pattern: /(?:^|[\s;:])5\d\d[ -].{0,80}?\bmailbox (?:is )?unavailable\b/i,
    example: '550 Requested action not taken: mailbox unavailable', sources: ['outlook', 'sendmail'] },
  // Postfix's bare recipient rejection (also Exchange Online's directory-based edge blocking).
  { reason: 'userunknown', pattern: /\brecipient address rejected(?:\.|: access denied\b|\s*$)/i,
    example: '550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DB5EUR03FT022.eop-EUR03.prod.protection.outlook.com]', sources: ['exim', 'postfix', 'rhost-microsoft'] },

  // Exim and Sendmail receivers answer "554 5.7.x Header error" when a header breaks their site policy.
  { reason: 'policyviolation', pattern: /\b5\d\d[ -](?:5\.7\.\d{1,3} )?header error\b/i,
    example: '554 5.7.9 Header error', sources: ['exim', 'gmail', 'sendmail'] },
  { reason: 'policyviolation', pattern: /\bpolicy violation\b|\b(?:denied|rejected|blocked|refused|not accepted) (?:by|for|due to) (?:local |our |security |site )?polic(?:y|ies)\b|\bpolicy reasons?\b|\bprotocol violation\b|\bits content presents a potential\b/i,
    example: '554 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes', sources: ['dragonfly', 'postfix', 'sendmail'] },
  { reason: 'policyviolation', pattern: /\bnot accepting mail with (?:attachments|embedded images)\b|\bclosed mailing list\b|\bheaders? are not accepted\b|\bmessage given low priority\b|\bnot subscribed to this group\b|\bwithout solving a captcha\b/i,
    example: '554 5.7.1 The message was rejected because the recipient is not accepting mail with attachments', sources: [] },

  // RFC 3207 §4: the server demands STARTTLS before the transaction.
  { reason: 'failedstarttls', pattern: /\bmust issue a STARTTLS\b|\b(?:TLS|encryption) (?:is )?required\b|\bSTARTTLS (?:is )?required\b/i,
    example: '530 5.7.0 Must issue a STARTTLS command first', sources: [] },
  // SMTP authentication (RFC 4954) required by the server or refused by it.
  { reason: 'securityerror', pattern: /\bunauthenticated senders? not allowed\b|\bauthentication (?:is )?required\b|\bmust (?:be )?authenticated?\b|\bsender is not authenticated\b|\baccount not subscribed to SES\b|\bauthentication (?:credentials invalid|failure)\b|\bauthentication turned on in your email client\b|\bnot authorized to perform ses:SendRawEmail\b|\bauthentication failed; server \S{1,253} said:/i,
    example: '530 5.7.0 Authentication required', sources: ['postfix'] },

  { reason: 'networkerror', pattern: /\bno route to host\b|\bnetwork is unreachable\b|\bhost is unreachable\b|\bconnection (?:refused|reset)\b|\blost connection\b/i,
    example: 'X-Postfix; connect to mx.example.org[192.0.2.2]:25: No route to host', sources: ['rfc3464', 'v5sendmail'] },
  { reason: 'networkerror', pattern: /\b(?:routing|mail|forwarding) loop\b|\btoo many hops\b|\bhop count exceeded\b|\bloop detected\b|\bloops back to myself\b/i,
    example: 'X-Postfix; mail for example.org loops back to myself', sources: ['domino', 'rfc3464'] },
  { reason: 'networkerror', pattern: /\bcould not connect and send the mail to\b|\bdns records for the destination computer could not be found\b|\bmalformed name server reply\b|\bmaximum forwarding loop count exceeded\b|\bmessage looping\b|\bunable to resolve route\b/i,
    example: 'DNS records for the destination computer could not be found', sources: [] },

  { reason: 'systemfull', pattern: /\binsufficient (?:system )?storage\b|\bdisk (?:is )?full\b|\bno space left on device\b/i,
    example: '452 4.3.1 Insufficient system storage', sources: [] },
  // Exim's pipe transport: the local command the mail was piped to failed.
  { reason: 'mailererror', pattern: /\bpipe to \|/i,
    example: '------ pipe to |/usr/local/bin/filter ann@example.org', sources: ['exim'] },
  { reason: 'mailererror', pattern: /\bunknown mailer error\b|\bmailer error\b|\bcommand died with status\b|\bprocmail\b/i,
    example: '554 5.3.0 unknown mailer error 1', sources: [] },
  { reason: 'systemerror', pattern: /\binternal (?:server |system |mail )?error\b|\bsystem error\b|\blocal error in processing\b|\bqueue file write error\b/i,
    example: '451 4.3.0 Error: queue file write error', sources: ['amazonworkmail'] },
  // Receiving systems reporting their own faults (Sisimai's SystemError list).
  { reason: 'systemerror', pattern: /\baliasing\/forwarding loop broken\b|\bcan't create user output file\b|\bcould not load drd for domain\b|\binternal error reading data\b|\binterrupted system call\b|\bit encountered an error while being processed\b|\bit would create a mail loop\b|\b(?:local|server|mail system) configuration error\b|\bloop was found in the mail exchanger\b|\bthere is no mdb\b|\bremote server is misconfigured\b|\bsystem config error\b|\btemporary local problem\b|\btimeout waiting for input\b|\bunable to (?:connect|contact) (?:to )?(?:the )?(?:destination )?SMTP daemon\b/i,
    example: '421 dns.example.org Sorry, unable to contact destination SMTP daemon.', sources: ['postfix'] },
  { reason: 'systemerror', pattern: /\btransaction failed\b|\bservice (?:is )?(?:currently |temporarily )?(?:unavailable|not available)\b|\bservice refused\b|\bserver (?:is )?(?:too )?busy\b/i,
    example: '421 4.3.2 Service not available, closing transmission channel', sources: ['postfix', 'rhost-franceptt', 'surfcontrol'] },
  // RFC 3464 §2.3.6 "X-Unix" diagnostics come from a local delivery agent (sysexits code or message).
  { reason: 'mailererror', pattern: /^x-unix;/i,
    example: 'x-unix; temporary failure', sources: ['postfix', 'sendmail'] },
  { reason: 'syntaxerror', pattern: /\b(?:bad|improper) sequence of commands\b|\bsyntax error\b|\bcommand (?:not recognized|unrecognized|not implemented)\b/i,
    example: '503 5.5.1 Bad sequence of commands', sources: ['rfc3464'] },
  // Words that say only that the retries ran out (Exim's retry timeout, qmail's queue lifetime, a frozen
  // message, a connect timeout): the cause a report names beside them, a full mailbox or a DNS failure, is
  // the better reason, so they come after every rule that names one (Sisimai reads them last too).
  { reason: 'expired', pattern: /\b(?:retry time(?:out)? (?:exceeded|not reached for any host)|(?:in|sitting in) the queue (?:for )?too long|have been failing for a long time|could not be delivered for more than|(?:after|failed) (?:multiple|several|repeated|\d+) (?:retries|attempts|tries))\b/i,
    example: 'retry timeout exceeded', sources: ['exim', 'gmx', 'imailserver', 'x2', 'yahoo'] },
  // Exim freezes a message it cannot deliver or bounce; the retries are over for it.
  { reason: 'expired', pattern: /\bhas been frozen\b|\bwas frozen on arrival\b/i,
    example: 'Message 1P1YNN-0003AD-Ga has been frozen by the system filter.', sources: [] },
  // Postfix reports a connect timeout in a *failed* DSN only when the queue lifetime ran out (4.4.1).
  { reason: 'expired', pattern: /\bconnection timed out\b|\bdid not accept our requests to connect\b|\bserver did not respond\b/i,
    example: 'X-Postfix; connect to mx.example.org[192.0.2.25]:25: Connection timed out', sources: ['gmail', 'messagingserver', 'postfix', 'rfc3464', 'sendgrid', 'v5sendmail', 'yandex'] },
];
