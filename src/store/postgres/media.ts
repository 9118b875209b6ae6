// Media assets and their rendering jobs on PostgreSQL (the SQLite twin: ../sqlite/media.ts, ported function
// by function). The job is the asset's own state column, so an asset and its job can never disagree, and a
// queued or running job survives any restart. Several nodes take jobs from the one queue: a job is
// claimed with FOR UPDATE SKIP LOCKED, so two nodes never render one asset twice and never wait on each
// other, and a running job is held by an advisory lock of its node's session, so a node that starts
// requeues only the jobs of nodes that are gone, never one another node is rendering.
import type pg from 'pg';
import type { MediaAsset, MediaJob, MediaStore, MediaUse, MetadataCorrection, Rendition } from '../../model/media.ts';
import { NotFoundError } from '../../model/errors.ts';
import { StoreError } from '../errors.ts';
import { readWith, type Sql, writeWith } from './database.ts';
import { type AssetRow as Row, toAsset } from '../rows/media.ts';

async function one(sql: Sql, id: string): Promise<MediaAsset | null> {
  const r = (await sql.query<Row>(`SELECT * FROM media_assets WHERE id = $1`, [id])).rows[0];
  return r ? toAsset(r) : null;
}

export class PgMediaStore implements MediaStore {
  private readonly runs: RunLocks;

  constructor(private readonly pool: pg.Pool) {
    this.runs = new RunLocks(pool);
  }

  /**
   * Lets go of the connection held while jobs are in hand, before the store ends its pool (which would
   * otherwise wait for ever for that connection).
   */
  async release(): Promise<void> {
    this.runs.drop();
  }

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
    // Several nodes: "running" alone does not say the process is gone, since another node may be rendering
    // it now. A live run holds its job's advisory lock on its node's session; a lock this transaction
    // can take belongs to no live session, so that run's process is gone (a killed node's locks go with it).
    return writeWith(
      this.pool,
      'requeueing interrupted media jobs',
      async (sql) =>
        (await sql.query(`UPDATE media_assets SET state = 'queued' WHERE state = 'running' AND pg_try_advisory_xact_lock($1, hashtext(id))`, [JOB_LOCK]))
          .rowCount ?? 0,
    );
  }

  async claimJob(now = new Date()): Promise<MediaJob | null> {
    return this.runs.claim('taking a media job', async (sql) => {
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
    try {
      return await writeWith(
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
    } finally {
      await this.runs.release(job);
    }
  }

  async failJob(job: MediaJob, reason: string, now = new Date()): Promise<void> {
    try {
      await writeWith(this.pool, `recording the failed renditions of ${job.assetId}`, (sql) =>
        sql.query(`UPDATE media_assets SET state = 'failed', error = $1, updated_at = $2 WHERE id = $3 AND state = 'running' AND attempts = $4`, [
          reason,
          now.toISOString(),
          job.assetId,
          job.attempts,
        ]),
      );
    } finally {
      await this.runs.release(job);
    }
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

/** The advisory lock space of media jobs (the key's second half is hashtext(asset id)). */
const JOB_LOCK = 7_301_002;

/**
 * The jobs this process is rendering, each held as a session-level advisory lock on one connection of
 * the pool, checked out while at least one job is held and given back when none is (so the pool can end).
 * The claim itself runs on that connection and takes the lock before it commits: no other node can see
 * the job running without its lock. Calls are queued, since one connection runs one transaction at a time.
 */
class RunLocks {
  private client: pg.PoolClient | null = null;
  /** The jobs in hand, each with whether its lock was got (a try may find it held elsewhere). */
  private readonly held = new Map<string, boolean>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly pool: pg.Pool) {}

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => {});
    return next;
  }

  claim(doing: string, fn: (sql: pg.PoolClient) => Promise<MediaJob | null>): Promise<MediaJob | null> {
    return this.serial(async () => {
      let client: pg.PoolClient;
      try {
        client = await this.connection();
      } catch (e) {
        throw new StoreError(doing, e);
      }
      let job: MediaJob | null = null;
      let got = false;
      try {
        await client.query('BEGIN');
        job = await fn(client);
        // A try: the same asset's superseded run may still hold it on another node; the job is ours anyway.
        if (job) got = (await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS got', [JOB_LOCK, job.assetId])).rows[0].got;
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        this.giveBack();
        throw e instanceof StoreError || !(e instanceof Error) ? e : new StoreError(doing, e);
      }
      if (job) this.held.set(key(job), got);
      this.giveBack();
      return job;
    });
  }

  release(job: MediaJob): Promise<void> {
    return this.serial(async () => {
      const got = this.held.get(key(job));
      if (got === undefined || !this.client) return;
      this.held.delete(key(job));
      if (got) await this.client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [JOB_LOCK, job.assetId]).catch(() => this.drop());
      this.giveBack();
    });
  }

  private async connection(): Promise<pg.PoolClient> {
    if (this.client) return this.client;
    const client = await this.pool.connect();
    client.on('error', this.lost);
    this.client = client;
    return client;
  }

  /** The connection was lost (a database restart): its locks went with it, and so did our hold on the jobs. */
  private readonly lost = () => this.drop();

  /** Ends the connection held while jobs are in hand (its locks end with it, as in a process that stops). */
  drop(): void {
    const client = this.client;
    this.client = null;
    this.held.clear();
    client?.off('error', this.lost);
    client?.release(true);
  }

  /** The connection goes back to the pool once no job is held on it (it holds no lock then). */
  private giveBack(): void {
    if (this.held.size || !this.client) return;
    this.client.off('error', this.lost);
    this.client.release();
    this.client = null;
  }
}

const key = (job: MediaJob) => `${job.assetId} ${job.attempts}`;

export function pgMediaStore(pool: pg.Pool): PgMediaStore {
  return new PgMediaStore(pool);
}
