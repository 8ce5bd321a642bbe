// What other parts may use of alerts: the scheduler's loop, one evaluation on demand, the rules and
// their settings (routes), the alerts' history (routes).
export { startAlerts, type AlertsDeps } from './start-alerts.ts';
export { evaluateProject, EVALUATION_INTERVAL_MS, type AlertChange, type Evaluation } from './evaluate-project.ts';
export { ALERT_RULES, RULE_DEFINITIONS, projectRules, checkRuleChanges, type AlertRule, type RuleSettings, type ProjectRules, type RuleOverrides } from './alert-rules.ts';
export { listAlerts, readRuleOverrides, saveRuleOverrides, type AlertRow, type AlertFilter } from './alerts.repository.ts';
export { alertJson, type AlertJson } from './alert-json.ts';
export { collectSignals, ALERTS_CURSOR } from './collect-signals.ts';
export { AUTH_REFUSAL_CODES, authRefusalCode } from './auth-refusal.ts';
export { alertMail } from './alert-mail.ts';
