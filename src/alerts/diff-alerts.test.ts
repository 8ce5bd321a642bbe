import { describe, expect, it } from 'vitest';
import { diffAlerts, type Finding, type OpenAlert } from './diff-alerts.ts';

const finding = (subject: string, level: Finding['level']): Finding => ({ rule: 'complaint_rate', subject, window: '24h', level, value: 0.01, volume: 5_000, threshold: 0.003, message: '' });
const open = (subject: string, level: OpenAlert['level']): OpenAlert => ({ id: subject, rule: 'complaint_rate', subject, window: '24h', level });
const all = new Set(['complaint_rate']);

describe('what changes between the alerts open and what the rules find now', () => {
  const table: Array<[string, OpenAlert[], Finding[], Set<string>, { trigger: string[]; relevel: string[]; resolve: string[] }]> = [
    ['a new finding triggers', [], [finding('a', 'warning')], all, { trigger: ['a'], relevel: [], resolve: [] }],
    ['the same level again changes nothing', [open('a', 'warning')], [finding('a', 'warning')], all, { trigger: [], relevel: [], resolve: [] }],
    ['a warning that turns critical changes level', [open('a', 'warning')], [finding('a', 'critical')], all, { trigger: [], relevel: ['a'], resolve: [] }],
    ['a critical back to warning changes level', [open('a', 'critical')], [finding('a', 'warning')], all, { trigger: [], relevel: ['a'], resolve: [] }],
    ['an open alert no longer found resolves', [open('a', 'warning')], [], all, { trigger: [], relevel: [], resolve: ['a'] }],
    ['a rule not evaluated leaves its alerts open', [open('a', 'warning')], [], new Set(), { trigger: [], relevel: [], resolve: [] }],
    ['other subjects are apart', [open('a', 'warning')], [finding('b', 'warning')], all, { trigger: ['b'], relevel: [], resolve: ['a'] }],
  ];
  it.each(table)('%s', (_, o, f, evaluated, expected) => {
    const d = diffAlerts(o, f, evaluated);
    expect({ trigger: d.trigger.map((x) => x.subject), relevel: d.relevel.map((x) => x.alert.subject), resolve: d.resolve.map((x) => x.subject) }).toEqual(expected);
  });
});
