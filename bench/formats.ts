// Serialisation throughput per format on one core (versions/s). Run: node --import tsx bench/formats.ts
// Uses the test story set (rich Arabic stories plus 200 corpus stories when ../shared is present).
import os from 'node:os';
import { allVersions, coreVersions, BASE_URL } from '../test/formats/stories.ts';
import { toNinjs3 } from '../src/formats/ninjs.ts';
import { toNinjs2 } from '../src/formats/ninjs2.ts';
import { toNewsML } from '../src/formats/newsml.ts';
import { atomEntry } from '../src/formats/atom.ts';
import type { StoryVersion } from '../src/model/story.ts';

const set = allVersions().map((s) => s.v);
const versions: StoryVersion[] = set.length > 10 ? set : coreVersions().map((s) => s.v);
const opts = { baseUrl: BASE_URL };
const seconds = Number(process.env.BENCH_SECONDS ?? 1);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

const cases: [string, (v: StoryVersion) => string, number | null][] = [
  ['ninjs 3.2 (JSON text)', (v) => JSON.stringify(toNinjs3(v, opts)), 20_000],
  ['ninjs 2.3 (JSON text)', (v) => JSON.stringify(toNinjs2(v, opts)), 20_000],
  ['NewsML-G2 2.35', (v) => toNewsML(v, opts), 5_000],
  ['Atom entry', (v) => atomEntry(v, opts), null],
];

function run(fn: (v: StoryVersion) => string): { perSec: number; avgBytes: number } {
  // Warm up the JIT (half a second), then count whole passes over the set for a fixed time.
  const warm = performance.now() + 500;
  while (performance.now() < warm) for (let i = 0; i < versions.length; i++) fn(versions[i]);
  let n = 0;
  let bytes = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < versions.length; i++) bytes += fn(versions[i]).length;
    n += versions.length;
  }
  const dt = (performance.now() - t0) / 1000;
  return { perSec: n / dt, avgBytes: bytes / n };
}

console.log(
  `newsflow format benchmark: ${versions.length} versions (${set.length > 10 ? 'test set incl. corpus' : 'core set only'}), ${rounds} rounds x ${seconds}s per format (rounds interleaved; median and best shown), one core`,
);
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} CPUs visible`);
console.log('');
// Rounds are interleaved so that load from other processes hits every format alike.
const results = cases.map(() => [] as { perSec: number; avgBytes: number }[]);
for (let r = 0; r < rounds; r++) cases.forEach(([, fn], i) => results[i].push(run(fn)));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log('| format | versions/s (median) | best round | avg chars | goal | met (median) |');
console.log('|---|---:|---:|---:|---:|---|');
cases.forEach(([name, , goal], i) => {
  const rates = results[i].map((r) => r.perSec).sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)];
  const best = rates[rates.length - 1];
  console.log(
    `| ${name} | ${fmt(median)} | ${fmt(best)} | ${fmt(results[i][0].avgBytes)} | ${goal ? fmt(goal) : '—'} | ${goal ? (median >= goal ? 'yes' : 'NO') : ''} |`,
  );
});
