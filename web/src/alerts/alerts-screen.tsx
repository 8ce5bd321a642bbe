// Alerts: what is triggered now (a paused campaign resumed from here), the history, and the rules
// with their lines. Admins change a rule's lines; viewers read.
import { useState } from 'react';
import { Link } from '@tanstack/react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Card, LoadError, linkClass, numClass, tableClass, tdClass, thClass } from '../campaigns/parts.tsx';
import { RelativeTime } from '../shell/relative-time.tsx';
import { buttonClass, fieldClass, quietButtonClass } from '../shell/controls.ts';
import { useIsAdmin } from '../users/use-is-admin.ts';
import { ALERTS_KEY, RULE_NAMES, alertHistoryQuery, figure, resumeCampaign, rulesQuery, saveRule, triggeredAlertsQuery, type Alert, type Rule } from './alerts-api.ts';

const LEVEL_TONES = {
  critical: 'bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200',
  warning: 'bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-100',
};

export function AlertsScreen() {
  const isAdmin = useIsAdmin();
  const triggered = useQuery(triggeredAlertsQuery);
  const history = useQuery(alertHistoryQuery);
  const rules = useQuery(rulesQuery);
  const kinds = new Map(rules.data?.map((r) => [r.rule, r.kind]));
  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Alerts</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Complaints, bounces, deferrals, authentication refusals and unsubscribes, checked against each rule's lines every 30 seconds. A critical
          hard-bounce rate pauses its campaign.{!isAdmin && ' You are a viewer: admins change the rules.'}
        </p>
      </div>
      <Card title="Triggered now" id="triggered-title">
        {triggered.error && <LoadError what="read the alerts" error={triggered.error} />}
        {triggered.data?.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">Nothing is wrong: no alert is triggered.</p>}
        {triggered.data && triggered.data.length > 0 && <AlertTable alerts={triggered.data} kinds={kinds} canResume={isAdmin} label="Alerts triggered now" />}
      </Card>
      <Card title="History" id="history-title">
        {history.error && <LoadError what="read the history" error={history.error} />}
        {history.data?.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">No alert has been resolved yet.</p>}
        {history.data && history.data.length > 0 && <AlertTable alerts={history.data} kinds={kinds} canResume={false} label="Resolved alerts" />}
      </Card>
      <Card title="Rules" id="rules-title">
        {rules.error && <LoadError what="read the rules" error={rules.error} />}
        {rules.data && <RulesTable rules={rules.data} canChange={isAdmin} />}
      </Card>
    </div>
  );
}

function AlertTable({ alerts, kinds, canResume, label }: { alerts: Alert[]; kinds: Map<string, Rule['kind']>; canResume: boolean; label: string }) {
  return (
    <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label={label}>
      <table className={tableClass}>
        <thead>
          <tr>
            <th scope="col" className={thClass}>Level</th>
            <th scope="col" className={thClass}>What</th>
            <th scope="col" className={`${thClass} ${numClass}`}>Value</th>
            <th scope="col" className={thClass}>Triggered</th>
            {label === 'Resolved alerts' && <th scope="col" className={thClass}>Resolved</th>}
            {canResume && <th scope="col" className={thClass}><span className="sr-only">Actions</span></th>}
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => (
            <tr key={a.id}>
              <td className={tdClass}>
                <span className={`inline-block rounded px-1.5 text-xs font-medium ${LEVEL_TONES[a.level]}`}>{a.level}</span>
              </td>
              <td className={`${tdClass} max-w-xl`}>
                <div className="font-medium">{RULE_NAMES[a.rule] ?? a.rule}</div>
                <div className="break-words text-slate-600 dark:text-slate-400">{a.message}</div>
                {a.campaign_id && (
                  <Link to="/campaigns/$id" params={{ id: a.campaign_id }} search={(prev) => prev} className={linkClass}>
                    Open the campaign
                  </Link>
                )}
              </td>
              <td className={`${tdClass} ${numClass}`}>{figure(kinds.get(a.rule), a.value)}</td>
              <td className={tdClass}><RelativeTime iso={a.triggered_at} /></td>
              {label === 'Resolved alerts' && <td className={tdClass}>{a.resolved_at && <RelativeTime iso={a.resolved_at} />}</td>}
              {canResume && <td className={tdClass}>{a.rule === 'campaign_hard_bounce_rate' && a.campaign_id && <ResumeButton campaignId={a.campaign_id} />}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ResumeButton({ campaignId }: { campaignId: string }) {
  const queryClient = useQueryClient();
  const [note, setNote] = useState<string>();
  const resume = useMutation({
    mutationFn: () => resumeCampaign(campaignId),
    onSuccess: (r) => setNote(`Resumed: ${r.resumed} emails queued again.`),
    onError: (err) => setNote((err as Error).message),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['stats', 'campaigns'] }),
  });
  return (
    <div className="space-y-1">
      <button type="button" className={quietButtonClass} disabled={resume.isPending} onClick={() => resume.mutate()}>
        Resume campaign
      </button>
      {note && <p role="status" className="text-xs">{note}</p>}
    </div>
  );
}

/** A line as the form shows it: a rate in percent, a count as it is. */
const toField = (kind: Rule['kind'], v: number) => (kind === 'count' ? String(v) : String(Number((v * 100).toPrecision(6))));
const fromField = (kind: Rule['kind'], s: string) => (kind === 'count' ? Number(s) : Number(s) / 100);

function RulesTable({ rules, canChange }: { rules: Rule[]; canChange: boolean }) {
  return (
    <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label="Alert rules">
      <table className={tableClass}>
        <thead>
          <tr>
            <th scope="col" className={thClass}>Rule</th>
            <th scope="col" className={thClass}>On</th>
            <th scope="col" className={`${thClass} ${numClass}`}>From volume</th>
            <th scope="col" className={`${thClass} ${numClass}`}>Warn</th>
            <th scope="col" className={`${thClass} ${numClass}`}>Critical</th>
            {canChange && <th scope="col" className={thClass}><span className="sr-only">Save</span></th>}
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (canChange ? <EditableRule key={r.rule} rule={r} /> : <RuleRow key={r.rule} rule={r} />))}
        </tbody>
      </table>
    </div>
  );
}

function RuleName({ rule }: { rule: Rule }) {
  return (
    <td className={`${tdClass} max-w-md`}>
      <div className="font-medium">{RULE_NAMES[rule.rule] ?? rule.rule}</div>
      <div className="text-xs text-slate-600 dark:text-slate-400">{rule.description}</div>
    </td>
  );
}

function RuleRow({ rule }: { rule: Rule }) {
  return (
    <tr>
      <RuleName rule={rule} />
      <td className={tdClass}>{rule.enabled ? 'on' : 'off'}</td>
      <td className={`${tdClass} ${numClass}`}>{rule.min_volume.toLocaleString()} {rule.volume}</td>
      <td className={`${tdClass} ${numClass}`}>{figure(rule.kind, rule.warn)}</td>
      <td className={`${tdClass} ${numClass}`}>{figure(rule.kind, rule.critical)}</td>
    </tr>
  );
}

function EditableRule({ rule }: { rule: Rule }) {
  const queryClient = useQueryClient();
  const [enabled, setEnabled] = useState(rule.enabled);
  const [minVolume, setMinVolume] = useState(String(rule.min_volume));
  const [warn, setWarn] = useState(toField(rule.kind, rule.warn));
  const [critical, setCritical] = useState(toField(rule.kind, rule.critical));
  const [note, setNote] = useState<string>();
  const name = RULE_NAMES[rule.rule] ?? rule.rule;
  const unit = rule.kind === 'count' ? 'cases' : '%';
  const save = useMutation({
    mutationFn: () => saveRule(rule.rule, { enabled, min_volume: Number(minVolume), warn: fromField(rule.kind, warn), critical: fromField(rule.kind, critical) }),
    onSuccess: () => setNote('Saved.'),
    onError: (err) => setNote((err as Error).message),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ALERTS_KEY }),
  });
  const input = `${fieldClass} w-24 text-right`;
  return (
    <tr>
      <RuleName rule={rule} />
      <td className={tdClass}>
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} aria-label={`${name}: on`} />
      </td>
      <td className={`${tdClass} ${numClass}`}>
        <input className={input} inputMode="numeric" value={minVolume} onChange={(e) => setMinVolume(e.target.value)} aria-label={`${name}: from how many ${rule.volume}`} />
      </td>
      <td className={`${tdClass} ${numClass}`}>
        <input className={input} inputMode="decimal" value={warn} onChange={(e) => setWarn(e.target.value)} aria-label={`${name}: warn at (${unit})`} />
        <span aria-hidden="true" className="ml-1 text-xs text-slate-600 dark:text-slate-400">{rule.kind === 'count' ? '' : '%'}</span>
      </td>
      <td className={`${tdClass} ${numClass}`}>
        <input className={input} inputMode="decimal" value={critical} onChange={(e) => setCritical(e.target.value)} aria-label={`${name}: critical at (${unit})`} />
        <span aria-hidden="true" className="ml-1 text-xs text-slate-600 dark:text-slate-400">{rule.kind === 'count' ? '' : '%'}</span>
      </td>
      <td className={tdClass}>
        <button type="button" className={buttonClass} disabled={save.isPending} onClick={() => save.mutate()} aria-label={`Save ${name}`}>
          Save
        </button>
        {note && <p role="status" className="text-xs">{note}</p>}
      </td>
    </tr>
  );
}
