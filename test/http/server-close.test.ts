// A stopping server does not wait on connections that will not end by themselves: a client that opened
// a connection and never sent a whole request, or a keep-alive connection that goes idle just after the
// close began. A long-poll woken by the close still gets its answer before its connection is closed.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { it } from 'node:test';
import { CLOSE_GRACE_MS } from '../../src/http/app.ts';
import { addProduct, addSubscriber, startServer } from './subscriber-helpers.ts';

it('closing answers a waiting long-poll, then cuts silent and half-sent connections within the grace period', async () => {
  const s = await startServer({ webhooks: false });
  await addProduct(s, { name: 'All' });
  const sub = await addSubscriber(s, 'Reader', ['All']);
  // Connected and silent, like a browser's preconnect.
  const silent = connect(s.port, '127.0.0.1');
  // Half a request head, then nothing.
  const half = connect(s.port, '127.0.0.1', () => half.write('GET /v1/feed HTTP/1.1\r\nhost: x\r\n'));
  const ended = (socket: typeof silent) => new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const silentEnded = ended(silent);
  const halfEnded = ended(half);
  silent.on('error', () => {});
  half.on('error', () => {});
  // A long-poll that would wait 30 s.
  const poll = fetch(`${s.url}/v1/feed?wait=30`, { headers: { authorization: `Bearer ${sub.key}` } });
  await new Promise((r) => setTimeout(r, 300));

  const t0 = Date.now();
  await s.stop();
  const took = Date.now() - t0;
  assert.ok(took < CLOSE_GRACE_MS + 2000, `the stop took ${took} ms; the grace period is ${CLOSE_GRACE_MS} ms`);
  const answered = await poll;
  assert.equal(answered.status, 200, 'the long-poll was answered, not cut');
  assert.ok(Array.isArray(((await answered.json()) as { items: unknown[] }).items));
  await Promise.all([silentEnded, halfEnded]);
});
