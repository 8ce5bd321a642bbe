// Fills {{data.field}} (and {{email}}) placeholders in campaign subjects and bodies.
const PLACEHOLDER = /\{\{\s*(data(?:\.[A-Za-z0-9_-]+)+|email)\s*\}\}/g;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

export type TemplateVars = { email: string; data: Record<string, unknown> | null };

/**
 * Replaces each placeholder with its value; a missing field renders as empty (campaigns record
 * or refuse such recipients before sending: missingDataFields). Values are
 * HTML-escaped in HTML bodies so recipient data cannot inject markup.
 */
export function renderTemplate(template: string, vars: TemplateVars, kind: 'html' | 'text'): string {
  if (!template.includes('{{')) return template;
  return template.replace(PLACEHOLDER, (_, path: string) => {
    const value = path === 'email' ? vars.email : lookup(vars.data, path.split('.').slice(1));
    const text = value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    return kind === 'html' ? escapeHtml(text) : text;
  });
}

/** The data placeholders of templates ('data.first', 'data.address.city'), each once, in order of appearance. */
export function templateDataFields(...templates: Array<string | null | undefined>): string[] {
  const fields = new Set<string>();
  for (const template of templates) {
    if (!template?.includes('{{')) continue;
    for (const [, path] of template.matchAll(PLACEHOLDER)) if (path !== 'email') fields.add(path!);
  }
  return [...fields];
}

/** Which of `fields` (from templateDataFields) a recipient's data lacks or holds as null: renderTemplate leaves them empty. */
export function missingDataFields(fields: readonly string[], data: Record<string, unknown> | null): string[] {
  // Called once per recipient of a campaign with the same fields: their paths are split once.
  let paths = splitPaths.get(fields);
  if (!paths) splitPaths.set(fields, (paths = fields.map((field) => field.split('.').slice(1))));
  const missing: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const value = lookup(data, paths[i]!);
    if (value === undefined || value === null) missing.push(fields[i]!);
  }
  return missing;
}
const splitPaths = new WeakMap<readonly string[], string[][]>();

function lookup(data: Record<string, unknown> | null, path: string[]): unknown {
  let node: unknown = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
