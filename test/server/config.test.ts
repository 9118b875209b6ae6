// The configuration: every setting read from an environment once, defaults when unset, and a value that
// cannot be used refused with the variable's name and what it accepts.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, readConfig } from '../../src/server/config.ts';

describe('configuration', () => {
  it('has a default for everything', () => {
    const c = readConfig({});
    assert.equal(c.port, 8080);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.logLevel, 'info');
    assert.equal(c.dataFile, resolve('data', 'newsflow.db'));
    assert.equal(c.demo, true);
    assert.equal(c.quiet, false);
    assert.equal(c.baseUrl, 'http://localhost:8080');
    assert.equal(c.publicUrl, 'http://localhost:8080');
    assert.equal(c.retentionDays, 30);
    assert.equal(c.allowPrivateWebhooks, false);
    assert.deepEqual(c.streams, { heartbeatMs: 15_000, maxBufferedBytes: 8 * 1024 * 1024, perSubscriber: 100 });
    assert.equal(c.metricsAddr, null);
    assert.equal(c.heap, 'small');
    assert.equal(c.stopWithParent, false);
  });

  it('reads what is set', () => {
    const c = readConfig({
      PORT: '9000',
      LOG_LEVEL: 'WARN',
      NEWSFLOW_DATA: '/tmp/x/store.db',
      NEWSFLOW_DEMO: '0',
      NEWSFLOW_QUIET: '1',
      NEWSFLOW_BASE_URL: 'https://api.example.org/',
      NEWSFLOW_STREAMS_PER_SUBSCRIBER: '3',
      NEWSFLOW_HEAP: 'speed',
      NEWSFLOW_METRICS_ADDR: '127.0.0.1:9464',
      NEWSFLOW_LOG_RETENTION_DAYS: '7',
      npm_lifecycle_event: 'start',
    });
    assert.equal(c.port, 9000);
    assert.equal(c.logLevel, 'warn');
    assert.equal(c.dataFile, '/tmp/x/store.db');
    assert.equal(c.demo, false);
    assert.equal(c.quiet, true);
    assert.equal(c.baseUrl, 'https://api.example.org');
    assert.equal(c.publicUrl, 'http://localhost:9000', 'the public address follows PORT');
    assert.equal(c.streams.perSubscriber, 3);
    assert.equal(c.heap, 'speed');
    assert.deepEqual(c.metricsAddr, { host: '127.0.0.1', port: 9464 });
    assert.equal(c.retentionDays, 7);
    assert.equal(c.stopWithParent, true);
    assert.equal(readConfig({ NEWSFLOW_DATA: '/tmp/folder' }).dataFile, '/tmp/folder/newsflow.db');
    assert.deepEqual(readConfig({ NEWSFLOW_METRICS_ADDR: '[::1]:9464' }).metricsAddr, { host: '::1', port: 9464 });
    assert.deepEqual(readConfig({ NEWSFLOW_METRICS_ADDR: '9464' }).metricsAddr, { host: '127.0.0.1', port: 9464 });
  });

  it('refuses what it cannot use, naming the variable', () => {
    const cases: [Record<string, string>, string][] = [
      [{ PORT: '80a' }, 'PORT'],
      [{ PORT: '-1' }, 'PORT'],
      [{ PORT: '65536' }, 'PORT'],
      [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
      [{ NEWSFLOW_DEMO: 'maybe' }, 'NEWSFLOW_DEMO'],
      [{ NEWSFLOW_BASE_URL: 'api.example.org' }, 'NEWSFLOW_BASE_URL'],
      [{ NEWSFLOW_PUBLIC_URL: 'ftp://x.org' }, 'NEWSFLOW_PUBLIC_URL'],
      [{ NEWSFLOW_LOG_RETENTION_DAYS: '0' }, 'NEWSFLOW_LOG_RETENTION_DAYS'],
      [{ NEWSFLOW_SSE_HEARTBEAT_MS: 'often' }, 'NEWSFLOW_SSE_HEARTBEAT_MS'],
      [{ NEWSFLOW_STREAMS_PER_SUBSCRIBER: '0' }, 'NEWSFLOW_STREAMS_PER_SUBSCRIBER'],
      [{ NEWSFLOW_HEAP: 'huge' }, 'NEWSFLOW_HEAP'],
      [{ NEWSFLOW_METRICS_ADDR: 'localhost:port' }, 'NEWSFLOW_METRICS_ADDR'],
      [{ NEWSFLOW_METRICS_ADDR: '1.2.3.4:99999' }, 'NEWSFLOW_METRICS_ADDR'],
      [{ NEWSFLOW_WEBHOOK_BASE_DELAY_MS: '1.5' }, 'NEWSFLOW_WEBHOOK_BASE_DELAY_MS'],
    ];
    for (const [env, variable] of cases) {
      assert.throws(
        () => readConfig(env),
        (e: unknown) => e instanceof ConfigError && e.variable === variable && e.message.startsWith(`${variable}: `) && !e.message.includes('\n'),
        JSON.stringify(env),
      );
    }
  });

  it('keeps the documented fallback of NEWSFLOW_SITE_BUDGET, with a warning', () => {
    const c = readConfig({ NEWSFLOW_SITE_BUDGET: 'lots' });
    assert.equal(c.warnings.length, 1);
    assert.match(c.warnings[0], /NEWSFLOW_SITE_BUDGET/);
  });

  it('sign-in sessions and limits: agency defaults, set values, and bad values refused by name', () => {
    const d = readConfig({});
    assert.deepEqual(d.sessions, { idleMs: 240 * 60_000, maxMs: 12 * 3_600_000 });
    assert.deepEqual(d.signInLimits, { perAccount: { max: 5, windowMs: 900_000 }, perAddress: { max: 20, windowMs: 900_000 } });
    const c = readConfig({
      NEWSFLOW_SESSION_IDLE_MINUTES: '30',
      NEWSFLOW_SESSION_MAX_HOURS: '8',
      NEWSFLOW_SIGN_IN_LIMIT_ACCOUNT: '3/60',
      NEWSFLOW_SIGN_IN_LIMIT_ADDRESS: '50/3600',
    });
    assert.deepEqual(c.sessions, { idleMs: 30 * 60_000, maxMs: 8 * 3_600_000 });
    assert.deepEqual(c.signInLimits, { perAccount: { max: 3, windowMs: 60_000 }, perAddress: { max: 50, windowMs: 3_600_000 } });
    for (const [name, value] of [
      ['NEWSFLOW_SESSION_IDLE_MINUTES', 'forever'],
      ['NEWSFLOW_SESSION_MAX_HOURS', '-1'],
      ['NEWSFLOW_SIGN_IN_LIMIT_ACCOUNT', '5'],
      ['NEWSFLOW_SIGN_IN_LIMIT_ADDRESS', '0/900'],
    ]) {
      assert.throws(
        () => readConfig({ [name]: value }),
        (e: unknown) => e instanceof ConfigError && e.variable === name,
        name,
      );
    }
  });
});
