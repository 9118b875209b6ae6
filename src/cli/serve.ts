// `newsflow serve` (what `npm start` runs): the HTTP server on the store named by NEWSFLOW_DATA.
import { buildApp } from '../http/app.ts';
import { openRuntime } from '../flow/runtime.ts';
import { loadDemoNewsroom } from '../flow/demo.ts';
import { startWebhookWorker } from '../flow/webhooks.ts';
import { startMaintenance } from '../flow/maintenance.ts';
import { preferSmallHeap } from './heap.ts';

export async function serveCommand(): Promise<void> {
  const stopHeapWatch = preferSmallHeap();
  const port = Number(process.env.PORT ?? 8080);
  const host = process.env.HOST ?? '0.0.0.0';
  const rt = await openRuntime();
  if (process.env.NEWSFLOW_DEMO !== '0' && (await rt.store.countStories()) === 0) {
    const demo = await loadDemoNewsroom(rt);
    const lines = [
      '',
      `newsflow: loaded the demo newsroom (${demo.stories} stories). Demo API keys, shown only this once:`,
      ...demo.keys.map((k) => `  ${k.role.padEnd(10)} ${k.secret}${k.note ? `   (${k.note})` : ''}`),
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
  await rt.hub.start();
  const app = await buildApp(rt, { logger: process.env.NEWSFLOW_QUIET !== '1' });
  const stopMaintenance = startMaintenance(rt, { onError: (e) => app.log.error(e) });
  const stopWebhooks = startWebhookWorker(rt);
  const shutdown = async () => {
    stopMaintenance();
    stopHeapWatch();
    await stopWebhooks();
    await app.close();
    await rt.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  await app.listen({ port, host });
  process.stdout.write(`newsflow: listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port} (API docs at /docs, store ${rt.store.kind})\n`);
}
