// What the dashboard's JavaScript weighs, read from the build in web/dist: what a first visit loads
// before any screen (the entry script and what index.html preloads: the test of the 250 KB target in
// src/http/web-app.test.ts counts the same), what opening the Overview or Email Logs adds (the
// screen's chunk and the chunks it imports), and all of it. Gzipped at zlib's default level, as a
// server compressing on the fly would send it; raw bytes beside.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { WEB_DIST_DIR } from '../../src/http/web-app.ts';

export type Weight = { files: number; bytes: number; gzipped: number };
export type JsSize = { initial: Weight; overview: Weight; emailLogs: Weight; total: Weight };

type Chunk = { file: string; imports?: string[]; isEntry?: boolean };

export const INITIAL_TARGET_KB = 250;

export function measureJsSize(distDir = WEB_DIST_DIR): JsSize {
  const indexHtml = readFileSync(join(distDir, 'index.html'), 'utf8');
  const initialFiles = [...indexHtml.matchAll(/<(?:script type="module"[^>]*src|link rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)].map((m) => m[1]!.replace(/^\//, ''));
  if (initialFiles.length === 0) throw new Error(`no script in ${join(distDir, 'index.html')}`);
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, Chunk>;
  const weigh = (files: Iterable<string>): Weight => {
    let bytes = 0;
    let gzipped = 0;
    let n = 0;
    for (const file of files) {
      const content = readFileSync(join(distDir, file));
      bytes += content.length;
      gzipped += gzipSync(content).length;
      n++;
    }
    return { files: n, bytes, gzipped };
  };
  // A screen's chunk and every chunk it imports statically (the browser fetches them together).
  const screen = (suffix: string): Weight => {
    const key = Object.keys(manifest).find((src) => src.endsWith(suffix));
    if (!key) throw new Error(`${suffix} is not in the build's manifest`);
    const files = new Set<string>();
    const visit = (k: string) => {
      const chunk = manifest[k];
      if (!chunk || files.has(chunk.file) || initialFiles.includes(chunk.file)) return;
      files.add(chunk.file);
      for (const i of chunk.imports ?? []) visit(i);
    };
    visit(key);
    return weigh(files);
  };
  const all = readdirSync(join(distDir, 'assets')).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);
  return { initial: weigh(initialFiles), overview: screen('overview/overview-screen.tsx'), emailLogs: screen('email-logs/email-logs-screen.tsx'), total: weigh(all) };
}
