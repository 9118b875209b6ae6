// The public website's read model on PostgreSQL (the SQLite twin: ../sqlite/site.ts, ported function by
// function). Every read first catches the projection up with the flow log (one indexed max() when nothing
// changed), so a publish on any node shows on the next read on every node. The catch-up of several nodes
// is serialised by the site_cursor row's lock, so two nodes never rebuild the same stories at once.
import type pg from 'pg';
import { publicImage } from '../../model/media.ts';
import { newId } from '../../model/ids.ts';
import { slugify } from '../../model/slug.ts';
import { sourceDateOnly } from '../../model/source-date.ts';
import { readerCategories } from '../../formats/archive-jsonl.ts';
import type { StoryContent, Urgency } from '../../model/story.ts';
import type { Lead, NewLead, SiteCategory, SiteListQuery, SiteStore, SiteSummary } from '../../model/site.ts';
import { readWith, type Sql, writeWith } from './database.ts';
import { type VersionRow as StoredVersionRow, toVersion } from '../rows/versions.ts';

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

/** A versions row with the embargo columns the site's read model needs. */
interface VersionRow extends StoredVersionRow {
  embargo_until: string | null;
  embargo_lifted_at: string | null;
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

/** The SQL condition "public now" on site_stories aliased `s`; the current instant is parameter `$n`. */
const PUBLIC = (n: number) => `s.killed = 0 AND (s.embargo_until IS NULL OR s.embargo_until <= $${n})`;

/**
 * The newest log position the read model may catch up to.
 * ISSUE 15 point 2: this is max(seq), right when the appender commits positions in order (a single
 * appender per log); if the log's appender uses another technique, this must become its safe head.
 */
const LOG_HEAD = `SELECT coalesce(max(seq), 0) AS head FROM events`;

export class PgSiteStore implements SiteStore {
  constructor(private readonly pool: pg.Pool) {}

  async latest(q: SiteListQuery): Promise<SiteSummary[]> {
    await this.sync();
    const now = (q.now ?? new Date()).toISOString();
    return readWith('reading the site stories', async () => {
      const after = q.before ? await this.position_of(q.before) : null;
      if (q.category) {
        const args: unknown[] = [q.language ?? '', q.category, now];
        let page = '';
        if (after) {
          page = 'AND (c.published_at, c.story_id) < ($4, $5)';
          args.push(after.published_at, after.story_id);
        }
        args.push(q.limit);
        const { rows } = await this.pool.query<SiteRow>(
          `SELECT s.* FROM site_categories c JOIN site_stories s ON s.story_id = c.story_id
            WHERE c.language = $1 AND c.slug = $2 AND ${PUBLIC(3)} ${page}
            ORDER BY c.published_at DESC, c.story_id DESC LIMIT $${args.length}`,
          args,
        );
        return rows.map(toSummary);
      }
      const args: unknown[] = [now];
      const where = [PUBLIC(1)];
      if (q.language) {
        args.push(q.language);
        where.push(`s.language = $${args.length}`);
      }
      if (after) {
        args.push(after.published_at, after.story_id);
        where.push(`(s.published_at, s.story_id) < ($${args.length - 1}, $${args.length})`);
      }
      args.push(q.limit);
      const { rows } = await this.pool.query<SiteRow>(
        `SELECT s.* FROM site_stories s WHERE ${where.join(' AND ')}
          ORDER BY s.published_at DESC, s.story_id DESC LIMIT $${args.length}`,
        args,
      );
      return rows.map(toSummary);
    });
  }

  async story(id: string) {
    await this.sync();
    return readWith(`reading site story ${id}`, async () => {
      const row = (await this.pool.query<SiteRow>(`SELECT * FROM site_stories WHERE story_id = $1`, [id])).rows[0];
      if (!row) return null;
      const v = (await this.pool.query<VersionRow>(`SELECT * FROM versions WHERE story_id = $1 AND version = $2`, [id, row.version])).rows[0];
      return v ? { summary: toSummary(row), version: toVersion(v) } : null;
    });
  }

