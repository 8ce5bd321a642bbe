// The text of `sendtrail config`: the user's keys by group, then the advanced knobs apart.
import { CONFIG_GROUPS, type ConfigGroup } from './schema.ts';
import type { ConfigEntry } from './load-config.ts';

/**
 * One `KEY=value` line per key (values already masked), so `grep ^PORT=` still finds it, then an
 * indented line saying whether the environment set it or it is the default, and what it does.
 */
export function formatConfig(entries: ConfigEntry[]): string {
  const lines = [
    'Sendtrail configuration, from environment variables. Secrets and the passwords in URLs are masked.',
    '"set": from the environment; "default": not set (an empty variable counts as not set).',
  ];
  for (const group of Object.keys(CONFIG_GROUPS) as ConfigGroup[]) {
    const inGroup = entries.filter((e) => e.group === group);
    if (inGroup.length === 0) continue;
    lines.push('', `# ${CONFIG_GROUPS[group]}`);
    for (const e of inGroup) {
      const source = e.source === 'default' ? 'default' : `set; default ${e.defaultValue === '' ? 'empty' : e.defaultValue}`;
      lines.push(`${e.key}=${e.value}`, `    (${source}) ${e.description}`);
    }
  }
  return lines.join('\n');
}
