// The server's configuration, read from the environment once and checked before anything starts. This
// is the only file that reads `process.env`: every other module is handed the values it needs, so a
// typo in a variable is found at start, named in one line, and never half-applied later.
import { existsSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_RETENTION_DAYS } from '../flow/retention.ts';
import { DEFAULT_BUDGET, type Budget } from '../web/abbreviate.ts';
import { budgetFromEnv } from '../web/budget.ts';
import type { S3Location } from '../store/media-s3.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A host and port to listen on. */
export interface ListenAddress {
  host: string;
  port: number;
}

export interface Config {
  /** HTTP port (PORT, 8080). */
  port: number;
  /** Interface to listen on (HOST, 0.0.0.0). */
  host: string;
  /** pino level of the request log (LOG_LEVEL, info). */
  logLevel: LogLevel;
  /** No request log (NEWSFLOW_QUIET=1). */
  quiet: boolean;
  /** The SQLite file (NEWSFLOW_DATA: a file, or a folder holding newsflow.db; ./data by default). */
  dataFile: string;
  /**
   * The PostgreSQL database (NEWSFLOW_DATABASE_URL, postgres:// or postgresql://); null: the SQLite file
   * of NEWSFLOW_DATA. Several server processes share one such database.
   */
  databaseUrl: string | null;
  /** Load the demo newsroom into a new store (NEWSFLOW_DEMO, on unless 0). */
  demo: boolean;
  /** The API's public address, used in IPTC URIs and links (NEWSFLOW_BASE_URL). */
  baseUrl: string;
  /** The public site's address (NEWSFLOW_PUBLIC_URL). */
  publicUrl: string;
  /** How much of a story the public site shows (NEWSFLOW_SITE_BUDGET). */
  siteBudget: Budget;
  /** Keep rendered public pages between publishes (NEWSFLOW_SITE_CACHE, on unless 0). */
  siteCache: boolean;
  /** Days of flow log kept for resuming readers (NEWSFLOW_LOG_RETENTION_DAYS, 30). */
  retentionDays: number;
  /** Webhook URLs may point at loopback and private networks (NEWSFLOW_ALLOW_PRIVATE_WEBHOOKS=1; tests). */
  allowPrivateWebhooks: boolean;
  /** First webhook retry delay (NEWSFLOW_WEBHOOK_BASE_DELAY_MS, 1000). */
  webhookBaseDelayMs: number;
  /** Public form posts (the subscribe form) allowed per address in a window (NEWSFLOW_FORM_QUOTA, `10/600`: 10 in 600 s). */
  formQuota: { max: number; windowMs: number };
  /** Long-polls (`wait` > 0) one subscriber may hold at once (NEWSFLOW_LONG_POLLS_PER_SUBSCRIBER, 20). */
  longPollsPerSubscriber: number;
  streams: {
    /** Heartbeat comments on open streams (NEWSFLOW_SSE_HEARTBEAT_MS, 15000). */
    heartbeatMs: number;
    /** Unsent bytes after which a slow client is dropped (NEWSFLOW_SSE_MAX_BUFFER_BYTES, 8 MiB). */
    maxBufferedBytes: number;
    /** Open streams one subscriber may hold (NEWSFLOW_STREAMS_PER_SUBSCRIBER, 100). */
    perSubscriber: number;
  };
  /** Desk and portal sign-in sessions. */
  sessions: {
    /** A session unused this long ends (NEWSFLOW_SESSION_IDLE_MINUTES, 240: half a shift away from the desk). */
    idleMs: number;
    /** A session ends this long after sign-in, used or not (NEWSFLOW_SESSION_MAX_HOURS, 12: one long shift). */
    maxMs: number;
  };
  /** Failed sign-ins allowed per account and per address (NEWSFLOW_SIGN_IN_LIMIT_ACCOUNT `5/900`, NEWSFLOW_SIGN_IN_LIMIT_ADDRESS `20/900`: failures/seconds). */
  signInLimits: { perAccount: { max: number; windowMs: number }; perAddress: { max: number; windowMs: number } };
  /** The agency's lexicon file (NEWSFLOW_SEARCH_LEXICON), if any. */
  searchLexicon: string | null;
  /** `speed` keeps V8's default heap growth; `small` grows in small steps while large (NEWSFLOW_HEAP). */
  heap: 'small' | 'speed';
  /** The mail server alert e-mails go through (NEWSFLOW_SMTP_URL, smtp:// or smtps:// with user and password in it); null: e-mail alerts off. */
  smtpUrl: string | null;
  /** The sender of alert e-mails (NEWSFLOW_MAIL_FROM; `newsflow@<host of NEWSFLOW_PUBLIC_URL>` by default). */
  mailFrom: string;
  /** This process's name among several nodes, on /healthz and as every metric's `node` label (NEWSFLOW_NODE_NAME; hostname:port). */
  nodeName: string;
  /** A separate listen address for /metrics (NEWSFLOW_METRICS_ADDR), or null. */
  metricsAddr: ListenAddress | null;
  /**
   * Stop when the process that started the server goes away: set when npm runs it (`npm start`), because
   * npm passes a SIGTERM only to the shell that runs the script, which dies without telling the server.
   */
  stopWithParent: boolean;
  /** Photos and media files. */
  media: {
    /** Where the files live (NEWSFLOW_MEDIA_DIR; `media` beside the store file by default). */
    dir?: string;
    /**
     * An S3-compatible bucket for the files instead of the folder (NEWSFLOW_MEDIA_S3_URL,
     * `https://KEY:SECRET@host/bucket?region=…`); the folder then holds only uploads in progress.
     */
    s3Url?: string;
    /** Largest upload (NEWSFLOW_MEDIA_MAX_BYTES, 100 MB). */
    maxBytes: number;
    /** Largest photo in pixels (NEWSFLOW_MEDIA_MAX_PIXELS, 100 million). */
    maxPixels: number;
    /** Photos rendered at once (NEWSFLOW_MEDIA_WORKERS, 2). */
    workers: number;
    /** Lifetime of a signed rendition link in seconds (NEWSFLOW_MEDIA_LINK_TTL, 86400). */
    linkTtlSeconds: number;
    /** Widest rendition the public site shows (NEWSFLOW_MEDIA_PUBLIC_MAX_WIDTH, 800). */
    publicMaxWidth: number;
  };
  /** Values that were not as expected but have a safe default (logged at start). */
  warnings: string[];
}

