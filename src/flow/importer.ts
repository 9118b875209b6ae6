// Imports files into the store as published stories: the public-page text layout (the seed) and the
// archive JSONL layout of the corpora. Archive lines load in batches, each batch one transaction, so
// a whole corpus loads in seconds; a bad line is reported with its number and skipped.
import type { Actor } from '../model/actor.ts';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { readArchive } from '../formats/archive-jsonl.ts';
import { detectFormat } from '../formats/detect.ts';
import { DOCUMENT_FORMATS, readDocuments } from './documents.ts';
import { parsePublicPage } from '../formats/seed-page.ts';
import { validateContent } from '../model/validate.ts';
import type { FlowEvent } from '../model/story.ts';
import type { ImportedStory, Store } from '../model/store.ts';
import type { Hub } from './hub.ts';

export interface ImportProblem {
  file: string;
  /** 1-based line number, when the problem is on one line. */
  line?: number;
  message: string;
}

export interface ImportReport {
  file: string;
  format: string;
  imported: number;
  skipped: number;
  failed: ImportProblem[];
  /** Items their source marks canceled or withheld: read, not imported. */
  withdrawn?: ImportProblem[];
  /** Ids of the stories imported: all of them for documents and pages, the first few for archives. */
  storyIds?: string[];
  events: FlowEvent[];
  /** Archive stories loaded but not yet indexed for search (deferSearch). */
  searchDeferred?: boolean;
}

export interface ImportProgress {
  file: string;
  done: number;
  total: number;
}

export interface ImportOptions {
  batchSize?: number;
  onProgress?: (p: ImportProgress) => void;
  /** Keep the events in the report (off for big archives, to keep memory flat). */
  keepEvents?: boolean;
  /**
   * Archives are indexed for search in one pass after they load (the vocabulary of the whole archive
   * is counted first). By default importFile does that pass itself; a caller importing several
   * archives sets this and calls `reindexSearch` once at the end.
   */
  deferSearch?: boolean;
  onReindexProgress?: (done: number, total: number, phase: string) => void;
  /** Who imports (recorded as who created and published each story); newsflow itself by default. */
  by?: Actor;
}

/** What layout a file is in, from its first bytes (never from its name alone). */
export function sniffFormat(head: string): 'archive-jsonl' | 'document' | 'page-text' {
  const detected = detectFormat(head);
  if (detected === 'archive-jsonl') return 'archive-jsonl';
  if (DOCUMENT_FORMATS.includes(detected)) return 'document';
  // ninjs-array and JSON objects need the whole text to be told apart; the document reader decides.
  const first = head.replace(/^\uFEFF/, '').trimStart();
  if (first.startsWith('{') || first.startsWith('[') || first.startsWith('<')) return 'document';
  return 'page-text';
}

export class Importer {
  constructor(
    private readonly store: Store,
    private readonly hub?: Hub,
  ) {}

  /** Imports one file in whichever supported layout it is. */
  async importFile(file: string, opts: ImportOptions = {}): Promise<ImportReport> {
    const size = statSync(file).size;
    const head = readHead(file);
    const format = sniffFormat(head);
    if (format === 'archive-jsonl') return this.importArchive(file, size, opts);
    const text = readFileSync(file, 'utf8');
    if (format === 'document') {
      try {
        const read = readDocuments(text);
        const report = await this.importItems(file, read.format, read.items, opts);
        const problem = (f: { item: string; message: string }) => ({
          file,
          line: /^line (\d+)/.exec(f.item)?.[1] ? Number(/^line (\d+)/.exec(f.item)![1]) : undefined,
          message: `${f.item}: ${f.message}`,
        });
        report.failed = read.failed.map(problem);
        report.withdrawn = read.withdrawn.map(problem);
        return report;
      } catch (e) {
        return { file, format: 'document', imported: 0, skipped: 0, failed: [{ file, message: (e as Error).message }], events: [] };
      }
    }
    try {
      const page = parsePublicPage(text);
      const key = createHash('sha1')
        .update(page.content.headline + '\u0000' + page.publishedAt)
        .digest('hex')
        .slice(0, 16);
      const content = validateContent({
        ...page.content,
        provenance: { ...page.content.provenance, originalIds: { ...page.content.provenance?.originalIds, page: key } },
      });
      return this.importItems(file, 'page-text', [{ content, publishedAt: page.publishedAt, updatedAt: page.updatedAt }], opts);
    } catch (e) {
      const line = (e as { line?: number }).line;
      return { file, format: 'page-text', imported: 0, skipped: 0, failed: [{ file, line, message: (e as Error).message }], events: [] };
    }
  }

