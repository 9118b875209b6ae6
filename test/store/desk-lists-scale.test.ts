// The desk's story list and wire monitor at 50,000 stories: every filter combination must be one index
// range read in order (EXPLAIN QUERY PLAN), never a full scan sorted in a temporary b-tree, so a page
// costs the same at 50 or 50,000 stories. The plan is asserted, not the time (the machine is shared).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import type { ImportedStory, StoryListQuery, WireQuery } from '../../src/model/store.ts';
import type { Urgency } from '../../src/model/story.ts';
import { wireSql } from '../../src/store/sqlite/events.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import { storyListSql } from '../../src/store/sqlite/stories.ts';
import { sampleContent, tempDbFile } from '../helpers.ts';

const STORIES = 50_000;
const LANGUAGES = ['ar', 'en', 'tr'];
const DESKS = ['world', 'economy', 'sport', 'culture'];
const CATEGORIES = ['politics', 'economy', 'sport', 'health', 'science'];

let store: SqliteStore;

/**
 * The plan's lines, and why it is not an index range read in order (null when it is): no temporary
 * b-tree sort, no table scan, and the first (driving) line is one of the indexes `drivers` allows, so a
 * filter narrows the range instead of being checked row by row along the whole log.
 */
function planProblem(sql: string, args: unknown[], drivers: RegExp[]): { plan: string[]; problem: string | null } {
  const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail);
  const sorts = plan.filter((l) => /TEMP B-TREE/.test(l));
  if (sorts.length) return { plan, problem: `sorts in a temporary b-tree: ${sorts.join('; ')}` };
  const scans = plan.filter((l) => /^SCAN /.test(l) && !/USING (COVERING )?INDEX/.test(l));
  if (scans.length) return { plan, problem: `scans a whole table: ${scans.join('; ')}` };
  if (!drivers.some((d) => d.test(plan[0]))) return { plan, problem: `driven by ${plan[0]}, not by ${drivers.join(' or ')}` };
  return { plan, problem: null };
}

