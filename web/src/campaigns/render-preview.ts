// The compose preview's HTML made inert for a sandboxed frame under our CSP: no script, no remote
// fetch, styles applied through the CSSOM (which style-src 'self' allows) instead of inline markup
// (which it refuses).

const REMOVED = 'script, iframe, frame, frameset, object, embed, link, meta, base, form, noscript, template';
const REMOTE_URL = /url\(\s*(['"]?)\s*(?:https?:)?\/\/[^)]*\)/gi;

export type InertHtml = { doc: Document; styles: string[]; sheets: string[]; blockedImages: number };

/**
 * Chromium checks the page's CSP even while DOMParser parses, so a style attribute or <style>
 * element would be reported as refused before we could set it aside. They are renamed in the
 * markup first: style attributes inside tags, and <style> into a <textarea>, whose content the
 * parser keeps as text. A rename that misses (a ">" inside a quoted attribute) costs a refused
 * style in the preview, never more: the CSP still holds.
 */
function renameStyles(html: string): string {
  return html
    .replace(/<(\/?)style\b([^>]*)>/gi, (_m, close: string) => (close ? '</textarea>' : '<textarea data-preview-sheet>'))
    .replace(/<[a-zA-Z][^>]*>/g, (tag) => tag.replace(/(\s)style(\s*=)/gi, '$1data-preview-css$2'));
}

/**
 * Parses the HTML in an inert document (DOMParser runs nothing) and takes out whatever would act
 * or fetch: scripts and frames, event handlers, links (kept in the title), remote images and
 * backgrounds. Styles are kept aside, to be applied through the CSSOM.
 */
export function inertHtml(html: string): InertHtml {
  const doc = new DOMParser().parseFromString(renameStyles(html), 'text/html');
  const sheets: string[] = [];
  doc.querySelectorAll('textarea[data-preview-sheet]').forEach((el) => {
    sheets.push((el.textContent ?? '').replace(REMOTE_URL, 'none').replace(/@import[^;]*;/gi, ''));
    el.remove();
  });
  doc.querySelectorAll(REMOVED).forEach((el) => el.remove());
  const styles: string[] = [];
  let blockedImages = 0;
  doc.querySelectorAll('*').forEach((el) => {
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on') || name === 'style' || name === 'srcset' || name === 'background' || name === 'formaction' || name === 'action') el.removeAttribute(attr.name);
    }
    const css = el.getAttribute('data-preview-css');
    if (css !== null) el.setAttribute('data-preview-css', String(styles.push(css.replace(REMOTE_URL, 'none')) - 1));
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
  target.querySelectorAll<HTMLElement>('[data-preview-css]').forEach((el) => {
    el.style.cssText = inert.styles[Number(el.dataset.previewCss)] ?? '';
    el.removeAttribute('data-preview-css');
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
