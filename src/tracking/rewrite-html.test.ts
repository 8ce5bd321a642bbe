import { describe, expect, it } from 'vitest';
import { rewriteHtml, type HtmlRewriteOptions } from './rewrite-html.ts';

const options = (over: Partial<HtmlRewriteOptions> = {}): HtmlRewriteOptions => ({
  trackClicks: true,
  pixelUrl: 'https://t.example/t/o/PIX',
  clickUrl: (url, i) => `https://t.example/t/c/${i}:${encodeURIComponent(url)}`,
  untrackedPrefixes: ['https://t.example/u/'],
  unsubscribeUrl: 'https://t.example/u/UNSUB',
  ...over,
});

describe('rewriteHtml', () => {
  it('rewrites http and https links in document order, entities decoded into the destination', () => {
    const out = rewriteHtml('<p><a href="https://a.example/x?y=1&amp;z=2">A</a> <A HREF=http://b.example/>B</A></p>', options());
    expect(out).toContain(`href="https://t.example/t/c/0:${encodeURIComponent('https://a.example/x?y=1&z=2')}"`);
    expect(out).toContain(`href="https://t.example/t/c/1:${encodeURIComponent('http://b.example/')}"`);
    expect(out).toContain('>A</a>');
  });

  it('leaves mailto:, tel:, anchors, relative links and our unsubscribe page alone', () => {
    const html = '<a href="mailto:x@y.z">m</a><a href="tel:+1">t</a><a href="#top">a</a><a href="/rel">r</a><a href="https://t.example/u/abc">u</a>';
    expect(rewriteHtml(html, options({ pixelUrl: undefined }))).toBe(html);
  });

  it('fills {{unsubscribe_url}} and never click-tracks it', () => {
    const out = rewriteHtml('<a href="{{ unsubscribe_url }}">Unsubscribe</a><a href="https://c.example/">c</a>', options({ pixelUrl: undefined }));
    expect(out).toBe(`<a href="https://t.example/u/UNSUB">Unsubscribe</a><a href="https://t.example/t/c/0:${encodeURIComponent('https://c.example/')}">c</a>`);
  });

  it('keeps other attributes and ignores href-like text in comments, scripts and other attributes', () => {
    const html = '<!-- <a href="https://hidden.example/"> --><script>var s = \'<a href="https://js.example/">\';</script>' +
      '<a title="see href=https://t.example" data-href="https://d.example/" class=btn href=\'https://real.example/\' target=_blank>x</a>';
    const out = rewriteHtml(html, options({ pixelUrl: undefined }));
    expect(out).toContain('<!-- <a href="https://hidden.example/"> -->');
    expect(out).toContain('\'<a href="https://js.example/">\'');
    expect(out).toBe(html.replace(`href='https://real.example/'`, `href="https://t.example/t/c/0:${encodeURIComponent('https://real.example/')}"`));
  });

  it('puts the pixel just before </body>, or at the end of a fragment', () => {
    expect(rewriteHtml('<html><body><p>hi</p></BODY></html>', options())).toMatch(/<p>hi<\/p><img src="https:\/\/t.example\/t\/o\/PIX"[^>]*><\/BODY><\/html>$/);
    expect(rewriteHtml('<p>hi</p>', options())).toMatch(/^<p>hi<\/p><img src="https:\/\/t.example\/t\/o\/PIX"/);
  });

  it('with click tracking off, links stay as written and only the pixel is added', () => {
    const html = '<a href="https://a.example/">a</a>';
    expect(rewriteHtml(html, options({ trackClicks: false }))).toBe(`${html}<img src="https://t.example/t/o/PIX" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />`);
  });

  it('survives malformed markup without losing text', () => {
    const html = '<a href="https://a.example/"<b>unclosed <a href=>empty</a> <a>no href</a> <a href="https://b.example/';
    const out = rewriteHtml(html, options({ pixelUrl: undefined }));
    expect(out).toContain('unclosed');
    expect(out).toContain('no href');
  });
});
