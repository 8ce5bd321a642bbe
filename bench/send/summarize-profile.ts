// Summarizes a V8 .cpuprofile (from `npm run bench:send -- --cpu-prof`): self time by function and
// by module (a package under node_modules, a file of ours, or a Node internal), and how busy the
// thread was in each 5 s window (the share of samples not idle), to find the phase under load.
// Usage: node --import tsx bench/send/summarize-profile.ts <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: summarize-profile.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const totalUs = profile.endTime - profile.startTime;

function moduleOf(url: string): string {
  if (!url) return '(native / GC / idle)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  // Our files, in the working tree or in the benchmark's snapshot of it.
  const ours = /\/((?:src|bench|test)\/.*)$/.exec(url);
  if (ours) return ours[1]!;
  return url.startsWith('node:') ? url : url.replace(/^file:\/\//, '');
}

const byFunction = new Map<string, number>();
const byModule = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const fn = `${functionName || '(anonymous)'} ${moduleOf(url)}${url ? `:${lineNumber + 1}` : ''}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  byModule.set(moduleOf(url), (byModule.get(moduleOf(url)) ?? 0) + us);
}

// Inclusive ("total") time: each sample counts once for every distinct function on its stack.
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${moduleOf(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
const inclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) seen.add(label(byId.get(at)!));
  for (const fn of seen) inclusive.set(fn, (inclusive.get(fn) ?? 0) + us);
}
const ourInclusive = new Map([...inclusive].filter(([fn]) => / (src|bench)\//.test(fn)));

const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}\n`);
  console.log('| self ms | % | where |\n| ---: | ---: | --- |');
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`| ${(us / 1000).toFixed(0)} | ${((100 * us) / totalUs).toFixed(1)} | ${name.replaceAll('|', '\\|')} |`);
  }
};
console.log(`Profile ${file}: ${(totalUs / 1e6).toFixed(1)} s`);
print('Self time by module', byModule);
print('Self time by function', byFunction);
print('Total (inclusive) time of our functions', ourInclusive);

// Busy share per 5 s window: a thread near 100 % in the load phase is CPU-bound; well below, it waits.
const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
const windows = new Map<number, { total: number; idle: number }>();
let elapsedUs = 0;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i] ?? 0;
  elapsedUs += us;
  const w = windows.get(Math.floor(elapsedUs / 5e6)) ?? { total: 0, idle: 0 };
  w.total += us;
  if (idle.has(id)) w.idle += us;
  windows.set(Math.floor(elapsedUs / 5e6), w);
});
console.log('\nBusy per 5 s window (s from the profile start: % not idle)\n');
console.log([...windows].map(([w, { total, idle: i }]) => `${w * 5}: ${total ? Math.round(100 * (1 - i / total)) : 0} %`).join(', '));

