// The byte store's contract, run against both stores: the folder (FileMediaFiles) and an S3-compatible
// bucket (S3MediaFiles) on a real s3rver started here. Same keys, same answers: put/read/range/size/
// remove, a missing key, no temporary file left behind, keys that are not media keys refused. Whole-or-
// nothing visibility while a large file is stored: on the folder a rename, watched from a reader; on S3
// the protocol's own promise for a single PUT of a known length (AWS, MinIO, Ceph), which s3rver does
// not keep (it writes objects in place), so there the test checks what newsflow sends: one plain PUT of
// the whole file with its length, never a multipart or chunked upload whose parts could show.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { MediaRefusedError, mediaKey, type MediaFiles } from '../../src/model/media.ts';
import { FileMediaFiles } from '../../src/store/media-files.ts';
import { S3MediaFiles } from '../../src/store/media-s3.ts';
import { s3LocationOf } from '../../src/server/config.ts';
import { tempDir } from '../helpers.ts';
import { startS3, type TestS3 } from './s3.ts';

async function bytesOf(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.from(c as Buffer));
  return Buffer.concat(parts);
}

const keyOf = (bytes: Buffer, name = 'original') => mediaKey(createHash('sha256').update(bytes).digest('hex'), name);

function is404(e: unknown): boolean {
  return e instanceof MediaRefusedError && e.status === 404;
}

let s3: TestS3;
before(async () => {
  s3 = await startS3();
});
after(async () => {
  await s3.stop();
});

const stores: { name: string; open: () => Promise<{ files: MediaFiles; tmp: string }> }[] = [
  {
    name: 'the folder',
    async open() {
      const dir = tempDir('newsflow-files-');
      return { files: new FileMediaFiles(dir), tmp: join(dir, 'tmp') };
    },
  },
  {
    name: 'an S3 bucket',
    async open() {
      const dir = tempDir('newsflow-files-s3-');
      // A key prefix of its own per test, as several newsflow systems could share a bucket.
      const { files } = await S3MediaFiles.open(s3LocationOf(s3.url(`t${randomBytes(4).toString('hex')}`)), dir);
      return { files, tmp: join(dir, 'tmp') };
    },
  },
];

for (const store of stores) {
  describe(`media files in ${store.name}`, () => {
    let files: MediaFiles;
    let tmp: string;
    before(async () => {
      ({ files, tmp } = await store.open());
    });
    after(async () => {
      await files.close();
    });

    test('put moves a finished temporary file in; size, read and a range read give its bytes', async () => {
      const bytes = randomBytes(200_000);
      const key = keyOf(bytes);
      assert.equal(await files.size(key), null);
      const temp = files.tempPath();
      writeFileSync(temp, bytes);
      await files.put(key, temp);
      assert.equal(existsSync(temp), false, 'the temporary file is gone');
      assert.equal(await files.size(key), bytes.length);
      assert.deepEqual(await bytesOf(await files.read(key)), bytes);
      assert.deepEqual(await bytesOf(await files.read(key, { start: 1000, end: 1999 })), bytes.subarray(1000, 2000));
      assert.deepEqual(await bytesOf(await files.read(key, { start: bytes.length - 1, end: bytes.length - 1 })), bytes.subarray(-1));
      assert.deepEqual(await bytesOf(await files.read(key, undefined, { highWaterMark: 1 << 20 })), bytes);
    });

    test('write stores bytes; withLocalFile hands over a local file of them, and a copy does not outlive it', async () => {
      const bytes = randomBytes(5000);
      const key = keyOf(bytes, 'small-webp.webp');
      await files.write(key, bytes);
      assert.equal(await files.size(key), 5000);
      let seen = '';
      const n = await files.withLocalFile(key, async (path) => {
        seen = path;
        assert.deepEqual(readFileSync(path), bytes);
        return 7;
      });
      assert.equal(n, 7);
      if (seen.startsWith(tmp)) assert.equal(existsSync(seen), false, 'the local copy is removed');
      // also when the use fails
      await assert.rejects(
        files.withLocalFile(key, async () => {
          throw new Error('sharp failed');
        }),
        /sharp failed/,
      );
      assert.deepEqual(readdirSync(tmp), []);
    });

    test('a missing key: size null, read a 404 refusal, remove quiet', async () => {
      const key = keyOf(randomBytes(8));
      assert.equal(await files.size(key), null);
      await assert.rejects(files.read(key), is404);
      await assert.rejects(files.read(key, { start: 0, end: 10 }), is404);
      await assert.rejects(
        files.withLocalFile(key, async () => 1),
        is404,
      );
      await files.remove(key);
    });

    test('remove deletes the file', async () => {
      const bytes = randomBytes(100);
      const key = keyOf(bytes);
      await files.write(key, bytes);
      await files.remove(key);
      assert.equal(await files.size(key), null);
      await assert.rejects(files.read(key), is404);
    });

    test('a file being stored is seen whole or not at all', async () => {
      const bytes = randomBytes(24 * 1024 * 1024);
      const key = keyOf(bytes);
      const temp = files.tempPath();
      writeFileSync(temp, bytes);
      const sent = s3.requests.length;
      let done = false;
      const storing = files.put(key, temp).finally(() => {
        done = true;
      });
      if (files instanceof S3MediaFiles) {
        await storing;
        const mine = s3.requests.slice(sent).filter((r) => r.url.includes(key));
        assert.deepEqual(
          mine.map((r) => [r.method, r.contentLength, r.contentEncoding]),
          [['PUT', String(bytes.length), undefined]],
          'one PUT of the whole file with its length',
        );
        assert.ok(!mine[0].url.includes('uploadId') && !mine[0].url.includes('partNumber'), 'not a part of a multipart upload');
      } else {
        const seen = new Set<number | null>();
        while (!done) {
          const size = await files.size(key);
          seen.add(size);
          if (size !== null) assert.equal((await bytesOf(await files.read(key))).length, bytes.length, 'a reader gets all of it');
          await new Promise((r) => setTimeout(r, 2));
        }
        await storing;
        for (const s of seen) assert.ok(s === null || s === bytes.length, `a reader saw ${s} bytes of ${bytes.length}`);
      }
      assert.equal(await files.size(key), bytes.length);
      assert.deepEqual(
        createHash('sha256')
          .update(await bytesOf(await files.read(key)))
          .digest(),
        createHash('sha256').update(bytes).digest(),
      );
      await files.remove(key);
    });

    test('discard removes a temporary file; nothing is left in the temporary folder', async () => {
      const temp = files.tempPath();
      writeFileSync(temp, 'half an upload');
      await files.discard(temp);
      assert.deepEqual(readdirSync(tmp), []);
    });

    test('only media keys: a name that climbs out of the store is refused before any request', async () => {
      for (const bad of ['../etc/passwd', 'ab/../../x', `ab/${'a'.repeat(64)}/../original`, 'link-secret']) {
        await assert.rejects(files.size(bad), /not a media key/);
        await assert.rejects(files.read(bad), /not a media key/);
        await assert.rejects(files.write(bad, Buffer.from('x')), /not a media key/);
      }
    });
  });
}
