// Shared test helpers: temporary stores, sample stories, a server on a loopback port.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StoryContent } from '../src/model/story.ts';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED = resolve(REPO, '../shared');
export const SEED_FILE = join(SHARED, 'seed/aa-ar-2026-01-30-prisoners-solidarity.txt');
export const CORPUS = join(SHARED, 'corpus/arabic-news.jsonl');
export const CORPUS2 = join(SHARED, 'corpus/arabic-news-2.jsonl');
export const hasShared = existsSync(SEED_FILE);

/**
 * A file from ../shared that a test reads. A missing one fails the test with what to do, never a skip:
 * scripts/test-tools.sh (npm's pretest) stops a whole run without ../shared the same way.
 */
export function needShared(file: string = SEED_FILE): string {
  if (!existsSync(file)) {
    throw new Error(
      `${file} is missing: the tests read the project's shared/ folder (seed story, corpora, official standards), which belongs beside the repository at ${SHARED}`,
    );
  }
  return file;
}

/** A fresh folder that is removed when the test process ends. */
export function tempDir(prefix = 'newsflow-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A path for a new SQLite file in a fresh folder. With NEWSFLOW_TEST_STORE=postgres, a new database in the
 * tests' PostgreSQL cluster instead (its URL): any test file that opens its store through this function
 * then runs on PostgreSQL, e.g. `NEWSFLOW_TEST_STORE=postgres node --import tsx --test test/http/*.test.ts`.
 */
export function tempDbFile(): string {
  if (process.env.NEWSFLOW_TEST_STORE === 'postgres') return tempPostgresUrl();
  return join(tempDir(), 'newsflow.db');
}

/**
 * The settings that point a `newsflow` process at `target` (from tempDbFile()): NEWSFLOW_DATA for a SQLite
 * file; for a PostgreSQL URL, NEWSFLOW_DATABASE_URL, with NEWSFLOW_DATA in a fresh folder for the media.
 */
export function storeEnv(target: string): Record<string, string> {
  if (!/^postgres(ql)?:\/\//i.test(target)) return { NEWSFLOW_DATA: target };
  return { NEWSFLOW_DATABASE_URL: target, NEWSFLOW_DATA: join(tempDir(), 'newsflow.db') };
}

/** The environment of a quiet server on a free loopback port with a new empty store and no demo, plus `extra`. */
export function quietServerEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PORT: '0', HOST: '127.0.0.1', NEWSFLOW_DATA: tempDbFile(), NEWSFLOW_DEMO: '0', NEWSFLOW_QUIET: '1', ...extra };
}

function tempPostgresUrl(): string {
  const info = JSON.parse(readFileSync(join(process.env.NEWSFLOW_TEST_PG_DIR ?? join(tmpdir(), 'newsflow-test-pg'), 'cluster.json'), 'utf8'));
  const name = `nf_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  execFileSync(join(info.bin, 'psql'), [info.url, '-qc', `CREATE DATABASE ${name}`]);
  process.once('exit', () => {
    try {
      execFileSync(join(info.bin, 'psql'), [info.url, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { stdio: 'ignore' });
    } catch {
      // the cluster is gone: nothing to drop
    }
  });
  const u = new URL(info.url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A complete story content shaped like the seed (the project's own text). */
export function sampleContent(over: Partial<StoryContent> = {}): StoryContent {
  return {
    language: 'ar',
    headline: 'مؤتمر إقليمي لتقاسم المياه يختتم أعماله في عمّان',
    deck: 'المشاركون يتفقون على خطة مشتركة لإدارة الأحواض المائية',
    body: [
      { type: 'paragraph', text: 'اختتم المؤتمر الإقليمي لتقاسم المياه أعماله اليوم بمشاركة ١٢ دولة.' },
      { type: 'subheading', text: 'خطة مشتركة' },
      { type: 'paragraph', text: 'وقال المنظمون إن الخطة تبدأ في 2027 #المياه_للجميع' },
    ],
    byline: [{ name: 'Layla Haddad', names: { ar: 'ليلى حداد' }, role: 'reporter' }],
    dateline: { place: 'عمّان', placeNames: { en: 'Amman' }, reporter: 'ليلى حداد', agency: 'وكالة نيوزفلو التجريبية' },
    categories: ['الدول العربية', 'التقارير'],
    keywords: ['المياه'],
    hashtags: [],
    photos: [{ url: '/static/demo/water.svg', caption: 'قاعة المؤتمر', credit: 'Newsflow Demo Agency' }],
    urgency: 4,
    mediaType: 'text',
    ...over,
  };
}