/** A configuration value that stops the start: the message is the one line the operator sees. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads and checks every setting; throws a ConfigError naming the variable and what it accepts. */
export function readConfig(env: Env): Config {
  const port = integer(env, 'PORT', 8080, 0, 65535, 'a port number from 0 to 65535');
  const host = env.HOST?.trim() || '0.0.0.0';
  const level = (env.LOG_LEVEL?.trim() || 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError('LOG_LEVEL', `"${clip(env.LOG_LEVEL)}" is not a log level; use one of ${LOG_LEVELS.join(', ')}`);
  }
  const warnings: string[] = [];
  const local = `http://localhost:${port}`;
  const publicUrl = url(env, 'NEWSFLOW_PUBLIC_URL', local);
  return {
    port,
    host,
    logLevel: level as LogLevel,
    quiet: flag(env, 'NEWSFLOW_QUIET', false),
    dataFile: dataFileOf(env.NEWSFLOW_DATA),
    databaseUrl: databaseUrlOf(env.NEWSFLOW_DATABASE_URL),
    demo: flag(env, 'NEWSFLOW_DEMO', true),
    baseUrl: url(env, 'NEWSFLOW_BASE_URL', local),
    publicUrl,
    siteBudget: env.NEWSFLOW_SITE_BUDGET === undefined ? DEFAULT_BUDGET : budgetFromEnv(env.NEWSFLOW_SITE_BUDGET, (m) => warnings.push(m)),
    siteCache: flag(env, 'NEWSFLOW_SITE_CACHE', true),
    retentionDays: number(env, 'NEWSFLOW_LOG_RETENTION_DAYS', DEFAULT_RETENTION_DAYS, 'a positive number of days'),
    allowPrivateWebhooks: flag(env, 'NEWSFLOW_ALLOW_PRIVATE_WEBHOOKS', false),
    webhookBaseDelayMs: integer(env, 'NEWSFLOW_WEBHOOK_BASE_DELAY_MS', 1000, 1, 3_600_000, 'milliseconds from 1 to 3600000'),
    formQuota: formQuotaOf(env),
    longPollsPerSubscriber: integer(env, 'NEWSFLOW_LONG_POLLS_PER_SUBSCRIBER', 20, 1, 1_000_000, 'a whole number from 1 to 1000000'),
    streams: {
      heartbeatMs: integer(env, 'NEWSFLOW_SSE_HEARTBEAT_MS', 15_000, 10, 3_600_000, 'milliseconds from 10 to 3600000'),
      maxBufferedBytes: integer(env, 'NEWSFLOW_SSE_MAX_BUFFER_BYTES', 8 * 1024 * 1024, 1024, 2 ** 31, 'bytes from 1024 to 2147483648'),
      perSubscriber: integer(env, 'NEWSFLOW_STREAMS_PER_SUBSCRIBER', 100, 1, 1_000_000, 'a whole number from 1 to 1000000'),
    },
    sessions: {
      idleMs: number(env, 'NEWSFLOW_SESSION_IDLE_MINUTES', 240, 'a positive number of minutes') * 60_000,
      maxMs: number(env, 'NEWSFLOW_SESSION_MAX_HOURS', 12, 'a positive number of hours') * 3_600_000,
    },
    signInLimits: {
      perAccount: attemptsOf(env, 'NEWSFLOW_SIGN_IN_LIMIT_ACCOUNT', { max: 5, windowMs: 900_000 }),
      perAddress: attemptsOf(env, 'NEWSFLOW_SIGN_IN_LIMIT_ADDRESS', { max: 20, windowMs: 900_000 }),
    },
    searchLexicon: env.NEWSFLOW_SEARCH_LEXICON?.trim() || null,
    heap: heapOf(env.NEWSFLOW_HEAP),
    nodeName: nodeNameOf(env.NEWSFLOW_NODE_NAME, port),
    metricsAddr: listenAddress(env, 'NEWSFLOW_METRICS_ADDR'),
    smtpUrl: smtpUrlOf(env.NEWSFLOW_SMTP_URL),
    mailFrom: mailFromOf(env.NEWSFLOW_MAIL_FROM, publicUrl),
    stopWithParent: env.npm_lifecycle_event !== undefined,
    media: {
      ...(env.NEWSFLOW_MEDIA_DIR?.trim() ? { dir: resolve(env.NEWSFLOW_MEDIA_DIR.trim()) } : {}),
      ...(env.NEWSFLOW_MEDIA_S3_URL?.trim() && s3LocationOf(env.NEWSFLOW_MEDIA_S3_URL) ? { s3Url: env.NEWSFLOW_MEDIA_S3_URL.trim() } : {}),
      maxBytes: integer(env, 'NEWSFLOW_MEDIA_MAX_BYTES', 100_000_000, 1, 2 ** 40, 'a number of bytes from 1 upwards'),
      maxPixels: integer(env, 'NEWSFLOW_MEDIA_MAX_PIXELS', 100_000_000, 1, 2 ** 40, 'a number of pixels from 1 upwards'),
      workers: integer(env, 'NEWSFLOW_MEDIA_WORKERS', 2, 1, 64, 'a whole number from 1 to 64'),
      linkTtlSeconds: integer(env, 'NEWSFLOW_MEDIA_LINK_TTL', 86_400, 1, 365 * 86_400, 'seconds from 1 to 31536000'),
      publicMaxWidth: integer(env, 'NEWSFLOW_MEDIA_PUBLIC_MAX_WIDTH', 800, 16, 4096, 'pixels from 16 to 4096'),
    },
    warnings,
  };
}

