// Media assets and their rendering jobs. The job is the asset's own state column, so an asset and its
// job can never disagree, and a queued or running job survives any restart.
import type Database from 'better-sqlite3';
import type { MediaAsset, MediaJob, MediaStore, MediaUse, MetadataCorrection, Rendition } from '../../model/media.ts';
import { NotFoundError } from '../../model/errors.ts';
import { stmt } from './statements.ts';
import { readWith, writeWith } from './guard.ts';
import { type AssetRow as Row, toAsset } from '../rows/media.ts';

export class SqliteMediaStore implements MediaStore {
  constructor(private readonly db: Database.Database) {}

  private one(id: string): MediaAsset | null {
    const r = stmt(this.db, `SELECT * FROM media_assets WHERE id = ?`).get(id) as Row | undefined;
    return r ? toAsset(r) : null;
  }

  async createAsset(a: Omit<MediaAsset, 'createdAt' | 'updatedAt'>, now = new Date()): Promise<{ asset: MediaAsset; created: boolean }> {
    const at = now.toISOString();
    return writeWith(this.db, 'recording a media asset', () => {
      const existing = this.one(a.id);
      if (existing) return { asset: existing, created: false };
      stmt(
        this.db,
        `INSERT INTO media_assets (id, sha256, kind, content_type, size_bytes, filename, metadata, renditions, state, error, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
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
      );
      return { asset: this.one(a.id)!, created: true };
    });
  }

  async getAsset(id: string): Promise<MediaAsset | null> {
    return readWith(`reading media asset ${id}`, () => this.one(id));
  }

  async listAssets(limit = 100): Promise<MediaAsset[]> {
    return readWith('listing media assets', () =>
      (stmt(this.db, `SELECT * FROM media_assets ORDER BY created_at DESC, id LIMIT ?`).all(limit) as Row[]).map(toAsset),
    );
  }

  async correctMetadata(id: string, m: MetadataCorrection, now = new Date()): Promise<MediaAsset> {
    return writeWith(this.db, `correcting the metadata of media asset ${id}`, () => {
      const a = this.one(id);
      if (!a) throw new NotFoundError(`no media asset ${id}`);
      const metadata = { ...a.metadata };
      for (const [k, v] of Object.entries(m) as [keyof MetadataCorrection, string | undefined][]) {
        if (v === undefined) continue;
        if (v === '') delete metadata[k];
        else metadata[k] = v;
      }
      stmt(this.db, `UPDATE media_assets SET metadata = ?, updated_at = ? WHERE id = ?`).run(JSON.stringify(metadata), now.toISOString(), id);
      return this.one(id)!;
    });
  }

  async requeueRunning(): Promise<number> {
    return writeWith(
      this.db,
      'requeueing interrupted media jobs',
      () => stmt(this.db, `UPDATE media_assets SET state = 'queued' WHERE state = 'running'`).run().changes,
    );
  }

  async claimJob(now = new Date()): Promise<MediaJob | null> {
    return writeWith(this.db, 'taking a media job', () => {
      const r = stmt(this.db, `SELECT id, attempts FROM media_assets WHERE state = 'queued' ORDER BY updated_at, id LIMIT 1`).get() as
        | { id: string; attempts: number }
        | undefined;
      if (!r) return null;
      stmt(this.db, `UPDATE media_assets SET state = 'running', attempts = attempts + 1, updated_at = ? WHERE id = ?`).run(now.toISOString(), r.id);
      return { assetId: r.id, attempts: r.attempts + 1 };
    });
  }

  async finishJob(job: MediaJob, renditions: Rendition[], now = new Date()): Promise<boolean> {
    // Only the run that holds the job may finish it: a correction queued meanwhile makes another run.
    return writeWith(
      this.db,
      `finishing the renditions of ${job.assetId}`,
      () =>
        stmt(
          this.db,
          `UPDATE media_assets SET state = 'done', error = NULL, renditions = ?, updated_at = ? WHERE id = ? AND state = 'running' AND attempts = ?`,
        ).run(JSON.stringify(renditions), now.toISOString(), job.assetId, job.attempts).changes === 1,
    );
  }

  async failJob(job: MediaJob, reason: string, now = new Date()): Promise<void> {
    writeWith(this.db, `recording the failed renditions of ${job.assetId}`, () =>
      stmt(this.db, `UPDATE media_assets SET state = 'failed', error = ?, updated_at = ? WHERE id = ? AND state = 'running' AND attempts = ?`).run(
        reason,
        now.toISOString(),
        job.assetId,
        job.attempts,
      ),
    );
  }

  async requeue(assetId: string, now = new Date()): Promise<void> {
    writeWith(this.db, `requeueing the renditions of ${assetId}`, () =>
      stmt(this.db, `UPDATE media_assets SET state = 'queued', error = NULL, updated_at = ? WHERE id = ?`).run(now.toISOString(), assetId),
    );
  }

  async usesOf(assetId: string): Promise<MediaUse[]> {
    return readWith(`finding the stories of media asset ${assetId}`, () =>
      (
        stmt(
          this.db,
          `SELECT DISTINCT s.id AS story_id, s.status, s.latest_version
             FROM stories s JOIN versions v ON v.story_id = s.id AND v.version = s.latest_version,
                  json_each(v.content, '$.photos') p
            WHERE json_extract(p.value, '$.mediaId') = ?`,
        ).all(assetId) as { story_id: string; status: MediaUse['status']; latest_version: number }[]
      ).map((r) => ({ storyId: r.story_id, status: r.status, latestVersion: r.latest_version })),
    );
  }
}
