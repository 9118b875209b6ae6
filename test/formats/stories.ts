// The test set every format is rendered and validated for: a rich Arabic story shaped like the seed
// (own text, invented for the tests), its corrected and killed versions, a story with a photo, an
// embargoed one, the real seed page (read from ../shared, never copied) and 200 corpus stories.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Block, StoryContent, StoryVersion } from '../../src/model/story.ts';
import { needShared } from '../helpers.ts';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = path.resolve(REPO, '../shared');
export const STANDARDS = path.join(SHARED, 'standards');
export const BASE_URL = 'https://wire.example.org';

export function richContent(): StoryContent {
  return {
    language: 'ar',
    headline: 'يوم للتضامن مع المعتقلين: حملة عالمية تدعو إلى التحرك (تقرير إخباري)',
    deck: 'ناشطون في عدة قارات يدعون إلى وقفات ومسيرات للمطالبة بالإفراج عن المعتقلين وإدخال المساعدات',
    body: [
      { type: 'paragraph', text: 'يدعو ناشطون حقوقيون في مدن عدة إلى المشاركة في فعاليات واسعة يوم السبت، للمطالبة بالإفراج عن المعتقلين وإدخال المساعدات.' },
      {
        type: 'paragraph',
        text: 'وجاءت هذه الدعوات في إطار مبادرة عنوانها "معًا من أجل العدالة"، تداولها المستخدمون منذ أسبوع في المنصات & المنتديات <الرقمية>.',
      },
      { type: 'subheading', text: 'مشاركة واسعة' },
      { type: 'paragraph', text: 'وتشمل الفعاليات المخطط لها مظاهرات ووقفات احتجاجية في عواصم مثل لندن وباريس، بحسب المنظمين ١٢٣ شخصًا.' },
      { type: 'quote', text: 'لن نتوقف حتى يعود كل معتقل إلى بيته', attribution: 'منسقة الحملة' },
      { type: 'subheading', text: 'مطالب الحملة' },
      { type: 'list', ordered: true, items: ['الإفراج عن المعتقلين', 'رفع الحصار', 'إدخال المساعدات'] },
      { type: 'list', ordered: false, items: ['لندن', 'باريس', 'إسطنبول'] },
      { type: 'paragraph', text: 'وأكد المنظمون أن الفعاليات ستكون سلمية، داعين إلى استخدام وسم #معا_للعدالة على المنصات.' },
    ],
    byline: [
      { name: 'Yusuf Demir', names: { ar: 'يوسف دمير', tr: 'Yusuf Demir' }, role: 'reporter' },
      { name: 'سارة خليل', role: 'editor' },
    ],
    dateline: { place: 'إسطنبول', placeNames: { tr: 'İstanbul', en: 'Istanbul' }, reporter: 'يوسف دمير', agency: 'الأناضول' },
    categories: ['الدول العربية', 'التقارير'],
    keywords: ['تضامن', 'معتقلون'],
    hashtags: ['معا_للعدالة'],
    photos: [],
    urgency: 3,
    mediaType: 'text',
    slugline: 'SOLIDARITY-DAY',
    provenance: { source: 'anadolu', sourceUrl: 'https://example.org/ar/story/123', originalIds: { aa: 'aa-123' } },
  };
}

export function version(content: StoryContent, over: Partial<StoryVersion> = {}): StoryVersion {
  return {
    storyId: 'st-0001',
    version: 1,
    revisionId: 'rev-0001-1',
    kind: 'published',
    pubStatus: 'usable',
    content,
    translationGroup: 'st-0001',
    firstPublishedAt: '2026-01-30T09:00:00Z',
    versionCreatedAt: '2026-01-30T09:00:00Z',
    by: SYSTEM_ACTOR,
    ...over,
  };
}

/** The fixed, hand-built part of the test set. */
export function coreVersions(): { label: string; v: StoryVersion }[] {
  const rich = richContent();
  const photo: StoryContent = {
    ...richContent(),
    headline: 'صورة أرشيفية لسجن',
    photos: [
      {
        url: 'https://media.example.org/photos/prison-archive.jpg',
        caption: 'سجن - أرشيفية',
        credit: 'الأناضول',
        altText: 'مبنى سجن بأسوار عالية',
        width: 1600,
        height: 900,
        mimeType: 'image/jpeg',
      },
      { url: 'https://media.example.org/photos/march.jpg', caption: 'مسيرة في لندن' },
    ],
  };
  const embargoed: StoryContent = { ...richContent(), embargoUntil: '2026-02-01T06:00:00Z', urgency: 1, translationOf: 'st-0000' };
  const english: StoryContent = {
    ...richContent(),
    language: 'en',
    headline: 'Solidarity day: a global campaign calls for action',
    deck: undefined,
    body: [{ type: 'paragraph', text: 'Activists call for rallies on Saturday.' }],
    byline: [],
    dateline: undefined,
    categories: ['World', 'Sport', 'unmapped category'],
    keywords: [],
    hashtags: [],
    slugline: undefined,
    provenance: undefined,
  };
  delete english.deck;
  delete english.dateline;
  delete english.slugline;
  delete english.provenance;
  return [
    { label: 'rich', v: version(rich) },
    {
      label: 'corrected',
      v: version(rich, {
        version: 2,
        revisionId: 'rev-0001-2',
        kind: 'corrected',
        correctionNote: 'صُحّح عدد المشاركين في الفقرة الثالثة.',
        versionCreatedAt: '2026-01-30T11:00:00Z',
      }),
    },
    {
      label: 'killed',
      v: version(rich, {
        version: 3,
        revisionId: 'rev-0001-3',
        kind: 'killed',
        pubStatus: 'canceled',
        killReason: 'سُحب الخبر لخطأ في المصدر.',
        versionCreatedAt: '2026-01-30T12:00:00Z',
      }),
    },
    { label: 'photo', v: version(photo, { storyId: 'st-0002', revisionId: 'rev-0002-1', translationGroup: 'st-0002' }) },
    { label: 'embargoed', v: version(embargoed, { storyId: 'st-0003', revisionId: 'rev-0003-1', translationGroup: 'st-0000' }) },
    { label: 'english', v: version(english, { storyId: 'st-0004', revisionId: 'rev-0004-1', translationGroup: 'st-0004' }) },
  ];
}

