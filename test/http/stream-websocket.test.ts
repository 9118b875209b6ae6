// The WebSocket twin of the live stream: same order, same resume-by-cursor, same revocation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addProduct, addSubscriber, call, publish, startServer, until, type FlowServer } from './subscriber-helpers.ts';

// `ws` comes with @fastify/websocket; Node 20 has no WebSocket client of its own.
const { WebSocket } = await import('ws' as string);

function open(url: string): Promise<{ ws: any; got: any[]; closed: Promise<{ code: number; reason: string }> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const got: any[] = [];
    const closed = new Promise<{ code: number; reason: string }>((r) =>
      ws.on('close', (code: number, reason: Buffer) => r({ code, reason: reason.toString() })),
    );
    ws.on('message', (m: Buffer) => got.push(JSON.parse(m.toString())));
    ws.on('open', () => resolve({ ws, got, closed }));
    ws.on('unexpected-response', (_req: unknown, res: { statusCode: number }) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

describe('WebSocket stream', () => {
  let s: FlowServer;
  let sub: Awaited<ReturnType<typeof addSubscriber>>;
  before(async () => {
    s = await startServer({ webhooks: false });
    await addProduct(s, { name: 'Arabic', languages: ['ar'] });
    sub = await addSubscriber(s, 'WS desk', ['Arabic']);
  });
  after(async () => s.stop());

  it('streams entitled items in order and resumes from a cursor', async () => {
    const start = (await call(s, sub.key, 'GET', '/v1/feed')).body.next_cursor;
    const wsUrl = s.url.replace('http', 'ws');
    const a = await open(`${wsUrl}/v1/ws?cursor=${start}&access_token=${sub.key}`);
    const seqs: number[] = [];
    for (let i = 0; i < 4; i++) {
      const p = await publish(s, { language: i === 1 ? 'tr' : 'ar', headline: `ws ${i}` });
      if (i !== 1) seqs.push(p.seq);
    }
    await until('three items', () => a.got.length === 3);
    assert.deepEqual(
      a.got.map((m) => m.event.seq),
      seqs,
    );
    a.ws.close();
    const b = await open(`${wsUrl}/v1/ws?cursor=${a.got[0].cursor}&access_token=${sub.key}`);
    await until('the two after the cursor', () => b.got.length === 2);
    assert.deepEqual(
      b.got.map((m) => m.event.seq),
      seqs.slice(1),
    );
    await call(s, s.adminKey, 'DELETE', `/v1/keys/${sub.keyId}`);
    assert.equal((await b.closed).code, 4001);
    await assert.rejects(open(`${wsUrl}/v1/ws?access_token=${sub.key}`), /HTTP 401/);
    await assert.rejects(open(`${wsUrl}/v1/ws?cursor=garbage&access_token=${sub.key}`), /HTTP 40[01]/);
  });
});
