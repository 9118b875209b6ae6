// The public website's read model on SQLite. Every read first catches the projection up with the flow
// log (one indexed max() when nothing changed), so a publish by any process shows on the next read
// without publishing code knowing the site exists.
import type Database from 'better-sqlite3';
import { publicImage } from '../../model/media.ts';
import { newId } from '../../model/ids.ts';
import { slugify } from '../../model/slug.ts';
import { sourceDateOnly } from '../../model/source-date.ts';
import { readerCategories } from '../../formats/archive-jsonl.ts';
import type { StoryContent, Urgency } from '../../model/story.ts';
import type { Lead, NewLead, SiteCategory, SiteListQuery, SiteStore, SiteSummary } from '../../model/site.ts';
import { stmt } from './statements.ts';
import { selectVersion } from './versions.ts';

interface SiteRow {
  story_id: string;
  language: string;
  version: number;
  killed: number;
  embargo_until: string | null;
  published_at: string;
  updated_at: string;
  urgency: number;
  headline: string;
  slug: string;
  translation_group: string;
  summary: string;
}

interface SummaryJson {
  deck: string | null;
  categories: SiteCategory[];
  photo: { url: string; alt: string; srcset?: string | null; width?: number | null; height?: number | null } | null;
  publishedDate?: string | null;
}

function toSummary(r: SiteRow): SiteSummary {
  const s = JSON.parse(r.summary) as SummaryJson;
  return {
    id: r.story_id,
    language: r.language,
    version: r.version,
    headline: r.headline,
    slug: r.slug,
    deck: s.deck,
    urgency: r.urgency as Urgency,
    publishedAt: r.published_at,
    updatedAt: r.updated_at,
    translationGroup: r.translation_group,
    categories: s.categories,
    photo: s.photo,
    publishedDate: s.publishedDate ?? null,
    embargoUntil: r.embargo_until,
    killed: r.killed === 1,
  };
}

/** Instants as UTC ISO strings: imported stories carry offsets (`+03:00`), and only one form sorts as text. */
function utc(at: string): string {
  const t = Date.parse(at);
  return Number.isNaN(t) ? at : new Date(t).toISOString();
}

/** The SQL condition "public now" on site_stories aliased `s`; takes the current instant as its one argument. */
const PUBLIC = `s.killed = 0 AND (s.embargo_until IS NULL OR s.embargo_until <= ?)`;

export class SqliteSiteStore implements SiteStore {
  constructor(private readonly db: Database.Database) {}

  async latest(q: SiteListQuery): Promise<SiteSummary[]> {
    this.sync();
    const now = (q.now ?? new Date()).toISOString();
    const after = q.before ? this.position_of(q.before) : null;
    if (q.category) {
      const args: unknown[] = [q.language ?? '', q.category, now];
      let page = '';
      if (after) {
        page = 'AND (c.published_at, c.story_id) < (?, ?)';
        args.push(after.published_at, after.story_id);
      }
      return (
        stmt(
          this.db,
          `SELECT s.* FROM site_categories c JOIN site_stories s ON s.story_id = c.story_id
                             WHERE c.language = ? AND c.slug = ? AND ${PUBLIC} ${page}
                             ORDER BY c.published_at DESC, c.story_id DESC LIMIT ?`,
        ).all(...args, q.limit) as SiteRow[]
      ).map(toSummary);
    }
    const where = [PUBLIC];
    const args: unknown[] = [now];
    if (q.language) {
      where.push('s.language = ?');
      args.push(q.language);
    }
    if (after) {
      where.push('(s.published_at, s.story_id) < (?, ?)');
      args.push(after.published_at, after.story_id);
    }
    return (
      stmt(
        this.db,
        `SELECT s.* FROM site_stories s WHERE ${where.join(' AND ')}
                           ORDER BY s.published_at DESC, s.story_id DESC LIMIT ?`,
      ).all(...args, q.limit) as SiteRow[]
    ).map(toSummary);
  }

  async story(id: string) {
    this.sync();
    const row = stmt(this.db, `SELECT * FROM site_stories WHERE story_id = ?`).get(id) as SiteRow | undefined;
    if (!row) return null;
    const version = selectVersion(this.db, id, row.version);
    return version ? { summary: toSummary(row), version } : null;
  }

  async translations(group: string, now = new Date()): Promise<SiteSummary[]> {
    this.sync();
    return (
      stmt(this.db, `SELECT s.* FROM site_stories s WHERE s.translation_group = ? AND ${PUBLIC} ORDER BY s.language`).all(group, now.toISOString()) as SiteRow[]
    ).map(toSummary);
  }

  async categories(language: string, limit = 12) {
    this.sync();
    return stmt(
      this.db,
      `SELECT slug, min(name) AS name, count(*) AS count FROM site_categories WHERE language = ?
                          GROUP BY slug ORDER BY count DESC, slug LIMIT ?`,
    ).all(language, limit) as (SiteCategory & { count: number })[];
  }

