// Weight tuning for search ranking (issue 16), on the TUNING corpus only (arabic-news.jsonl): builds
// the newsflow index once into a scratch file (reused by later runs), then scores the known-item
// queries of bench/search.ts under each weight set given. The held-out corpus is never read here.
//
//   node --import tsx bench/search-tune.ts [scratch-dir]   (env TUNE_GRID=1 sweeps the grid below)
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SearchIndex, type SearchIndexOptions } from '../src/search/index.ts';
import { buildQueries, load, toVersion } from './search.ts';

const dir = process.argv[2] ?? '/tmp/newsflow-search-tune';
fs.mkdirSync(dir, { recursive: true });
const docs = load(path.resolve(import.meta.dirname, '../../shared/corpus/arabic-news.jsonl'));
const queries = buildQueries(docs, 'tuning');
const file = path.join(dir, 'tuning.db');
const fresh = !fs.existsSync(file);
const db = new Database(file);
db.pragma('journal_mode = WAL');
if (fresh) {
  const t0 = performance.now();
  new SearchIndex(db).reindex(docs.map(toVersion));
  console.log(`built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

function score(ix: SearchIndex) {
  const acc = { title: [0, 0, 0, 0], body: [0, 0, 0, 0] };
  for (const q of queries) {
    let ids: string[] = [];
    try {
      ids = ix.search(q.q, { limit: 10 }).hits.map((h) => h.storyId);
    } catch {
      /* counted as a miss */
    }
    const r = ids.indexOf(q.docId);
    const a = acc[q.set];
    a[3]++;
    if (r === 0) a[0]++;
    if (r >= 0) {
      a[1]++;
      a[2] += 1 / (r + 1);
    }
  }
  const f = (a: number[]) => `s@1 ${(a[0] / a[3]).toFixed(3)} s@10 ${(a[1] / a[3]).toFixed(3)} MRR ${(a[2] / a[3]).toFixed(3)}`;
  return { title: acc.title[2] / acc.title[3], body: acc.body[2] / acc.body[3], text: `title ${f(acc.title)} | body ${f(acc.body)}` };
}

// Each set: column weights (BM25) and the field-aware rule's weights (rank.ts).
const sets: Pick<SearchIndexOptions, 'weights' | 'rank'>[] = process.env.TUNE_SETS ? [] : [{}, { rank: { headline: 0, together: 0 } }];
if (process.env.TUNE_GRID) {
  for (const headline of [0.5, 1, 2, 4]) for (const together of [0, 0.5, 1, 2]) sets.push({ rank: { headline, together } });
}
if (process.env.TUNE_SETS) sets.push(...JSON.parse(process.env.TUNE_SETS));
for (const w of sets) {
  const s = score(new SearchIndex(db, w));
  console.log(JSON.stringify(w), s.text, `mean ${((s.title + s.body) / 2).toFixed(3)}`);
}
