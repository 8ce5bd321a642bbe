// The document the dashboard's Content tab frames: an email's html under a policy of its own. The
// dashboard's policy could not frame it as srcdoc or a blob, which inherit that policy: its
// style-src 'self' would strip every inline style an email is made of, and its img-src would
// block remote images even once the reader asks for them.

/**
 * No script, form, plugin or frame; inline styles and data: images, as mail clients allow; images
 * from other hosts only when asked for. `sandbox` makes the document an opaque origin with no
 * popups, so a click on a link (opened in a new window, see previewDocument) goes nowhere.
 */
export function previewPolicy(remoteImages: boolean): string {
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `img-src data: cid:${remoteImages ? ' https: http:' : ''}`,
    'font-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
    'sandbox',
  ].join('; ');
}

const TEXT_STYLE = 'white-space:pre-wrap;word-wrap:break-word;font:14px/1.5 ui-monospace,monospace;margin:16px';

export function previewDocument(html: string | null, text: string | null): string {
  // Links open in a new window, which the sandbox refuses: they stay readable (hover shows the
  // rewritten URL) but can never lead the frame to a tracking URL.
  const base = '<base target="_blank">';
  if (html === null) return `<!doctype html><html><head><meta charset="utf-8">${base}</head><body><pre style="${TEXT_STYLE}">${escapeHtml(text ?? '')}</pre></body></html>`;
  if (/<head(\s[^>]*)?>/i.test(html)) return html.replace(/<head(\s[^>]*)?>/i, (head) => `${head}<meta charset="utf-8">${base}`);
  if (/<html(\s[^>]*)?>/i.test(html)) return html.replace(/<html(\s[^>]*)?>/i, (open) => `${open}<head><meta charset="utf-8">${base}</head>`);
  return `<!doctype html><html><head><meta charset="utf-8">${base}</head><body>${html}</body></html>`;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