  async publicSummaries(ids: string[], now = new Date()): Promise<SiteSummary[]> {
    this.sync();
    if (!ids.length) return [];
    const rows = stmt(this.db, `SELECT s.* FROM site_stories s WHERE s.story_id IN (SELECT value FROM json_each(?)) AND ${PUBLIC}`).all(
      JSON.stringify(ids),
      now.toISOString(),
    ) as SiteRow[];
    const byId = new Map(rows.map((r) => [r.story_id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      return r ? [toSummary(r)] : [];
    });
  }

  async sitemap(offset: number, limit: number, now = new Date()): Promise<SiteSummary[]> {
    this.sync();
    return (
      stmt(
        this.db,
        `SELECT s.* FROM site_stories s WHERE ${PUBLIC}
                           ORDER BY s.published_at DESC, s.story_id DESC LIMIT ? OFFSET ?`,
      ).all(now.toISOString(), limit, offset) as SiteRow[]
    ).map(toSummary);
  }

  async countPublic(now = new Date()): Promise<number> {
    this.sync();
    return (stmt(this.db, `SELECT count(*) AS n FROM site_stories s WHERE ${PUBLIC}`).get(now.toISOString()) as { n: number }).n;
  }

  async position(): Promise<number> {
    this.sync();
    return this.cursor();
  }

  async insertLead(lead: NewLead, now = new Date()): Promise<Lead> {
    const row: Lead = { id: newId(now.getTime()), ...lead, createdAt: now.toISOString() };
    stmt(this.db, `INSERT INTO leads (id, name, email, organisation, message, language, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
      row.id,
      row.name,
      row.email,
      row.organisation,
      row.message,
      row.language,
      row.createdAt,
    );
    return row;
  }

  async listLeads(limit: number, before?: string): Promise<Lead[]> {
    const rows = stmt(this.db, `SELECT * FROM leads WHERE id < ? ORDER BY id DESC LIMIT ?`).all(before ?? '~', limit) as {
      id: string;
      name: string;
      email: string;
      organisation: string | null;
      message: string | null;
      language: string;
      created_at: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      organisation: r.organisation,
      message: r.message,
      language: r.language,
      createdAt: r.created_at,
    }));
  }

  private position_of(id: string): { published_at: string; story_id: string } | null {
    return (
      (stmt(this.db, `SELECT published_at, story_id FROM site_stories WHERE story_id = ?`).get(id) as { published_at: string; story_id: string } | undefined) ??
      null
    );
  }

  private cursor(): number {
    return (stmt(this.db, `SELECT seq FROM site_cursor WHERE id = 1`).get() as { seq: number }).seq;
  }

  private head(): number {
    return (stmt(this.db, `SELECT coalesce(max(seq), 0) AS head FROM events`).get() as { head: number }).head;
  }

  /** Brings the projection up to the log head: every story with an event since the cursor is rebuilt from its latest version. */
  sync(): void {
    const head = this.head();
    if (head <= this.cursor()) return;
    this.db
      .transaction(() => {
        const cursor = this.cursor();
        if (cursor >= head) return; // another process caught up while we waited for the lock
        const oldest = (stmt(this.db, `SELECT coalesce(min(seq), 1) AS o FROM events`).get() as { o: number }).o;
        // Events before the cursor may have been pruned: then the only safe source is every published story.
        const ids =
          cursor < oldest - 1
            ? (stmt(this.db, `SELECT id AS story_id FROM stories WHERE latest_version > 0`).all() as { story_id: string }[])
            : (stmt(this.db, `SELECT DISTINCT story_id FROM events WHERE seq > ? AND seq <= ?`).all(cursor, head) as { story_id: string }[]);
        for (const { story_id } of ids) this.refresh(story_id);
        stmt(this.db, `UPDATE site_cursor SET seq = ? WHERE id = 1`).run(head);
      })
      .immediate();
  }

  private refresh(id: string): void {
    const v = stmt(
      this.db,
      `SELECT v.* FROM stories s JOIN versions v ON v.story_id = s.id AND v.version = s.latest_version
                             WHERE s.id = ?`,
    ).get(id) as
      | {
          version: number;
          pub_status: string;
          content: string;
          translation_group: string;
          first_published_at: string;
          version_created_at: string;
          embargo_until: string | null;
          embargo_lifted_at: string | null;
        }
      | undefined;
    stmt(this.db, `DELETE FROM site_categories WHERE story_id = ?`).run(id);
    if (!v) {
      stmt(this.db, `DELETE FROM site_stories WHERE story_id = ?`).run(id);
      return;
    }
    const c = JSON.parse(v.content) as StoryContent;
    const killed = v.pub_status !== 'usable';
    const seen = new Set<string>();
    const categories: SiteCategory[] = [];
    // Readers see categories in the story's language (an archive's `internationalNews` as العالم).
    for (const name of readerCategories(c.categories, c.language)) {
      const slug = slugify(name, c.language, '');
      if (slug && !seen.has(slug)) {
        seen.add(slug);
        categories.push({ name, slug });
      }
    }
    const image = c.photos[0] ? publicImage(c.photos[0]) : null;
    const photo = image ? { ...image, alt: c.photos[0].altText ?? c.photos[0].caption ?? '' } : null;
    const summary: SummaryJson = { deck: c.deck ?? null, categories, photo, publishedDate: sourceDateOnly(v.first_published_at) };
    stmt(
      this.db,
      `INSERT OR REPLACE INTO site_stories (story_id, language, version, killed, embargo_until, published_at,
                     updated_at, urgency, headline, slug, translation_group, summary)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      c.language,
      v.version,
      killed ? 1 : 0,
      v.embargo_until && !v.embargo_lifted_at ? utc(v.embargo_until) : null,
      utc(v.first_published_at),
      utc(v.version_created_at),
      c.urgency,
      c.headline,
      slugify(c.headline, c.language),
      v.translation_group,
      JSON.stringify(summary),
    );
    if (killed) return;
    for (const cat of categories) {
      stmt(this.db, `INSERT OR IGNORE INTO site_categories (language, slug, name, published_at, story_id) VALUES (?, ?, ?, ?, ?)`).run(
        c.language,
        cat.slug,
        cat.name,
        utc(v.first_published_at),
        id,
      );
    }
  }
}