/** The index ranges that may drive a story-list query: one that narrows by a filter it has. */
function storyDrivers(q: StoryListQuery): RegExp[] {
  const d: RegExp[] = [];
  if (q.status) d.push(/USING INDEX stories_list_\w+ \(.*list_status=\?/);
  if (q.language) d.push(/USING INDEX stories_list_language\w* \(language=\?/);
  if (q.desk) d.push(/USING INDEX stories_list_desk\w* \(desk=\?/);
  return d.length ? d : [/USING INDEX stories_updated /];
}

/** The index ranges that may drive a wire query. */
function wireDrivers(q: WireQuery): RegExp[] {
  const d: RegExp[] = [];
  if (q.category) d.push(/^SEARCH c USING PRIMARY KEY \(category=\?/);
  if (q.language) d.push(/USING INDEX events_language /);
  if (q.urgency) d.push(/USING INDEX events_urgency /);
  if (q.kind) d.push(/USING INDEX events_kind /);
  if (q.embargoed === true) d.push(/USING INDEX events_embargoed /);
  // Unfiltered, or only "not embargoed" (nearly every event): newest first straight along the log.
  return d.length ? d : [/^SEARCH e USING INTEGER PRIMARY KEY \(rowid<\?\)/];
}

before(async () => {
  store = new SqliteStore(tempDbFile());
  const start = Date.parse('2020-01-01T00:00:00Z');
  const future = new Date(Date.now() + 86_400_000).toISOString();
  for (let from = 0; from < STORIES; from += 5_000) {
    const batch: ImportedStory[] = [];
    for (let i = from; i < Math.min(STORIES, from + 5_000); i++) {
      batch.push({
        content: sampleContent({
          headline: `خبر رقم ${i}`,
          language: LANGUAGES[i % LANGUAGES.length],
          desk: DESKS[i % DESKS.length],
          categories: [CATEGORIES[i % CATEGORIES.length], CATEGORIES[(i + 2) % CATEGORIES.length]],
          urgency: ((i % 6) + 1) as Urgency,
          body: [{ type: 'paragraph', text: `نص الخبر ${i}` }],
          ...(i % 500 === 0 ? { embargoUntil: future } : {}),
        }),
        publishedAt: new Date(start + i * 60_000).toISOString(),
      });
    }
    await store.importPublished(batch, { deferIndex: true });
  }
  // Some desk work on top of the archive: drafts, submitted drafts, kills.
  for (let i = 0; i < 200; i++) {
    const s = await store.createStory(sampleContent({ headline: `مسودة ${i}`, desk: DESKS[i % DESKS.length] }), SYSTEM_ACTOR);
    if (i % 3 === 0) await store.setWorkflow(s.id, 'submitted', SYSTEM_ACTOR);
  }
});

after(async () => {
  await store.close();
});

describe(`desk lists at ${STORIES} stories`, () => {
  it('has the archive loaded', async () => {
    assert.equal(await store.countStories(), STORIES + 200);
  });

  const statuses = [undefined, 'draft', 'submitted', 'published', 'embargoed', 'killed'] as const;
  const storyQueries: StoryListQuery[] = [];
  for (const status of statuses) {
    for (const language of [undefined, 'en']) {
      for (const desk of [undefined, 'economy']) storyQueries.push({ status, language, desk });
    }
  }

  it('answers every story-list filter combination from one index, in order', async () => {
    const now = new Date().toISOString();
    const problems: string[] = [];
    for (const q of storyQueries) {
      for (const after of [undefined, '2020-01-10T00:00:00.000Z~01h0000000000000000000000']) {
        const { sql, args } = storyListSql({ ...q, after }, now);
        const { plan, problem } = planProblem(sql, args, storyDrivers(q));
        if (problem) problems.push(`${JSON.stringify({ ...q, after })}: ${problem} (${plan.join(' | ')})`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('answers every wire-monitor filter from one index, in order', async () => {
    const now = new Date().toISOString();
    const queries: WireQuery[] = [
      {},
      { language: 'tr' },
      { category: 'health' },
      { urgency: 1 },
      { kind: 'published' },
      { embargoed: true },
      { embargoed: false },
      { language: 'ar', category: 'sport' },
      { language: 'en', urgency: 2, kind: 'published' },
      { category: 'science', embargoed: true },
    ];
    const problems: string[] = [];
    for (const q of queries) {
      for (const before of [undefined, 30_000]) {
        const { sql, args } = wireSql({ ...q, before }, now);
        const { plan, problem } = planProblem(sql, args, wireDrivers(q));
        if (problem) problems.push(`${JSON.stringify({ ...q, before })}: ${problem} (${plan.join(' | ')})`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('returns full pages with the right rows', async () => {
    const page = await store.storyList({ language: 'en', desk: 'economy', limit: 50 });
    assert.equal(page.stories.length, 50);
    assert.ok(page.stories.every((s) => s.language === 'en' && s.desk === 'economy'));
    assert.ok(page.stories.every((s, i) => i === 0 || s.updatedAt <= page.stories[i - 1].updatedAt));
    const embargoed = await store.storyList({ status: 'embargoed', limit: 200 });
    assert.equal(embargoed.stories.length, STORIES / 500);
    assert.equal((await store.storyList({ status: 'submitted', limit: 200 })).stories.length, 67);
    const wire = await store.wire({ category: 'health', language: 'ar', limit: 50 });
    assert.equal(wire.entries.length, 50);
    assert.ok(wire.entries.every((e) => e.event.categories.includes('health') && e.event.language === 'ar'));
    assert.ok(wire.entries.every((e, i) => i === 0 || e.event.seq < wire.entries[i - 1].event.seq));
    const next = await store.wire({ category: 'health', language: 'ar', limit: 50, before: wire.next! });
    assert.ok(next.entries[0].event.seq < wire.entries[49].event.seq);
    assert.equal((await store.wire({ embargoed: true, limit: 200 })).entries.length, STORIES / 500);
  });
});