  async translations(group: string, now = new Date()): Promise<SiteSummary[]> {
    await this.sync();
    return readWith(`reading the translations of ${group}`, async () =>
      (
        await this.pool.query<SiteRow>(`SELECT s.* FROM site_stories s WHERE s.translation_group = $1 AND ${PUBLIC(2)} ORDER BY s.language`, [
          group,
          now.toISOString(),
        ])
      ).rows.map(toSummary),
    );
  }

  async categories(language: string, limit = 12) {
    await this.sync();
    return readWith(
      `reading the site categories of ${language}`,
      async () =>
        (
          await this.pool.query<SiteCategory & { count: number }>(
            `SELECT slug, min(name) AS name, count(*)::int AS count FROM site_categories WHERE language = $1
              GROUP BY slug ORDER BY count DESC, slug LIMIT $2`,
            [language, limit],
          )
        ).rows,
    );
  }

  async publicSummaries(ids: string[], now = new Date()): Promise<SiteSummary[]> {
    await this.sync();
    if (!ids.length) return [];
    const rows = await readWith(
      'reading public site stories',
      async () =>
        (await this.pool.query<SiteRow>(`SELECT s.* FROM site_stories s WHERE s.story_id = ANY($1::text[]) AND ${PUBLIC(2)}`, [ids, now.toISOString()])).rows,
    );
    const byId = new Map(rows.map((r) => [r.story_id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      return r ? [toSummary(r)] : [];
    });
  }

  async sitemap(offset: number, limit: number, now = new Date()): Promise<SiteSummary[]> {
    await this.sync();
    return readWith('reading the sitemap', async () =>
      (
        await this.pool.query<SiteRow>(
          `SELECT s.* FROM site_stories s WHERE ${PUBLIC(1)}
            ORDER BY s.published_at DESC, s.story_id DESC LIMIT $2 OFFSET $3`,
          [now.toISOString(), limit, offset],
        )
      ).rows.map(toSummary),
    );
  }

  async countPublic(now = new Date()): Promise<number> {
    await this.sync();
    return readWith(
      'counting public site stories',
      async () => (await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM site_stories s WHERE ${PUBLIC(1)}`, [now.toISOString()])).rows[0].n,
    );
  }

  async position(): Promise<number> {
    await this.sync();
    return readWith('reading the site position', () => this.cursor(this.pool));
  }

  async insertLead(lead: NewLead, now = new Date()): Promise<Lead> {
    const row: Lead = { id: newId(now.getTime()), ...lead, createdAt: now.toISOString() };
    await writeWith(this.pool, 'recording a lead', (sql) =>
      sql.query(`INSERT INTO leads (id, name, email, organisation, message, language, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        row.id,
        row.name,
        row.email,
        row.organisation,
        row.message,
        row.language,
        row.createdAt,
      ]),
    );
    return row;
  }

  async listLeads(limit: number, before?: string): Promise<Lead[]> {
    const { rows } = await readWith('listing leads', () =>
      this.pool.query<{
        id: string;
        name: string;
        email: string;
        organisation: string | null;
        message: string | null;
        language: string;
        created_at: string;
      }>(`SELECT * FROM leads WHERE id < $1 ORDER BY id DESC LIMIT $2`, [before ?? '~', limit]),
    );
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

  private async position_of(id: string): Promise<{ published_at: string; story_id: string } | null> {
    return (
      (await this.pool.query<{ published_at: string; story_id: string }>(`SELECT published_at, story_id FROM site_stories WHERE story_id = $1`, [id]))
        .rows[0] ?? null
    );
  }

  /** The cursor; a database copied or created without its row reads as "nothing caught up yet". */
  private async cursor(sql: Sql): Promise<number> {
    return (await sql.query<{ seq: number }>(`SELECT seq FROM site_cursor WHERE id = 1`)).rows[0]?.seq ?? 0;
  }

  /** Brings the projection up to the log head: every story with an event since the cursor is rebuilt from its latest version. */
  async sync(): Promise<void> {
    // One round trip when nothing changed: the log head and the cursor together.
    const { head, cursor } = await readWith(
      'reading the site position',
      async () =>
        (
          await this.pool.query<{ head: number; cursor: number }>(
            `SELECT (${LOG_HEAD}) AS head, coalesce((SELECT seq FROM site_cursor WHERE id = 1), 0) AS cursor`,
          )
        ).rows[0],
    );
    if (head <= cursor) return;
    await writeWith(this.pool, 'catching the site up with the log', async (sql) => {
      // The cursor row's lock is what several nodes queue on; the row is made if a copy left none.
      await sql.query(`INSERT INTO site_cursor (id, seq) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`);
      const cursor = (await sql.query<{ seq: number }>(`SELECT seq FROM site_cursor WHERE id = 1 FOR UPDATE`)).rows[0].seq;
      const head = (await sql.query<{ head: number }>(LOG_HEAD)).rows[0].head;
      if (cursor >= head) return; // another node caught up while we waited for the lock
      const oldest = (await sql.query<{ o: number }>(`SELECT coalesce(min(seq), 1) AS o FROM events`)).rows[0].o;
      // Events before the cursor may have been pruned: then the only safe source is every published story.
      const ids = (
        cursor < oldest - 1
          ? (await sql.query<{ story_id: string }>(`SELECT id AS story_id FROM stories WHERE latest_version > 0`)).rows
          : (await sql.query<{ story_id: string }>(`SELECT DISTINCT story_id FROM events WHERE seq > $1 AND seq <= $2`, [cursor, head])).rows
      ).map((r) => r.story_id);
      // SQLite refreshes story by story in process; over the network that is a handful of round trips
      // per story, so a rebuild after a copy or an import refreshes them in batches, a few statements each.
      for (let i = 0; i < ids.length; i += REFRESH_BATCH) await this.refresh(sql, ids.slice(i, i + REFRESH_BATCH));
      await sql.query(`UPDATE site_cursor SET seq = $1 WHERE id = 1`, [head]);
    });
  }

  /** Rebuilds the rows of `ids` (distinct story ids) from each story's latest version. */
  private async refresh(sql: Sql, ids: string[]): Promise<void> {
    const versions = (
      await sql.query<VersionRow>(
        `SELECT v.* FROM stories s JOIN versions v ON v.story_id = s.id AND v.version = s.latest_version
          WHERE s.id = ANY($1::text[])`,
        [ids],
      )
    ).rows;
    await sql.query(`DELETE FROM site_categories WHERE story_id = ANY($1::text[])`, [ids]);
    const live = new Set(versions.map((v) => v.story_id));
    const gone = ids.filter((id) => !live.has(id));
    if (gone.length) await sql.query(`DELETE FROM site_stories WHERE story_id = ANY($1::text[])`, [gone]);
    if (!versions.length) return;
    const rows: unknown[][] = [];
    const cats: unknown[][] = [];
    for (const v of versions) {
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
      rows.push([
        v.story_id,
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
      ]);
      if (killed) continue;
      for (const cat of categories) cats.push([c.language, cat.slug, cat.name, utc(v.first_published_at), v.story_id]);
    }
    // SQLite's INSERT OR REPLACE: every column of the row is the latest version's.
    await sql.query(
      `INSERT INTO site_stories (story_id, language, version, killed, embargo_until, published_at,
              updated_at, urgency, headline, slug, translation_group, summary)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[],
                            $7::text[], $8::bigint[], $9::text[], $10::text[], $11::text[], $12::text[])
       ON CONFLICT (story_id) DO UPDATE SET language = excluded.language, version = excluded.version, killed = excluded.killed,
              embargo_until = excluded.embargo_until, published_at = excluded.published_at, updated_at = excluded.updated_at,
              urgency = excluded.urgency, headline = excluded.headline, slug = excluded.slug,
              translation_group = excluded.translation_group, summary = excluded.summary`,
      columns(rows, 12),
    );
    if (cats.length) {
      await sql.query(
        `INSERT INTO site_categories (language, slug, name, published_at, story_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) ON CONFLICT DO NOTHING`,
        columns(cats, 5),
      );
    }
  }
}

/** Stories refreshed per set of statements while catching up. */
const REFRESH_BATCH = 500;

/** Rows as one array per column, for `unnest($1::type[], …)`. */
function columns(rows: unknown[][], width: number): unknown[][] {
  return Array.from({ length: width }, (_, i) => rows.map((r) => r[i]));
}

export function pgSiteStore(pool: pg.Pool): SiteStore {
  return new PgSiteStore(pool);
}
