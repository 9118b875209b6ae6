// Builders for search tests: plain StoryVersion objects and a scratch SQLite file.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { emptyContent, type StoryContent, type StoryVersion } from '../../src/model/story.ts';

export function version(storyId: string, content: Partial<StoryContent> & { text?: string }, at = '2026-01-15T10:00:00Z', n = 1): StoryVersion {
  const { text, ...rest } = content;
  const c: StoryContent = { ...emptyContent(content.language ?? 'ar'), ...rest };
  if (text !== undefined) c.body = text.split('\n\n').map((t) => ({ type: 'paragraph' as const, text: t }));
  return {
    storyId,
    version: n,
    revisionId: `${storyId}-v${n}`,
    kind: n === 1 ? 'published' : 'updated',
    pubStatus: 'usable',
    content: c,
    translationGroup: storyId,
    firstPublishedAt: at,
    versionCreatedAt: at,
    by: SYSTEM_ACTOR,
  };
}

export function tempDb(): { db: Database.Database; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsflow-search-'));
  const db = new Database(path.join(dir, 'search.db'));
  db.pragma('journal_mode = WAL');
  return {
    db,
    cleanup: () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
