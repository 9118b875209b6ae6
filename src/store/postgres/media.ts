// Media assets and their rendering jobs on PostgreSQL (the SQLite twin: ../sqlite/media.ts, ported function
// by function). The job is the asset's own state column, so an asset and its job can never disagree, and a
// queued or running job survives any restart. Several nodes take jobs from the one queue: a job is
// claimed with FOR UPDATE SKIP LOCKED, so two nodes never render one asset twice and never wait on each other.
import type pg from 'pg';
import type { MediaAsset, MediaJob, MediaStore, MediaUse, MetadataCorrection, Rendition } from '../../model/media.ts';
import { NotFoundError } from '../../model/errors.ts';
import { readWith, type Sql, writeWith } from './database.ts';

interface Row {
  id: string;
  sha256: string;
  kind: MediaAsset['kind'];
  content_type: string;
  size_bytes: number;
  filename: string | null;
  metadata: string;
  renditions: string;
  state: MediaAsset['state'];
  error: string | null;
  created_at: string;
  updated_at: string;
}

function toAsset(r: Row): MediaAsset {
  return {
    id: r.id,
    sha256: r.sha256,
    kind: r.kind,
    contentType: r.content_type,
    sizeInBytes: r.size_bytes,
    filename: r.filename,
    metadata: JSON.parse(r.metadata),
    renditions: JSON.parse(r.renditions) as Rendition[],
    state: r.state,
    error: r.error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

async function one(sql: Sql, id: string): Promise<MediaAsset | null> {
  const r = (await sql.query<Row>(`SELECT * FROM media_assets WHERE id = $1`, [id])).rows[0];
  return r ? toAsset(r) : null;
}

export class PgMediaStore implements MediaStore {
  constructor(private readonly pool: pg.Pool) {}

  async createAsset(a: Omit<MediaAsset, 'createdAt' | 'updatedAt'>, now = new Date()): Promise<{ asset: MediaAsset; created: boolean }> {
    const at = now.toISOString();
    return writeWith(this.pool, 'recording a media asset', async (sql) => {
      // Two nodes receiving the same bytes at once: the id's conflict makes one of them the creator.
      const inserted = (
        await sql.query<Row>(
          `INSERT INTO media_assets (id, sha256, kind, content_type, size_bytes, filename, metadata, renditions, state, error, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           ON CONFLICT (id) DO NOTHING RETURNING *`,
          [
            a.id,
            a.sha256,
            a.kind,
            a.contentType,
            a.sizeInBytes,
            a.filename,
            JSON.stringify(a.metadata),
            JSON.stringify(a.renditions),
            a.state,
            a.error,
            at,
            at,
          ],
        )
      ).rows[0];
      if (inserted) return { asset: toAsset(inserted), created: true };
      return { asset: (await one(sql, a.id))!, created: false };
    });
  }

  async getAsset(id: string): Promise<MediaAsset | null> {
    return readWith(`reading media asset ${id}`, () => one(this.pool, id));
  }

  async listAssets(limit = 100): Promise<MediaAsset[]> {
    return readWith('listing media assets', async () =>
      (await this.pool.query<Row>(`SELECT * FROM media_assets ORDER BY created_at DESC, id LIMIT $1`, [limit])).rows.map(toAsset),
    );
  }

  async correctMetadata(id: string, m: MetadataCorrection, now = new Date()): Promise<MediaAsset> {
    return writeWith(this.pool, `correcting the metadata of media asset ${id}`, async (sql) => {
      // The row lock keeps two editors' corrections on two nodes from overwriting each other's fields.
      const r = (await sql.query<Row>(`SELECT * FROM media_assets WHERE id = $1 FOR UPDATE`, [id])).rows[0];
      if (!r) throw new NotFoundError(`no media asset ${id}`);
      const metadata = { ...toAsset(r).metadata };
      for (const [k, v] of Object.entries(m) as [keyof MetadataCorrection, string | undefined][]) {
        if (v === undefined) continue;
        if (v === '') delete metadata[k];
        else metadata[k] = v;
      }
      const updated = (
        await sql.query<Row>(`UPDATE media_assets SET metadata = $1, updated_at = $2 WHERE id = $3 RETURNING *`, [
          JSON.stringify(metadata),
          now.toISOString(),
          id,
        ])
      ).rows[0];
      return toAsset(updated);
    });
  }

  async requeueRunning(): Promise<number> {
    return writeWith(
      this.pool,
      'requeueing interrupted media jobs',
      async (sql) => (await sql.query(`UPDATE media_assets SET state = 'queued' WHERE state = 'running'`)).rowCount ?? 0,
    );
  }

  async claimJob(now = new Date()): Promise<MediaJob | null> {
    return writeWith(this.pool, 'taking a media job', async (sql) => {
      // SKIP LOCKED: a job another node is claiming right now is passed over, never taken twice.
      const r = (
        await sql.query<{ id: string; attempts: number }>(
          `UPDATE media_assets SET state = 'running', attempts = attempts + 1, updated_at = $1
            WHERE id = (SELECT id FROM media_assets WHERE state = 'queued' ORDER BY updated_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING id, attempts`,
          [now.toISOString()],
        )
      ).rows[0];
      return r ? { assetId: r.id, attempts: r.attempts } : null;
    });
  }

  async finishJob(job: MediaJob, renditions: Rendition[], now = new Date()): Promise<boolean> {
    // Only the run that holds the job may finish it: a correction queued meanwhile makes another run.
    return writeWith(
      this.pool,
      `finishing the renditions of ${job.assetId}`,
      async (sql) =>
        (
          await sql.query(
            `UPDATE media_assets SET state = 'done', error = NULL, renditions = $1, updated_at = $2 WHERE id = $3 AND state = 'running' AND attempts = $4`,
            [JSON.stringify(renditions), now.toISOString(), job.assetId, job.attempts],
          )
        ).rowCount === 1,
    );
  }

  async failJob(job: MediaJob, reason: string, now = new Date()): Promise<void> {
    await writeWith(this.pool, `recording the failed renditions of ${job.assetId}`, (sql) =>
      sql.query(`UPDATE media_assets SET state = 'failed', error = $1, updated_at = $2 WHERE id = $3 AND state = 'running' AND attempts = $4`, [
        reason,
        now.toISOString(),
        job.assetId,
        job.attempts,
      ]),
    );
  }

  async requeue(assetId: string, now = new Date()): Promise<void> {
    await writeWith(this.pool, `requeueing the renditions of ${assetId}`, (sql) =>
      sql.query(`UPDATE media_assets SET state = 'queued', error = NULL, updated_at = $1 WHERE id = $2`, [now.toISOString(), assetId]),
    );
  }

  async usesOf(assetId: string): Promise<MediaUse[]> {
    return readWith(`finding the stories of media asset ${assetId}`, async () =>
      (
        await this.pool.query<{ story_id: string; status: MediaUse['status']; latest_version: number }>(
          `SELECT DISTINCT s.id AS story_id, s.status, s.latest_version
             FROM stories s JOIN versions v ON v.story_id = s.id AND v.version = s.latest_version,
                  json_array_elements(CASE WHEN json_typeof(v.content::json -> 'photos') = 'array' THEN v.content::json -> 'photos' ELSE '[]' END) p
            WHERE p ->> 'mediaId' = $1`,
          [assetId],
        )
      ).rows.map((r) => ({ storyId: r.story_id, status: r.status, latestVersion: r.latest_version })),
    );
  }
}

export function pgMediaStore(pool: pg.Pool): MediaStore {
  return new PgMediaStore(pool);
}
