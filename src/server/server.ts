// The composition root of the server: from a checked configuration it builds the store, hub, key ring,
// newsroom, deliveries, stream fan-out, HTTP app (API and public site), webhook worker, maintenance and
// metrics listener, in one place that also owns stopping them, in the reverse order.
import type { Server } from 'node:http';
import { seatRecipients } from '../flow/accounts.ts';
import { loadDemoNewsroom } from '../flow/demo.ts';
import { demoPhotosInChild } from './demo-photos.ts';
import { startMaintenance } from '../flow/maintenance.ts';
import type { Runtime } from '../flow/runtime.ts';
import { startWebhookWorker } from '../flow/webhooks.ts';
import { startTopicAlerts, type AlertClock, type TopicAlerts } from '../flow/topic-alerts.ts';
import type { Recipients } from '../model/topics.ts';
import { buildWebApp, type WebApp } from './app.ts';
import { ConfigError, type Config } from './config.ts';
import { endStartupHeap, preferSmallHeap } from './heap.ts';
import { keyBlock, requestLogger } from './log.ts';
import { listenForMetrics } from './metrics.ts';
import { smtpMailer } from './mailer.ts';
import { openConfiguredRuntime } from './runtime.ts';

/** How long webhook posts in flight may take to finish when the server stops (then they are aborted and retried later). */
const WEBHOOK_GRACE_MS = 5000;

export interface RunningServer {
  /** The API's address as listened on (port 0 resolved). */
  url: string;
  port: number;
  /** The metrics listener's port, when NEWSFLOW_METRICS_ADDR is set. */
  metricsPort: number | null;
  rt: Runtime;
  web: WebApp;
  /** The topic alert engine (notifications always; e-mails when NEWSFLOW_SMTP_URL is set). */
  alerts: TopicAlerts;
  /** Stops gracefully: no new requests, streams told and closed, webhook posts finished (bounded), store closed. */
  stop(): Promise<void>;
}

