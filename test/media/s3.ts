// A real S3-compatible server for the media tests: s3rver (the S3 REST API over a folder) on loopback,
// started by the test that needs it, with one bucket, and the NEWSFLOW_MEDIA_S3_URL that names it.
import S3rver from 's3rver';
import { tempDir } from '../helpers.ts';

export interface TestS3 {
  /** NEWSFLOW_MEDIA_S3_URL for the bucket (`prefix` adds a key prefix). */
  url: (prefix?: string) => string;
  port: number;
  /** Every request the server received: method, path and query, and the headers that say how a body came. */
  requests: { method: string; url: string; contentLength: string | undefined; contentEncoding: string | undefined }[];
  /** Stops the server: every request after this fails to connect. */
  stop: () => Promise<void>;
}

export const S3_BUCKET = 'newsflow-media';

export async function startS3(opts: { port?: number; directory?: string } = {}): Promise<TestS3> {
  const srv = new S3rver({
    port: opts.port ?? 0,
    address: '127.0.0.1',
    silent: true,
    directory: opts.directory ?? tempDir('newsflow-s3rver-'),
    configureBuckets: [{ name: S3_BUCKET }],
  });
  const { port } = await srv.run();
  const requests: TestS3['requests'] = [];
  srv.httpServer?.prependListener('request', (req) => {
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      contentLength: req.headers['content-length'],
      contentEncoding: req.headers['content-encoding'],
    });
  });
  let stopped = false;
  return {
    port,
    requests,
    url: (prefix = '') => `http://S3RVER:S3RVER@127.0.0.1:${port}/${S3_BUCKET}${prefix ? `/${prefix}` : ''}?region=us-east-1`,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Keep-alive sockets of the SDK would hold close() open.
      srv.httpServer?.closeAllConnections();
      await srv.close();
    },
  };
}
