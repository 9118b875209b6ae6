// A server-like process for the restart test: it uploads a large photo, starts rendering, says so on
// stdout, and waits to be killed mid-job. A third argument names an S3 bucket for the files.
import { createReadStream } from 'node:fs';
import { openRuntime } from '../../src/server/runtime.ts';

const [file, photo, s3Url] = process.argv.slice(2);
const rt = await openRuntime(file, { media: { workers: 1, ...(s3Url ? { s3Url } : {}) } });
const { asset } = await rt.media.ingest(createReadStream(photo), 'big.jpg');
await rt.media.start();
for (;;) {
  const a = await rt.store.media.getAsset(asset.id);
  if (a?.state === 'running') break;
  await new Promise((r) => setTimeout(r, 5));
}
process.stdout.write(`running ${asset.id}\n`);
setInterval(() => {}, 1000);
