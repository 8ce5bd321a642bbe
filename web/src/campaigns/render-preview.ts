// What the compose preview shows: the template filled as the server fills it (sending/render-template.ts),
// and the HTML made inert for a sandboxed frame under our CSP: no script, no remote fetch, styles
// applied through the CSSOM (which style-src 'self' allows) instead of inline markup (which it refuses).

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

const REMOVED = 'script, iframe, frame, frameset, object, embed, link, meta, base, form, noscript, template';
const REMOTE_URL = /url\(\s*(['"]?)\s*(?:https?:)?\/\/[^)]*\)/gi;

export type InertHtml = { doc: Document; styles: string[]; sheets: string[]; blockedImages: number };

/**
 * Parses the HTML in an inert document (DOMParser runs nothing) and takes out whatever would act
 * or fetch: scripts and frames, event handlers, javascript: and other links (kept in the title),
 * remote images and backgrounds. Style attributes and <style> blocks are set aside for the CSSOM.
 */
export function inertHtml(html: string): InertHtml {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll(REMOVED).forEach((el) => el.remove());
  const sheets: string[] = [];
  doc.querySelectorAll('style').forEach((el) => {
    sheets.push((el.textContent ?? '').replace(REMOTE_URL, 'none').replace(/@import[^;]*;/gi, ''));
    el.remove();
  });
  const styles: string[] = [];
  let blockedImages = 0;
  doc.querySelectorAll('*').forEach((el) => {
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on') || name === 'srcset' || name === 'background' || name === 'formaction' || name === 'action') el.removeAttribute(attr.name);
    }
    const style = el.getAttribute('style');
    if (style !== null) {
      el.removeAttribute('style');
      el.setAttribute('data-preview-style', String(styles.push(style.replace(REMOTE_URL, 'none')) - 1));
    }
    if (el.hasAttribute('href')) {
      el.setAttribute('title', el.getAttribute('href') ?? '');
      el.removeAttribute('href');
    }
    if (el.tagName === 'IMG' && !/^data:image\//i.test(el.getAttribute('src') ?? '')) {
      if (el.hasAttribute('src')) blockedImages++;
      el.removeAttribute('src');
    }
  });
  return { doc, styles, sheets, blockedImages };
}

/** Lays the inert document into the frame's own document and applies its styles through the CSSOM. */
export function renderInto(target: Document, inert: InertHtml): void {
  const root = target.importNode(inert.doc.documentElement, true);
  target.replaceChild(root, target.documentElement);
  target.querySelectorAll<HTMLElement>('[data-preview-style]').forEach((el) => {
    el.style.cssText = inert.styles[Number(el.dataset.previewStyle)] ?? '';
    el.removeAttribute('data-preview-style');
  });
  const view = target.defaultView as (Window & typeof globalThis) | null;
  if (view && 'CSSStyleSheet' in view) {
    const base = new view.CSSStyleSheet();
    // An email is drawn on white whatever the dashboard's theme, as mail apps draw it.
    base.replaceSync('html { background: #fff; color: #111; color-scheme: light; } body { margin: 12px; font-family: system-ui, sans-serif; } img:not([src]) { outline: 1px dashed #94a3b8; min-width: 16px; min-height: 16px; }');
    const own = inert.sheets.map((css) => {
      const sheet = new view.CSSStyleSheet();
      sheet.replaceSync(css);
      return sheet;
    });
    target.adoptedStyleSheets = [base, ...own];
  }
}
