// `newsflow serve` (what `npm start` runs): the server configured by the environment, stopped gracefully
// on SIGTERM or SIGINT (a second signal stops it at once). A start that cannot succeed (a bad variable, a
// store that cannot be created, a busy port) ends with one line naming the cause, never a stack trace.
import { type Config, ConfigError, processConfig } from './config.ts';
import { startServer } from './server.ts';

/** Longest a graceful stop may take before the process exits anyway. */
const STOP_DEADLINE_MS = 9000;

export async function runServer(): Promise<void> {
  // A reader that went away (`npm start | head`) must not turn every later write into a crash or a hang.
  for (const s of [process.stdout, process.stderr]) s.on('error', () => {});
  let server: Awaited<ReturnType<typeof startServer>>;
  let config: Config;
  try {
    config = processConfig();
    server = await startServer(config);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`newsflow: cannot start: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals | 'parent gone') => {
    if (++signals > 1) {
      process.stderr.write(`newsflow: ${signal} again: stopping at once\n`);
      process.exit(1);
    }
    process.stderr.write(
      signal === 'parent gone'
        ? 'newsflow: npm, which started this server, went away: stopping\n'
        : `newsflow: ${signal}: stopping (open streams are closed, webhook posts in flight may finish; ${signal} again to stop at once)\n`,
    );
    setTimeout(() => {
      process.stderr.write('newsflow: the graceful stop took too long; stopping at once\n');
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    server.stop().then(
      () => process.exit(0),
      (e) => {
        process.stderr.write(`newsflow: stopping failed: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  if (config.stopWithParent) {
    // `npm start` then SIGTERM: npm signals the shell running the script, which dies and leaves this
    // process to init. A new parent means whoever started the server is gone.
    const parent = process.ppid;
    const watch = setInterval(() => {
      if (process.ppid === parent) return;
      clearInterval(watch);
      onSignal('parent gone');
    }, 250);
    watch.unref();
  }
}
