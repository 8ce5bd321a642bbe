// The compose preview's template filling, as the server fills it (sending/render-template.ts):
// {{email}}, {{data.x}} and {{unsubscribe_url}}, data HTML-escaped in HTML.

const PLACEHOLDER = /\{\{\s*(data(?:\.[A-Za-z0-9_-]+)+|email|unsubscribe_url)\s*\}\}/g;
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export type SampleRecipient = { email: string; data: Record<string, string> };

/** Fills {{email}}, {{data.x}} and {{unsubscribe_url}}; a field the sample lacks shows as its placeholder. */
export function fillTemplate(template: string, sample: SampleRecipient, kind: 'html' | 'text'): string {
  return template.replace(PLACEHOLDER, (whole, path: string) => {
    let value: string | undefined;
    if (path === 'email') value = sample.email;
    else if (path === 'unsubscribe_url') value = '#unsubscribe';
    else value = sample.data[path.slice('data.'.length)];
    const text = value ?? whole;
    return kind === 'html' ? text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!) : text;
  });
}

/** The `data.` fields the templates name, each once. */
export function templateFields(...templates: string[]): string[] {
  const fields = new Set<string>();
  for (const t of templates) for (const [, path] of t.matchAll(PLACEHOLDER)) if (path!.startsWith('data.')) fields.add(path!.slice(5));
  return [...fields];
}
