// A media asset's row as both stores read it, and its mapping to the model (the table is the same on
// SQLite and PostgreSQL).
import type { MediaAsset, Rendition } from '../../model/media.ts';

export interface AssetRow {
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

export function toAsset(r: AssetRow): MediaAsset {
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