/** The configuration with nothing set but what is given (tests, benchmarks): every default applies. */
export function configWith(env: Env = {}): Config {
  return readConfig(env);
}

let fromEnvironment: Config | undefined;

/** The process's configuration, read from its environment once (the server and every CLI command use it). */
export function processConfig(): Config {
  return (fromEnvironment ??= readConfig(process.env));
}

/** NEWSFLOW_DATABASE_URL: a postgres:// URL, or null when unset (the SQLite default). */
export function databaseUrlOf(named: string | undefined): string | null {
  const value = named?.trim();
  if (!value) return null;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new ConfigError(
      'NEWSFLOW_DATABASE_URL',
      `"${clip(value.replace(/:[^:@/]*@/, ':…@'))}" is not a URL; use postgres://user:password@host:5432/database`,
    );
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new ConfigError('NEWSFLOW_DATABASE_URL', `${u.protocol} is not a PostgreSQL URL; use postgres://user:password@host:5432/database`);
  }
  return value;
}

/**
 * NEWSFLOW_MEDIA_S3_URL: `https://ACCESS_KEY:SECRET@s3.example.com/bucket[/prefix]?region=eu-west-1`
 * (http only for a server on this machine's network; the bucket addressed path-style; region us-east-1
 * unless named; key and secret percent-encoded). A ConfigError that never echoes the secret otherwise.
 */
