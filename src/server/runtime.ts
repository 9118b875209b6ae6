// Opens the store and the services on it. The server and every CLI command start here, so they always
// see the same store the same way; only this folder knows which engine the store is (SQLite by default,
// PostgreSQL when NEWSFLOW_DATABASE_URL names a database).
import { SqliteStore } from '../store/sqlite/index.ts';
import { Admin } from '../flow/admin.ts';
import { Deliveries } from '../flow/deliveries.ts';
import { Hub } from '../flow/hub.ts';
import { KeyRing } from '../flow/keys.ts';
import { Newsroom } from '../flow/newsroom.ts';
import type { Runtime } from '../flow/runtime.ts';
import { useDeliveryBaseUrl } from '../flow/render.ts';
import { MEDIA_DEFAULTS, MediaDesk, type MediaOptions } from '../flow/media.ts';
import { FileMediaFiles, linkSecretIn } from '../store/media-files.ts';
import type { MediaFiles } from '../model/media.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError, processConfig, s3LocationOf, type Config } from './config.ts';

export type { Runtime } from '../flow/runtime.ts';

export interface RuntimeOptions {
  /** The API's public address (NEWSFLOW_BASE_URL). */
  baseUrl?: string;
  /** The agency's search lexicon file (NEWSFLOW_SEARCH_LEXICON). */
  searchLexicon?: string | null;
  /**
   * The media folder (NEWSFLOW_MEDIA_DIR; `media` beside the store file by default), the S3 bucket that
   * holds the files instead (NEWSFLOW_MEDIA_S3_URL), and the media limits.
   */
  media?: Partial<Omit<MediaOptions, 'linkSecret'>> & { dir?: string; s3Url?: string };
}

/**
 * Opens the store in `file` and the services on it; without a file, the store the environment names
 * (what every CLI command does), with a bad setting reported as a ConfigError.
 */
export async function openRuntime(file?: string, opts: RuntimeOptions = {}): Promise<Runtime> {
  if (file === undefined) return openConfiguredRuntime(processConfig());
  const store = isDatabaseUrl(file)
    ? // Loaded only for PostgreSQL: the embedded default's idle server does not carry the driver.
      await (await import('../store/postgres/index.ts')).PostgresStore.open(file, { lexiconFile: opts.searchLexicon })
    : new SqliteStore(file, { lexiconFile: opts.searchLexicon });
  const hub = new Hub(store);
  const keys = new KeyRing(store);
  const newsroom = new Newsroom(store, hub);
  const deliveries = new Deliveries(store);
  const admin = new Admin(store, keys, deliveries);
  const mediaDir =
    opts.media?.dir ?? (file === ':memory:' || isDatabaseUrl(file) ? mkdtempSync(join(tmpdir(), 'newsflow-media-')) : join(dirname(file), 'media'));
  let files: MediaFiles;
  let linkSecret: Buffer;
  if (opts.media?.s3Url) {
    const where = s3LocationOf(opts.media.s3Url);
    try {
      // Loaded only when configured: the idle server does not carry the AWS SDK.
      ({ files, linkSecret } = await (await import('../store/media-s3.ts')).S3MediaFiles.open(where, mediaDir));
    } catch (e) {
      await store.close();
      throw new ConfigError('NEWSFLOW_MEDIA_S3_URL', (e as Error).message);
    }
  } else {
    files = new FileMediaFiles(mediaDir);
    linkSecret = linkSecretIn(mediaDir);
  }
  const media = new MediaDesk(store, files, { ...MEDIA_DEFAULTS, ...withoutDir(opts.media), linkSecret }, deliveries);
  newsroom.photos = media;
  const baseUrl = opts.baseUrl ?? 'http://localhost:8080';
  useDeliveryBaseUrl(baseUrl);
  return {
    baseUrl,
    store,
    hub,
    keys,
    newsroom,
    deliveries,
    admin,
    media,
    async close() {
      hub.stop();
      await media.stop();
      await deliveries.close();
      await files.close();
      await store.close();
    },
  };
}

/** Where a configuration keeps its store: the PostgreSQL URL when one is named, else the SQLite file. */
export function configuredStore(config: Pick<Config, 'databaseUrl' | 'dataFile'>): string {
  return config.databaseUrl ?? config.dataFile;
}

/**
 * The media options of a configuration. On PostgreSQL the media files still need a folder:
 * NEWSFLOW_MEDIA_DIR (shared by every node), else `media` beside where the SQLite file would be.
 */
export function configuredMedia(config: Pick<Config, 'databaseUrl' | 'dataFile' | 'media'>): Config['media'] {
  return config.databaseUrl ? { ...config.media, dir: config.media.dir ?? join(dirname(config.dataFile), 'media') } : config.media;
}

/** The runtime of a configuration; a store that cannot be created or opened is a ConfigError on NEWSFLOW_DATA. */
export async function openConfiguredRuntime(config: Config): Promise<Runtime> {
  if (config.databaseUrl) {
    const media = configuredMedia(config);
    try {
      return await openRuntime(config.databaseUrl, { baseUrl: config.baseUrl, searchLexicon: config.searchLexicon, media });
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      const err = e as Error & { cause?: Error };
      const reason = (err.cause?.message ?? err.message).split('\n')[0];
      throw new ConfigError('NEWSFLOW_DATABASE_URL', `cannot open the PostgreSQL database ${redactedUrl(config.databaseUrl)}: ${reason}`);
    }
  }
  try {
    return await openRuntime(config.dataFile, { baseUrl: config.baseUrl, searchLexicon: config.searchLexicon, media: config.media });
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const err = e as Error & { cause?: Error; code?: string };
    if (/NEWSFLOW_SEARCH_LEXICON/.test(err.message)) throw new ConfigError('NEWSFLOW_SEARCH_LEXICON', err.message.replace(/^NEWSFLOW_SEARCH_LEXICON:\s*/, ''));
    const reason = (err.cause?.message ?? err.message).split('\n')[0];
    throw new ConfigError('NEWSFLOW_DATA', `cannot create or open the store ${config.dataFile}: ${reason}; name a file or folder this user can write`);
  }
}

function withoutDir(m: RuntimeOptions['media']): Partial<Omit<MediaOptions, 'linkSecret'>> {
  const { dir: _dir, s3Url: _s3, ...rest } = m ?? {};
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
}

/** True when the store target is a PostgreSQL URL rather than a SQLite file. */
export function isDatabaseUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** The URL without its password, for messages and logs. */
export function redactedUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*):[^@/]*@/, '$1:…@');
}
