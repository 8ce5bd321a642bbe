// The project's alerts (issue 21, part 2): current and past, with filters; the rules with their
// settings, read by anyone signed in and changed by an admin's session or an API key (authenticate
// refuses a viewer every changing route).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import {
  ALERT_RULES, RULE_DEFINITIONS, alertJson, checkRuleChanges, listAlerts, projectRules, readRuleOverrides, saveRuleOverrides,
  type ProjectRules, type RuleSettings,
} from '../../alerts/index.ts';
import { AppError } from '../../shared/app-error.ts';
import { isUuid } from '../../shared/ids.ts';
import { ErrorBody, LimitParam, errorResponses, parseLimit } from '../schemas.ts';
import { withAudit } from '../audit-trail.ts';

const Timestamp = Type.String({ format: 'date-time' });
const Level = Type.Union([Type.Literal('warning'), Type.Literal('critical')]);
const State = Type.Union([Type.Literal('triggered'), Type.Literal('resolved')]);

export const Alert = Type.Object({
  id: Type.String(),
  rule: Type.String({ description: `One of ${ALERT_RULES.join(', ')}.` }),
  subject: Type.String({ description: 'What it is about: project, sending_domain:<domain>, provider:<provider>, campaign:<id>.' }),
  window: Type.String({ description: '24h, 7d, 1h, campaign (its sending so far) or last_10000 (the project\'s last 10,000 sends).' }),
  level: Level,
  state: State,
  value: Type.Number({ description: 'The rate (0.003 is 0.3 %) or, for a count rule, the number of cases, at the last change.' }),
  volume: Type.Integer({ description: 'What the rate is over (delivered, sent or attempts), or the cases of a count rule.' }),
  threshold: Type.Number({ description: 'The line crossed (for provider_deferral_rate: the provider\'s baseline plus the line).' }),
  message: Type.String(),
  campaign_id: Type.Union([Type.String(), Type.Null()]),
  triggered_at: Timestamp,
  resolved_at: Type.Union([Timestamp, Type.Null()]),
  updated_at: Timestamp,
});

const Settings = Type.Object({
  enabled: Type.Boolean(),
  min_volume: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
  warn: Type.Number({ minimum: 0 }),
  critical: Type.Number({ minimum: 0 }),
  pause_on_critical: Type.Optional(Type.Boolean()),
});

const RuleJson = Type.Object({
  ...Settings.properties,
  rule: Type.String(),
  kind: Type.String({ description: 'rate_above, excess_above (over the subject\'s baseline), rate_below, or count.' }),
  volume: Type.String({ description: 'What min_volume counts.' }),
  windows: Type.Array(Type.String()),
  description: Type.String(),
  defaults: Settings,
});

const SettingsChange = Type.Partial(Settings, { additionalProperties: false });
const RulesChange = Type.Object(Object.fromEntries(ALERT_RULES.map((r) => [r, Type.Optional(SettingsChange)])), { additionalProperties: false, minProperties: 1 });

const rulesJson = (rules: ProjectRules) => ({
  data: ALERT_RULES.map((rule) => ({ rule, ...RULE_DEFINITIONS[rule], windows: [...RULE_DEFINITIONS[rule].windows], ...rules[rule], defaults: RULE_DEFINITIONS[rule].defaults })),
});

const tags = ['alerts'];
const responses = { ...errorResponses, 403: ErrorBody };

export function alertRoutes(db: Kysely<Database>): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/v1/alerts', {
      schema: {
        summary: 'The project\'s alerts, newest first: those triggered now and their history',
        description: 'Follow `next_cursor` until it is null. `state=triggered` lists what is wrong now.',
        tags,
        querystring: Type.Object({
          state: Type.Optional(State),
          level: Type.Optional(Level),
          rule: Type.Optional(Type.Union(ALERT_RULES.map((r) => Type.Literal(r)))),
          campaign_id: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Type.Optional(LimitParam),
          cursor: Type.Optional(Type.String({ maxLength: 64 })),
        }, { additionalProperties: false }),
        response: { 200: Type.Object({ data: Type.Array(Alert), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...responses },
      },
    }, async (request) => {
      const q = request.query;
      const limit = parseLimit(q.limit);
      if (q.cursor !== undefined && !isUuid(q.cursor)) throw new AppError('validation_error', 'cursor is not one this API gave', [{ path: '/cursor' }]);
      if (q.campaign_id !== undefined && !isUuid(q.campaign_id)) throw new AppError('validation_error', 'campaign_id is not a campaign id', [{ path: '/campaign_id' }]);
      const rows = await listAlerts(db, request.projectId, { state: q.state, level: q.level, rule: q.rule, campaignId: q.campaign_id, beforeId: q.cursor, limit: limit + 1 });
      const page = rows.slice(0, limit);
      return { data: page.map(alertJson), next_cursor: rows.length > limit ? page.at(-1)!.id : null };
    });

    app.get('/v1/alert-rules', {
      schema: { summary: 'The project\'s alert rules with their settings and defaults', tags, response: { 200: Type.Object({ data: Type.Array(RuleJson) }), ...responses } },
    }, async (request) => rulesJson(projectRules(await readRuleOverrides(db, request.projectId))));

    app.put('/v1/alert-rules', {
      config: { audit: 'alert_rules.update' },
      schema: {
        summary: 'Change the project\'s alert rules',
        description: 'Give the rules to change, each with the fields to change; the others keep their values. Rates are fractions (0.003 is 0.3 %); count rules take whole numbers. An admin\'s session or an API key. The rules are evaluated again at once.',
        tags,
        body: RulesChange,
        response: { 200: Type.Object({ data: Type.Array(RuleJson) }), ...responses },
      },
    }, async (request) => {
      const changes = request.body as Record<string, Partial<RuleSettings>>;
      const saved = await withAudit(db, request, (trx) => saveRuleOverrides(trx, request.projectId, (current) => checkRuleChanges(current, changes)), () => ({
        action: 'alert_rules.update', target: { type: 'project', id: request.projectId }, details: { rules: Object.keys(changes) },
      }));
      return rulesJson(projectRules(saved));
    });
  };
}