export interface ServerOutput {
  /** Where the start-up lines (demo keys, the address) and the request log go. */
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Parts the composition root is handed rather than builds (tests and benchmarks give their own). */
export interface ServerParts {
  /** The seats alerts go to. */
  recipients?: Recipients;
  /** The alert engine's clock (tests move it to reach a digest hour). */
  alertClock?: AlertClock;
}

/** Starts a server as configured. Throws a ConfigError (one line for the operator) when it cannot start. */
export async function startServer(config: Config, out: ServerOutput = { stdout: process.stdout }, parts: ServerParts = {}): Promise<RunningServer> {
  const rt = await openConfiguredRuntime(config);
  const stopHeapWatch = preferSmallHeap(config.heap);
  const cleanups: (() => Promise<void> | void)[] = [stopHeapWatch, () => rt.close()];
  const undo = async () => {
    for (const c of cleanups.reverse()) await c();
  };
  try {
    // Said even when the request log is off (NEWSFLOW_QUIET): a setting was not applied as written.
    for (const w of config.warnings) out.stdout.write(`newsflow: warning: ${w}\n`);
    await rt.hub.start();
    const web = await buildWebApp(rt, config, { logger: await requestLogger(config, out.stdout) });
    cleanups.push(() => web.app.close());
    const stopMaintenance = startMaintenance(rt, { retentionDays: config.retentionDays, onError: (e) => web.app.log.error(e) });
    cleanups.push(stopMaintenance);
    const stopWebhooks = startWebhookWorker(rt, { allowPrivate: config.allowPrivateWebhooks, baseDelayMs: config.webhookBaseDelayMs });
    cleanups.push(() => stopWebhooks(0));
    const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : null;
    if (!mailer) out.stdout.write('newsflow: e-mail alerts are off (set NEWSFLOW_SMTP_URL to send them)\n');
    const alerts = startTopicAlerts(rt, {
      publicUrl: config.publicUrl,
      mailer,
      recipients: parts.recipients ?? seatRecipients(rt.store),
      clock: parts.alertClock,
      onError: (e) => web.app.log.error(e),
    });
    cleanups.push(async () => {
      await alerts.stop();
      await mailer?.close();
    });
    // Rendering jobs a stopped server left are taken up again (rt.close stops the workers).
    await rt.media.start();
    await listen(web, config);
    // After the port is ours: a start that fails on a busy port leaves a new store as it was, demo to come.
    await welcome(rt, config, out.stdout);
    const port = (web.app.server.address() as { port: number }).port;
    let metricsServer: Server | null = null;
    if (config.metricsAddr) {
      try {
        metricsServer = await listenForMetrics(web.metrics, config.metricsAddr);
      } catch (e) {
        throw new ConfigError('NEWSFLOW_METRICS_ADDR', `cannot listen on ${config.metricsAddr.host}:${config.metricsAddr.port}: ${reasonOf(e)}`);
      }
    }
    const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const metricsPort = metricsServer ? (metricsServer.address() as { port: number }).port : null;
    out.stdout.write(
      `newsflow: listening on http://${shown}:${port} (API docs at /docs, store ${rt.store.kind}` +
        `${metricsServer ? `, metrics on ${config.metricsAddr!.host}:${metricsPort}/metrics` : ''})\n`,
    );
    endStartupHeap();

    let stopping: Promise<void> | null = null;
    return {
      url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
      port,
      metricsPort,
      rt,
      web,
      alerts,
      stop() {
        return (stopping ??= (async () => {
          stopMaintenance();
          stopHeapWatch();
          if (metricsServer) {
            metricsServer.closeAllConnections();
            await new Promise((r) => metricsServer!.close(r));
          }
          // Together: the app takes no new requests, tells open streams and closes them, answers its
          // long-polls; the webhook worker takes no new work and lets the posts in flight finish (bounded).
          // Then the store, when nothing uses it any more.
          // The alert engine finishes the mail it is sending (and records it), so none is sent twice.
          await Promise.all([web.app.close(), stopWebhooks(WEBHOOK_GRACE_MS), alerts.stop().then(() => mailer?.close())]);
          await rt.close();
        })());
      },
    };
  } catch (e) {
    await undo().catch(() => {});
    throw e;
  }
}

async function listen(web: WebApp, config: Config): Promise<void> {
  try {
    await web.app.listen({ port: config.port, host: config.host });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'EADDRINUSE') {
      throw new ConfigError('PORT', `port ${config.port} on ${config.host} is already in use (another newsflow?); stop it or start with another PORT`);
    }
    if (code === 'EACCES')
      throw new ConfigError('PORT', `not allowed to listen on port ${config.port}; use a port above 1023 or run with the rights to bind it`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new ConfigError('HOST', `"${config.host}" is not an address of this machine; use 0.0.0.0, 127.0.0.1 or one of its own addresses`);
    throw e;
  }
}

/**
 * A new store gets the demo newsroom, and its keys are printed once. A store with no stories gets it
 * too even when a CLI command ran first (a `key create` must not cost a first user the demo); a store
 * with stories but no staff key is told how to make one.
 */
async function welcome(rt: Runtime, config: Config, out: NodeJS.WritableStream): Promise<void> {
  if (config.demo && (await rt.store.countStories()) === 0) {
    const demo = await loadDemoNewsroom(rt, await demoPhotosInChild(config));
    out.write(
      keyBlock(
        `newsflow: loaded the demo newsroom (${demo.stories} stories). Demo API keys, shown only this once:`,
        demo.keys.map((k) => [k.role, k.secret, k.note]),
      ),
    );
    if (demo.users.length > 0) {
      out.write(
        keyBlock(
          `newsflow: demo desk users (e-mail, password), shown only this once. Sign in at ${config.publicUrl}/desk`,
          demo.users.map((u) => [u.role, `${u.email}  ${u.password}`]),
        ),
      );
    }
    if (demo.seats.length > 0) {
      out.write(
        keyBlock(
          `newsflow: demo subscriber portal seat (e-mail, password), shown only this once. Sign in at ${config.publicUrl}/portal`,
          demo.seats.map((u) => [u.role, `${u.email}  ${u.password}`, `subscriber ${u.subscriberId}`]),
        ),
      );
    }
    return;
  }
  const keys = await rt.store.listKeys();
  if (!keys.some((k) => !k.revokedAt && (k.role === 'admin' || k.role === 'editor'))) {
    out.write(
      keyBlock('newsflow: this store has no admin or editor key yet. Create one (it is printed once):', [
        ['admin', 'npx newsflow key create --role admin'],
        ['editor', 'npx newsflow key create --role editor'],
      ]),
    );
  }
}

export function reasonOf(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return (err.message ?? String(e)).split('\n')[0];
}