export function s3LocationOf(raw: string): S3Location {
  const accepted = 'use https://ACCESS_KEY:SECRET@s3.example.com/bucket?region=eu-west-1 (key and secret percent-encoded)';
  const fail = (why: string): never => {
    throw new ConfigError('NEWSFLOW_MEDIA_S3_URL', `${why}; ${accepted}`);
  };
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return fail('not a URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') fail(`the scheme must be https: (or http:), not ${clip(u.protocol)}`);
  if (!u.hostname) fail('no S3 server host');
  if (!u.username || !u.password) fail('the access key and secret are missing (https://ACCESS_KEY:SECRET@host/…)');
  let accessKeyId = '';
  let secretAccessKey = '';
  try {
    accessKeyId = decodeURIComponent(u.username);
    secretAccessKey = decodeURIComponent(u.password);
  } catch {
    fail('the access key or secret is not valid percent-encoding');
  }
  const [bucket = '', ...rest] = u.pathname.replace(/^\/+|\/+$/g, '').split('/');
  if (!bucket) fail('no bucket: name it as the first part of the path');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    fail(`"${clip(bucket)}" is not an S3 bucket name (3 to 63 lower-case letters, digits, dots and hyphens)`);
  if (rest.some((p) => !/^[\w.-]+$/.test(p) || p === '.' || p === '..'))
    fail('the key prefix after the bucket may hold only letters, digits, _ . - and slashes');
  if (u.hash) fail('an S3 URL has no #fragment');
  for (const k of u.searchParams.keys()) if (k !== 'region') fail(`unknown parameter "${clip(k)}" (only region is read)`);
  const region = u.searchParams.get('region')?.trim() || 'us-east-1';
  if (!/^[a-z0-9-]{1,40}$/.test(region)) fail(`"${clip(region)}" is not a region name`);
  return {
    endpoint: `${u.protocol}//${u.host}`,
    bucket,
    prefix: rest.length ? `${rest.join('/')}/` : '',
    region,
    accessKeyId,
    secretAccessKey,
  };
}

/** The SQLite file named by NEWSFLOW_DATA (a file, or a folder holding newsflow.db); ./data by default. */
export function dataFileOf(named: string | undefined): string {
  const value = named?.trim();
  if (!value) return resolve('data', 'newsflow.db');
  const path = resolve(value);
  if (/\.(db|sqlite3?)$/i.test(path) || (existsSync(path) && statSync(path).isFile())) return path;
  return join(path, 'newsflow.db');
}

/** NEWSFLOW_NODE_NAME: a short name (a Prometheus label value); the host's name and the port by default. */
function nodeNameOf(raw: string | undefined, port: number): string {
  const value = raw?.trim();
  if (!value) return `${hostname()}:${port}`;
  if (!/^[\w.:@-]{1,100}$/.test(value)) {
    throw new ConfigError('NEWSFLOW_NODE_NAME', `"${clip(value)}" is not accepted; use up to 100 letters, digits and . _ - : @ (like node-a or web1:8080)`);
  }
  return value;
}

function clip(v: string | undefined): string {
  const s = v ?? '';
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number, accepted: string): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new ConfigError(name, `"${clip(raw)}" is not accepted; use ${accepted}`);
  return n;
}

function number(env: Env, name: string, fallback: number, accepted: string): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(name, `"${clip(raw)}" is not accepted; use ${accepted}`);
  return n;
}

const YES = new Set(['1', 'true', 'yes', 'on']);
const NO = new Set(['0', 'false', 'no', 'off']);

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (YES.has(raw)) return true;
  if (NO.has(raw)) return false;
  throw new ConfigError(name, `"${clip(env[name])}" is not accepted; use 1 or 0`);
}

function url(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(name, `"${clip(raw)}" is not a URL; use an absolute http(s) address like https://news.example.org`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ConfigError(name, `"${clip(raw)}" is not an http(s) URL`);
  return raw.replace(/\/+$/, '');
}

function heapOf(raw: string | undefined): 'small' | 'speed' {
  const v = raw?.trim().toLowerCase();
  if (!v || v === 'small') return 'small';
  if (v === 'speed') return 'speed';
  throw new ConfigError('NEWSFLOW_HEAP', `"${clip(raw)}" is not accepted; use speed (V8's default heap growth) or leave it unset`);
}

/** `host:port`, `[v6]:port` or a bare port (on 127.0.0.1); null when unset. */
function listenAddress(env: Env, name: string): ListenAddress | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  let host = '127.0.0.1';
  let portText = raw;
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(raw);
  if (v6) [host, portText] = [v6[1], v6[2]];
  else if (raw.includes(':')) [host, portText] = [raw.slice(0, raw.lastIndexOf(':')), raw.slice(raw.lastIndexOf(':') + 1)];
  const port = Number(portText);
  const hostOk = isIP(host) !== 0 || /^[a-z0-9][a-z0-9.-]*$/i.test(host);
  if (!hostOk || !/^\d{1,5}$/.test(portText) || port > 65535) {
    throw new ConfigError(name, `"${clip(raw)}" is not accepted; use host:port like 127.0.0.1:9464 (or [::1]:9464, or a port alone)`);
  }
  return { host, port };
}