  /** Rebuilds the search index over every live story (after bulk archive loads). */
  reindexSearch(onProgress?: (done: number, total: number, phase: string) => void): Promise<{ indexed: number; ms: number }> {
    return this.store.search.reindex(onProgress);
  }

  /** Imports stories read from a document (API or file). */
  async importItems(file: string, format: string, items: ImportedStory[], opts: ImportOptions): Promise<ImportReport> {
    const events = await this.store.importPublished(items, { by: opts.by });
    if (events.length) this.hub?.advance(events[events.length - 1].seq);
    opts.onProgress?.({ file, done: 1, total: 1 });
    return { file, format, imported: events.length, skipped: items.length - events.length, failed: [], events, storyIds: events.map((e) => e.storyId) };
  }

  private async importArchive(file: string, size: number, opts: ImportOptions): Promise<ImportReport> {
    const batchSize = opts.batchSize ?? 500;
    const report: ImportReport = { file, format: 'archive-jsonl', imported: 0, skipped: 0, failed: [], events: [], storyIds: [] };
    let batch: ImportedStory[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const events = await this.store.importPublished(batch, { deferIndex: true, by: opts.by });
      report.imported += events.length;
      report.skipped += batch.length - events.length;
      for (const e of events.slice(0, Math.max(0, ARCHIVE_IDS_SHOWN - report.storyIds!.length))) report.storyIds!.push(e.storyId);
      if (opts.keepEvents) report.events.push(...events);
      if (events.length) this.hub?.advance(events[events.length - 1].seq);
      batch = [];
    };
    for await (const entry of readArchive(file, { onProgress: (p) => opts.onProgress?.({ file, done: p.bytesRead, total: p.totalBytes || size }) })) {
      if (!entry.ok) {
        report.failed.push({ file, line: entry.lineNo, message: entry.error.message });
        continue;
      }
      try {
        batch.push({ content: validateContent(entry.item.content), publishedAt: entry.item.publishedAt });
      } catch (e) {
        report.failed.push({ file, line: entry.lineNo, message: `line ${entry.lineNo}: ${(e as Error).message}` });
      }
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    if (report.imported && !opts.deferSearch) await this.reindexSearch(opts.onReindexProgress);
    report.searchDeferred = report.imported > 0 && !!opts.deferSearch;
    return report;
  }
}

/** How many ids of an archive's stories a report keeps (an archive may hold a million). */
export const ARCHIVE_IDS_SHOWN = 5;

/** The first 64 KiB of a file, enough to tell its format. */
function readHead(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** A short human summary of an import. */
export function describeReport(r: ImportReport): string {
  const withdrawn = r.withdrawn ?? [];
  const lines = [
    `${basename(r.file)}: ${r.imported} imported, ${r.skipped} already present, ${r.failed.length} failed${withdrawn.length ? `, ${withdrawn.length} not for use` : ''} (${r.format})`,
  ];
  for (const w of withdrawn.slice(0, 20)) lines.push(`  skipped ${w.message}`);
  if (withdrawn.length > 20) lines.push(`  … and ${withdrawn.length - 20} more not for use`);
  for (const f of r.failed.slice(0, 20)) lines.push(`  ${f.line ? `line ${f.line}: ` : ''}${f.message.replace(/^line \d+: /, '')}`);
  if (r.failed.length > 20) lines.push(`  … and ${r.failed.length - 20} more`);
  return lines.join('\n');
}
