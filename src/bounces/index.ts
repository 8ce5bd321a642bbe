// What other domains, the CLI and the benchmarks may use of bounces: classifying SMTP replies and
// returned messages (DSN, ARF, auto-replies, SES notifications), and the signed return path.
export { classifySmtpReply, type SmtpReply, type SmtpReplyClass } from './classify-smtp-reply.ts';
export type { BounceReason } from './rules/bounce-rule-types.ts';
export { classifyReturnedMessage, type ClassifyOptions } from './returned-message/classify-returned-message.ts';
// The rule set and its provenance: the benchmark scores each corpus family without the rules from it alone.
export type { BounceRuleSet, RuleProvenance } from './rules/bounce-rule-types.ts';
export { ALL_BOUNCE_RULES, comesOnlyFrom, rulesWithout } from './rules/rule-set.ts';
export { splitMbox } from './returned-message/split-mbox.ts';
export type { BounceResult, ReturnedMessage, ReturnedMessageKind } from './returned-message/returned-message.ts';
export { returnPathFor, parseReturnPath } from './return-path.ts';