/** NEWSFLOW_FORM_QUOTA: `<posts>/<seconds>`, default 10 posts in 600 s per address. */
function formQuotaOf(env: Env): { max: number; windowMs: number } {
  const raw = env.NEWSFLOW_FORM_QUOTA?.trim();
  if (!raw) return { max: 10, windowMs: 600_000 };
  const m = /^(\d{1,6})\/(\d{1,7})$/.exec(raw);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) {
    throw new ConfigError('NEWSFLOW_FORM_QUOTA', `"${clip(raw)}" is not accepted; use <posts>/<seconds> with whole numbers of at least 1, like 10/600`);
  }
  return { max: Number(m[1]), windowMs: Number(m[2]) * 1000 };
}

/** `<failures>/<seconds>`: failed sign-ins allowed in a window. */
function attemptsOf(env: Env, name: string, fallback: { max: number; windowMs: number }): { max: number; windowMs: number } {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const m = /^(\d{1,6})\/(\d{1,7})$/.exec(raw);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) {
    throw new ConfigError(name, `"${clip(raw)}" is not accepted; use <failures>/<seconds> with whole numbers of at least 1, like 5/900`);
  }
  return { max: Number(m[1]), windowMs: Number(m[2]) * 1000 };
}

/** NEWSFLOW_SMTP_URL: `smtp://` (STARTTLS when offered) or `smtps://` (TLS from the start), optional user:password, a host, an optional port. */
function smtpUrlOf(raw: string | undefined): string | null {
  const value = raw?.trim();
  if (!value) return null;
  const accepted = 'use smtp://user:password@mail.example.org:587 or smtps://user:password@mail.example.org:465 (user and password percent-encoded)';
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    // Never echo the value: it may hold the password.
    throw new ConfigError('NEWSFLOW_SMTP_URL', `not a URL; ${accepted}`);
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:')
    throw new ConfigError('NEWSFLOW_SMTP_URL', `the scheme must be smtp: or smtps:, not ${clip(u.protocol)}; ${accepted}`);
  if (!u.hostname) throw new ConfigError('NEWSFLOW_SMTP_URL', `no mail server host; ${accepted}`);
  if (u.port && (Number(u.port) < 1 || Number(u.port) > 65535)) throw new ConfigError('NEWSFLOW_SMTP_URL', `port ${u.port} is not a port from 1 to 65535`);
  if (u.password && !u.username) throw new ConfigError('NEWSFLOW_SMTP_URL', `a password without a user name; ${accepted}`);
  try {
    decodeURIComponent(u.username);
    decodeURIComponent(u.password);
  } catch {
    throw new ConfigError('NEWSFLOW_SMTP_URL', `the user or password is not valid percent-encoding; ${accepted}`);
  }
  if ((u.pathname && u.pathname !== '/') || u.hash) throw new ConfigError('NEWSFLOW_SMTP_URL', `a mail server URL has no path; ${accepted}`);
  return value;
}

/** NEWSFLOW_MAIL_FROM: an address, or `Name <address>`. */
function mailFromOf(raw: string | undefined, publicUrl: string): string {
  const value = raw?.trim();
  if (!value) return `newsflow@${new URL(publicUrl).hostname}`;
  const m = /^(?:([^<>\r\n"]*?)\s*<([^<>\s]+)>|([^<>\s]+))$/.exec(value);
  const address = m?.[2] ?? m?.[3];
  if (!address || (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address) && !/^[^@\s]+@localhost$/.test(address))) {
    throw new ConfigError(
      'NEWSFLOW_MAIL_FROM',
      `"${clip(value.replace(/[\r\n]+/g, ' '))}" is not accepted; use an address like alerts@news.example.org or "Newsflow Alerts <alerts@news.example.org>"`,
    );
  }
  return value;
}
