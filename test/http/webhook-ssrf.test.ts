// The webhook SSRF guard against every way of writing a private address: IPv4 ranges, and the IPv6
// forms that carry an IPv4 address inside (mapped, compatible, 6to4, NAT64, Teredo) or are themselves
// not global unicast. Each is refused when a webhook is registered through the API and again when the
// worker is about to connect (a webhook that reached the store some other way posts nothing).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkWebhookUrl, isPrivateAddress, isPublicAddress } from '../../src/flow/ssrf.ts';
import { newWebhookSecret } from '../../src/flow/webhooks.ts';
import { addProduct, addSubscriber, call, publish, startServer, until, type FlowServer } from './subscriber-helpers.ts';

/** Hosts (as written in a URL) that must be refused. */
const refused = [
  // IPv4 ranges (already refused before the IPv6 forms were added)
  '127.0.0.1',
  '127.8.9.10',
  '10.1.2.3',
  '172.20.0.1',
  '192.168.0.9',
  '169.254.169.254',
  '100.64.0.1',
  '0.0.0.0',
  '224.0.0.1',
  '255.255.255.255',
  '192.0.0.8',
  '198.18.0.1',
  '2130706433' /* 127.0.0.1 as one number */,
  // IPv6 that is itself not global unicast
  '[::1]',
  '[::]',
  '[fe80::1]',
  '[fd00::1]',
  '[fc00::1]',
  '[ff02::1]',
  '[fec0::1]',
  '[2001:db8::1]',
  '[100::1]',
  // IPv4-mapped and translated (RFC 6145)
  '[::ffff:127.0.0.1]',
  '[::ffff:7f00:1]',
  '[::ffff:0:7f00:1]',
  '[::ffff:0:a9fe:a9fe]',
  '[::ffff:10.0.0.1]',
  // IPv4-compatible (deprecated ::a.b.c.d)
  '[::127.0.0.1]',
  '[::a9fe:a9fe]',
  '[::10.0.0.1]',
  // 6to4 of loopback and of the metadata address
  '[2002:7f00:1::]',
  '[2002:a9fe:a9fe::]',
  '[2002:c0a8:1::1]',
  // NAT64: the well-known prefix and the local-use one
  '[64:ff9b::7f00:1]',
  '[64:ff9b::a9fe:a9fe]',
  '[64:ff9b:1::a9fe:a9fe]',
  '[64:ff9b:1::7f00:1]',
  // Teredo whose client (inverted) or server address is private
  '[2001:0:4136:e378:8000:63bf:80ff:fffe]' /* client 127.0.0.1 */,
  '[2001:0:a00:1:8000:63bf:f7f7:f7f7]' /* server 10.0.0.1 */,
];

/** Hosts that are global unicast and must pass. */
const allowed = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.215.14',
  '[2606:4700::1111]',
  '[2a00:1450:4001:81c::200e]',
  '[::ffff:8.8.8.8]',
  '[64:ff9b::808:808]',
  '[2002:808:808::1]',
  '[2001:0:4136:e378:8000:63bf:f7f7:f7f7]',
];

const hostOf = (h: string) => new URL(`http://${h}/`).hostname.replace(/^\[|\]$/g, '');

describe('webhook SSRF guard', () => {
  it('classifies only global unicast as public, judging embedded IPv4 by the address inside', async () => {
    for (const h of refused) {
      assert.ok(isPrivateAddress(hostOf(h)), `${h} (${hostOf(h)}) must be refused`);
      await assert.rejects(checkWebhookUrl(`http://${h}:8080/hook`, false), /SSRF/, h);
    }
    for (const h of allowed) {
      assert.ok(isPublicAddress(hostOf(h)), `${h} (${hostOf(h)}) must pass`);
      await checkWebhookUrl(`https://${h}/hook`, false);
    }
    assert.ok(isPrivateAddress('not an address'));
    assert.ok(isPrivateAddress('fe80::1%eth0'));
  });

  describe('through the API and the worker', () => {
    let s: FlowServer;
    let desk: Awaited<ReturnType<typeof addSubscriber>>;
    let target: Server;
    let hits = 0;
    before(async () => {
      s = await startServer({
        env: { NEWSFLOW_ALLOW_PRIVATE_WEBHOOKS: '0' },
        webhooks: { allowPrivate: false, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 1000, tickMs: 30 },
      });
      await addProduct(s, { name: 'Arabic', languages: ['ar'] });
      desk = await addSubscriber(s, 'Probe desk', ['Arabic']);
      target = createServer((_req, res) => {
        hits++;
        res.end('ok');
      });
      await new Promise<void>((ok) => target.listen(0, '::', ok));
    });
    after(async () => {
      await s.stop();
      await new Promise<void>((ok) => target.close(() => ok()));
    });

    it('refuses every private form at registration with a 400 naming the guard', async () => {
      for (const h of refused) {
        const r = await call(s, desk.key, 'POST', '/v1/webhooks', { url: `http://${h}:9/hook` });
        assert.equal(r.status, 400, `${h}: ${JSON.stringify(r.body)}`);
        assert.match(r.body.message, /SSRF guard/, h);
      }
      const ok = await call(s, desk.key, 'POST', '/v1/webhooks', { url: 'https://[2606:4700::1111]/hook' });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      await call(s, desk.key, 'DELETE', `/v1/webhooks/${ok.body.id}`);
    });

    it('refuses again at connect time: a stored webhook to a private form posts nothing', async () => {
      const port = (target.address() as AddressInfo).port;
      const urls = ['[::ffff:7f00:1]', '[::127.0.0.1]', '[::ffff:0:7f00:1]', '[2002:7f00:1::]', '[64:ff9b:1::7f00:1]'].map((h) => `http://${h}:${port}/hook`);
      const head = await s.rt.store.headSeq();
      const hooks = [];
      for (const url of urls) {
        hooks.push(
          await s.rt.store.subscribers.createWebhook({
            subscriberId: desk.subscriber.id,
            url,
            secret: newWebhookSecret(),
            events: null,
            cursor: head,
            alertId: null,
          }),
        );
      }
      await publish(s, { language: 'ar', headline: 'خبر للاختبار' });
      for (const hook of hooks) {
        await until(`an attempt for ${hook.url}`, async () => (await s.rt.store.subscribers.listAttempts(hook.id, 10)).length > 0);
        const [attempt] = await s.rt.store.subscribers.listAttempts(hook.id, 10);
        assert.equal(attempt.ok, false);
        assert.match(attempt.error ?? '', /SSRF guard/, hook.url);
      }
      assert.equal(hits, 0, 'no connection reached the loopback receiver');
    });
  });
});