/**
 * The real seed page as a version, parsed with a few lines following its README layout (the seed-page
 * importer proper belongs to src/formats/seed-page.ts). A missing ../shared fails the test that asks.
 */
export function seedVersion(): StoryVersion {
  const file = needShared(path.join(SHARED, 'seed', 'aa-ar-2026-01-30-prisoners-solidarity.txt'));
  const blocks = readFileSync(file, 'utf8')
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
  // Block 4 holds the author line and, on its next line, the photo alt text.
  const [cats, headline, deck, authorBlock, placeTr, dateline, ...rest] = blocks;
  const authorLine = authorBlock.split('\n')[0];
  const bodyBlocks = rest.slice(0, -1); // last block is the agency footer, not body
  const body: Block[] = bodyBlocks.map((t) =>
    t.startsWith('**') ? { type: 'subheading', text: t.replace(/^\*\*\s*/, '') } : { type: 'paragraph', text: t.replace(/\s+/g, ' ') },
  );
  const [place, reporter, agency] = dateline.split(' / ').map((s) => s.trim());
  const author = authorLine
    .split('|')[0]
    .replace(/\u00a0/g, ' ')
    .trim();
  const hashtags = [...new Set([...rest.join(' ').matchAll(/#([\p{L}\p{N}_]+)/gu)].map((m) => m[1]))];
  const content: StoryContent = {
    language: 'ar',
    headline,
    deck,
    body,
    byline: [{ name: author, names: { ar: reporter }, role: 'author' }],
    dateline: { place, placeNames: { tr: placeTr }, reporter, agency },
    categories: cats.split(',').map((s) => s.trim()),
    keywords: [],
    hashtags,
    photos: [{ url: 'https://wire.example.org/media/seed.jpg', caption: 'سجن إسرائيلي-أرشيفية' }],
    urgency: 4,
    mediaType: 'text',
  };
  return version(content, {
    storyId: 'seed',
    revisionId: 'rev-seed-1',
    translationGroup: 'seed',
    firstPublishedAt: '2026-01-30T08:00:00Z',
    versionCreatedAt: '2026-01-30T08:00:00Z',
  });
}

/** The first `n` corpus lines as published versions (text read at test time, never stored). */
export function corpusVersions(n = 200): StoryVersion[] {
  const file = needShared(path.join(SHARED, 'corpus', 'arabic-news.jsonl'));
  // Read only the head of the 87 MB file; the last (cut) line is dropped.
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(4_000_000);
  const got = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  const head = buf.subarray(0, got).toString('utf8');
  const lines = head
    .slice(0, head.lastIndexOf('\n'))
    .split('\n')
    .slice(0, n)
    .filter((l) => l.trim());
  return lines.map((line, i) => {
    const r = JSON.parse(line) as { id: string; source: string; category: string; title: string; body: string; date: string };
    const body: Block[] = r.body
      .split('\n')
      .map((t) => t.replace(/[ \t]+/g, ' ').trim())
      .filter(Boolean)
      .map((text) => ({ type: 'paragraph', text }));
    const hashtags = [...new Set([...r.body.matchAll(/#([\p{L}\p{N}_]+)/gu)].map((m) => m[1]))];
    const content: StoryContent = {
      language: 'ar',
      headline: r.title.trim(),
      body,
      byline: [],
      categories: [r.category],
      keywords: [],
      hashtags,
      photos: [],
      urgency: 4,
      mediaType: 'text',
      provenance: { source: r.source, originalIds: { ant: r.id } },
    };
    const date = r.date.length === 10 ? `${r.date}T00:00:00Z` : r.date;
    return version(content, {
      storyId: `corpus-${i}`,
      revisionId: `rev-corpus-${i}`,
      translationGroup: `corpus-${i}`,
      firstPublishedAt: date,
      versionCreatedAt: date,
    });
  });
}

/** Everything: the core set, the seed, and 200 corpus stories. */
export function allVersions(): { label: string; v: StoryVersion }[] {
  const out = coreVersions();
  out.push({ label: 'seed', v: seedVersion() });
  corpusVersions().forEach((v, i) => out.push({ label: `corpus-${i}`, v }));
  return out;
}
