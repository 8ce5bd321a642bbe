// Rewrites an email's HTML for tracking: every http(s) link through /t/c/<token>, and the open
// pixel before </body>. A real HTML tokenizer (htmlparser2) finds the links, so markup inside
// comments, scripts or attribute values is never mistaken for one.
import { Parser } from 'htmlparser2';

export type HtmlRewriteOptions = {
  trackClicks: boolean;
  /** The pixel's URL, or undefined when opens are not tracked. */
  pixelUrl?: string;
  /** The click URL for a link: called once per tracked link, in document order. */
  clickUrl(url: string, linkIndex: number): string;
  /** Links to these URL prefixes (our own unsubscribe page) are left as they are. */
  untrackedPrefixes: readonly string[];
  /** What `{{unsubscribe_url}}` in an href becomes; never click-tracked. */
  unsubscribeUrl?: string;
  /**
   * The click URL of a hidden honeypot link, given the next link index; added before </body> when at
   * least one link was tracked (a message with no links gives a scanner nothing to fan out over).
   */
  honeypotUrl?(linkIndex: number): string;
};

export const UNSUBSCRIBE_PLACEHOLDER = /\{\{\s*unsubscribe_url\s*\}\}/g;

type Edit = { start: number; end: number; text: string };

// One attribute of a start tag: name, then an optional value in double, single or no quotes.
const ATTRIBUTE = /([^\s"'<>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g;

export function rewriteHtml(html: string, options: HtmlRewriteOptions): string {
  const edits: Edit[] = [];
  let linkIndex = 0;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if ((name !== 'a' && name !== 'area') || attribs.href === undefined) return;
        const href = attribs.href.trim();
        let replacement: string | undefined;
        if (options.unsubscribeUrl && UNSUBSCRIBE_PLACEHOLDER.test(href)) {
          replacement = href.replace(UNSUBSCRIBE_PLACEHOLDER, options.unsubscribeUrl);
        } else if (options.trackClicks && isTrackable(href, options.untrackedPrefixes)) {
          replacement = options.clickUrl(href, linkIndex++);
        }
        UNSUBSCRIBE_PLACEHOLDER.lastIndex = 0;
        if (replacement === undefined) return;
        const edit = hrefEdit(html, parser.startIndex, parser.endIndex, replacement);
        if (edit) edits.push(edit);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);

  let out = applyEdits(html, edits);
  if (options.honeypotUrl && linkIndex > 0) out = insertBeforeBodyEnd(out, honeypotAnchor(options.honeypotUrl(linkIndex)));
  if (options.pixelUrl) out = insertBeforeBodyEnd(out, pixelImage(options.pixelUrl));
  return out;
}

function isTrackable(href: string, untracked: readonly string[]): boolean {
  // Only absolute http(s) links: mailto:, tel:, #anchors and relative links have nowhere to redirect to.
  if (!/^https?:\/\/[^/\s]/i.test(href)) return false;
  return !untracked.some((prefix) => href.startsWith(prefix));
}

/** The edit replacing the href value inside the start tag html[start..end]. */
function hrefEdit(html: string, start: number, end: number, url: string): Edit | undefined {
  const tag = html.slice(start, end + 1);
  const nameEnd = /^<[^\s/>]+/.exec(tag)?.[0].length ?? 0;
  ATTRIBUTE.lastIndex = nameEnd;
  for (let m = ATTRIBUTE.exec(tag); m; m = ATTRIBUTE.exec(tag)) {
    if (m[1]!.toLowerCase() !== 'href') continue;
    return { start: start + m.index, end: start + m.index + m[0].length, text: `href="${escapeAttribute(url)}"` };
  }
  return undefined;
}

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function applyEdits(html: string, edits: Edit[]): string {
  if (edits.length === 0) return html;
  const parts: string[] = [];
  let at = 0;
  for (const e of edits) {
    parts.push(html.slice(at, e.start), e.text);
    at = e.end;
  }
  parts.push(html.slice(at));
  return parts.join('');
}

const pixelImage = (url: string) =>
  `<img src="${escapeAttribute(url)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />`;

// No text, not displayed, out of the tab order and hidden from screen readers: no person reaches it,
// while scanners that fetch every href in the markup do (mautic/mautic#9798).
const honeypotAnchor = (url: string) =>
  `<a href="${escapeAttribute(url)}" style="display:none" aria-hidden="true" tabindex="-1"></a>`;

/** Just before the last </body>, or at the end of a fragment that has none. */
function insertBeforeBodyEnd(html: string, markup: string): string {
  const close = html.toLowerCase().lastIndexOf('</body');
  return close === -1 ? `${html}${markup}` : `${html.slice(0, close)}${markup}${html.slice(close)}`;
}
