// Fills {{data.field}} (and {{email}}) placeholders in campaign subjects and bodies.
const PLACEHOLDER = /\{\{\s*(data(?:\.[A-Za-z0-9_-]+)+|email)\s*\}\}/g;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

export type TemplateVars = { email: string; data: Record<string, unknown> | null };

/**
 * Replaces each placeholder with its value; a missing field renders as empty. Values are
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

function lookup(data: Record<string, unknown> | null, path: string[]): unknown {
  let node: unknown = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
