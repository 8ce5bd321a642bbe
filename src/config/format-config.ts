// The configuration as people read it, by group (the user's keys first, the advanced knobs apart):
// the text of `sendtrail config`, and the groups of GET /v1/settings.
import { CONFIG_GROUPS, type ConfigGroup } from './schema.ts';
import type { ConfigEntry } from './load-config.ts';
import { isSecretKey } from './mask-secrets.ts';

export type ConfigEntryGroup = { id: ConfigGroup; title: string; entries: Array<ConfigEntry & { secret: boolean }> };

/** The entries by group, in the order `sendtrail config` prints them; empty groups left out. */
export function groupConfig(entries: ConfigEntry[]): ConfigEntryGroup[] {
  return (Object.keys(CONFIG_GROUPS) as ConfigGroup[])
    .map((id) => ({ id, title: CONFIG_GROUPS[id], entries: entries.filter((e) => e.group === id).map((e) => ({ ...e, secret: isSecretKey(e.key) })) }))
    .filter((g) => g.entries.length > 0);
}

/**
 * One `KEY=value` line per key (values already masked), so `grep ^PORT=` still finds it, then an
 * indented line saying whether the environment set it or it is the default, and what it does.
 */
export function formatConfig(entries: ConfigEntry[]): string {
  const lines = [
    'Sendtrail configuration, from environment variables. Secrets and the passwords in URLs are masked.',
    '"set": from the environment; "default": not set (an empty variable counts as not set).',
  ];
  for (const group of groupConfig(entries)) {
    lines.push('', `# ${group.title}`);
    for (const e of group.entries) {
      const source = e.source === 'default' ? 'default' : `set; default ${e.defaultValue === '' ? 'empty' : e.defaultValue}`;
      lines.push(`${e.key}=${e.value}`, `    (${source}) ${e.description}`);
    }
  }
  return lines.join('\n');
}
