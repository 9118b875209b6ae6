// Raw SSE clients and the fan-out measurement shared by the flow and PostgreSQL benchmarks
// (bench/flow.ts, bench/pg.ts): lean clients on plain sockets, latency from publish to receipt.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

export function rssMb(pid: number, field = 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * N raw SSE clients on plain TCP sockets. Each scans the bytes it receives for the story marker
 * (`bench-<i>`) and reports each story once, in order. Deliberately lean: with 10,000 streams in one
 * process, a client that decodes and splits every frame would be the slowest part of the benchmark,
 * and would measure itself rather than the servers.
 */
export async function connectClients(
  n: number,
  url: string,
  headers: (i: number) => Record<string, string>,
  onStory: (i: number) => void,
): Promise<() => void> {
  const { hostname: host, port, pathname, search } = new URL(url);
  const MARK = Buffer.from('bench-');
  const sockets: Socket[] = [];
  const open = (i: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const socket = connect({ host, port: Number(port) }, () => {
        const lines = Object.entries({ host: `${host}:${port}`, accept: 'text/event-stream', ...headers(i) })
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('');
        socket.write(`GET ${pathname}${search} HTTP/1.1\r\n${lines}\r\n`);
      });
      socket.setNoDelay(true);
      sockets.push(socket);
      let status = false;
      let last = -1;
      let carry: Buffer | null = null;
      socket.on('data', (chunk: Buffer) => {
        const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
        if (!status) {
          if (buf.length < 12) {
            carry = buf;
            return;
          }
          status = true;
          if (buf.toString('latin1', 9, 12) !== '200') return reject(new Error(`subscribe: HTTP ${buf.toString('latin1', 9, 12)}`));
          resolve();
        }
        let at = 0;
        let keepFrom = Math.max(0, buf.length - MARK.length);
        while ((at = buf.indexOf(MARK, at)) >= 0) {
          let j = at + MARK.length;
          let story = 0;
          while (j < buf.length && buf[j] >= 48 && buf[j] <= 57) story = story * 10 + buf[j++] - 48;
          if (j === buf.length) {
            keepFrom = at;
            break;
          } // the number may go on in the next chunk
          if (j > at + MARK.length && story > last) {
            last = story;
            onStory(story);
          }
          at = j;
        }
        carry = buf.subarray(keepFrom);
        if (carry.length === 0) carry = null;
        else carry = Buffer.from(carry); // do not pin the whole chunk
      });
      socket.on('error', reject);
    });
  for (let i = 0; i < n; i += 250) await Promise.all(Array.from({ length: Math.min(250, n - i) }, (_, j) => open(i + j)));
  return () => {
    for (const s of sockets) s.destroy();
  };
}

export function percentile(sorted: Float64Array, p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN;
}

export interface FanoutResult {
  system: string;
  clients: number;
  p50: number;
  p99: number;
  max: number;
  received: number;
  expected: number;
  connectedRssMb: number;
  rssMb: number;
  peakRssMb: number;
}

/** Publishes `stories` items with `publishOne(i)` and measures receipt at `clients` subscribers. */
export async function fanout(
  system: string,
  clients: number,
  stories: number,
  intervalMs: number,
  subscribe: (onStory: (i: number) => void) => Promise<() => void>,
  publishOne: (i: number) => Promise<void>,
  pid: () => number[],
  prepare: (i: number) => Promise<void> = async () => {},
): Promise<FanoutResult> {
  const publishedAt = new Float64Array(stories);
  const latencies = new Float64Array(clients * stories);
  let received = 0;
  const stop = await subscribe((i) => {
    if (i >= stories) return;
    latencies[received++] = performance.now() - publishedAt[i];
  });
  await new Promise((r) => setTimeout(r, 1000));
  const connectedRss = pid().reduce((a, p) => a + rssMb(p), 0);
  for (let i = 0; i < stories; i++) {
    await prepare(i);
    publishedAt[i] = performance.now();
    await publishOne(i);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const deadline = Date.now() + 30_000;
  while (received < clients * stories && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const rss = pid().reduce((a, p) => a + rssMb(p), 0);
  const peak = pid().reduce((a, p) => a + rssMb(p, 'VmHWM'), 0);
  stop();
  const sorted = latencies.slice(0, received).sort();
  return {
    system,
    clients,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? NaN,
    received,
    expected: clients * stories,
    connectedRssMb: connectedRss,
    rssMb: rss,
    peakRssMb: peak,
  };
}
