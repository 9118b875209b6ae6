// API keys: random secrets shown once, stored as SHA-256 hashes. The secrets carry 192 bits of
// randomness, so a fast hash is as safe as a slow one here and keeps every request cheap (see
// docs/decisions.md: why not argon2 for API keys).
import { createHash, randomBytes } from 'node:crypto';
import { newId } from '../model/ids.ts';
import type { ApiKey, Role } from '../model/keys.ts';
import type { Store } from '../model/store.ts';

export const ROLES: Role[] = ['admin', 'editor', 'subscriber'];

/** The SHA-256 of a secret, hex. */
export function hashKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Creates a key for a role; returns the secret (shown once, never stored) and the stored record. */
export async function issueKey(
  store: Store,
  role: Role,
  opts: { subscriberId?: string | null; label?: string | null } = {},
): Promise<{ secret: string; key: ApiKey }> {
  if (role === 'subscriber' && !opts.subscriberId) throw new Error('a subscriber key needs --subscriber <id>');
  const secret = `nf_${role.slice(0, 3)}_${randomBytes(24).toString('base64url')}`;
  const key = await store.createKey({
    id: newId(),
    hash: hashKey(secret),
    prefix: secret.slice(0, 10),
    role,
    subscriberId: opts.subscriberId ?? null,
    label: opts.label ?? null,
  });
  return { secret, key };
}

const TOUCH_EVERY_MS = 60_000;
/**
 * How long a looked-up key is trusted without asking the store again. A revocation (by this process
 * or another) therefore takes effect within this time, inside the one second the flow promises.
 */
const TRUST_MS = 500;
const CACHE_MAX = 10_000;

/** Finds who a secret belongs to, recording its use at most once a minute. */
export class KeyRing {
  private touched = new Map<string, number>();
  private recent = new Map<string, { key: ApiKey | null; at: number }>();
  constructor(private readonly store: Store) {}

  /** Revokes a key; in this process it takes effect at once (other processes within TRUST_MS). */
  async revoke(id: string): Promise<ApiKey> {
    const key = await this.store.revokeKey(id);
    for (const [hash, entry] of this.recent) if (entry.key?.id === id) this.recent.delete(hash);
    return key;
  }

  async authenticate(secret: string): Promise<ApiKey | null> {
    if (!secret || secret.length > 200) return null;
    const hash = hashKey(secret);
    const now0 = Date.now();
    const hit = this.recent.get(hash);
    let key: ApiKey | null;
    if (hit && hit.at + TRUST_MS > now0) key = hit.key;
    else {
      key = await this.store.findKeyByHash(hash);
      if (this.recent.size >= CACHE_MAX) this.recent.clear();
      this.recent.set(hash, { key, at: now0 });
    }
    if (!key) return null;
    const now = Date.now();
    if ((this.touched.get(key.id) ?? 0) + TOUCH_EVERY_MS < now) {
      this.touched.set(key.id, now);
      await this.store.touchKey(key.id, new Date(now));
    }
    return key;
  }
}
