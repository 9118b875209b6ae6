// Who may call the API, and as what: the roles and an API key as stored (only a hash of the secret).

export type Role = 'admin' | 'editor' | 'subscriber';

/** An API key as stored: only a hash of the secret is kept. */
export interface ApiKey {
  id: string;
  role: Role;
  subscriberId: string | null;
  label: string | null;
  /** First characters of the secret, so a person can tell keys apart in listings. */
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}
