// The demo photos are made in a child process: sharp and libvips would otherwise stay in the server's
// memory for good (an idle server must stay within 100 MB). The child opens the same store, makes and
// renders the photos, prints the drawing → asset map, and ends; a failure leaves the drawings in place.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { makeDemoPhotos } from '../flow/demo.ts';
import { configuredMedia, configuredStore, openRuntime } from './runtime.ts';
import type { Config } from './config.ts';

const CHILD_FLAG = '--newsflow-demo-photos';

/**
 * How long a first start waits for the photos before it loads the demo with the drawings instead: the
 * demo keys are printed, and the port announced, only after the demo is in (a few seconds normally).
 */
export const DEMO_PHOTOS_WAIT_MS = 8000;

/** The demo photos (drawing URL → asset id), made by a child process on `config`'s store; empty on failure. */
export async function demoPhotosInChild(config: Config, timeoutMs = DEMO_PHOTOS_WAIT_MS): Promise<Map<string, string>> {
  // The loader that runs this process (tsx in development and tests) runs the child too.
  const loader: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    if (/^--(import|loader|require)$/.test(process.execArgv[i])) loader.push(process.execArgv[i], process.execArgv[++i]);
  }
  const child = spawn(
    process.execPath,
    [
      ...loader,
      fileURLToPath(import.meta.url),
      CHILD_FLAG, // The same store as the server's (its PostgreSQL database, or its SQLite file), or the photos are made
      // where the server never looks.
      JSON.stringify({ file: configuredStore(config), media: configuredMedia(config), baseUrl: config.baseUrl }),
    ],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  if (code !== 0) return new Map();
  try {
    return new Map(Object.entries(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, string>));
  } catch {
    return new Map();
  }
}

if (process.argv[2] === CHILD_FLAG) {
  const opts = JSON.parse(process.argv[3]) as { file: string; media: Config['media']; baseUrl: string };
  const rt = await openRuntime(opts.file, { baseUrl: opts.baseUrl, media: opts.media });
  try {
    const made = await makeDemoPhotos(rt);
    process.stdout.write(`${JSON.stringify(Object.fromEntries(made))}\n`);
  } finally {
    await rt.close();
  }
}
