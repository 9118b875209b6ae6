// The public subscribe form against floods and oversized text, over real HTTP: past the per-address
// quota a sender gets a page in their language with Retry-After (and nothing is stored), another
// address is not affected, and a field over its limit is refused with a note beside that field
// instead of being stored cut short.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { LEAD_LIMITS } from '../../src/web/pages/subscribe.ts';
import { startServer, type FlowServer } from '../http/subscriber-helpers.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Posts the form from a given loopback address (all of 127.0.0.0/8 reaches the server on Linux). */
function post(s: FlowServer, fields: Record<string, string>, from = '127.0.0.1'): Promise<Answer> {
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      `${s.url}/subscribe`,
      {
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const leads = async (s: FlowServer) => (await s.rt.store.site.listLeads(500)).length;

describe('public forms', () => {
  let s: FlowServer;
  before(async () => {
    s = await startServer({ webhooks: false });
  });
  after(async () => {
    await s.stop();
  });

  it('a field over its limit gets a note beside it and nothing is stored; at the limit it is stored whole', async () => {
    const before = await leads(s);
    const long = await post(
      s,
      { lang: 'en', name: 'N'.repeat(LEAD_LIMITS.name + 1), email: 'desk@example.org', message: 'م'.repeat(LEAD_LIMITS.message + 1) },
      '127.0.0.3',
    );
    assert.equal(long.status, 400);
    assert.match(long.headers['content-type'] as string, /text\/html/);
    // The note sits in the field's own block and is tied to it.
    assert.match(
      long.body,
      /<input id="f-name"[^>]*aria-invalid="true" aria-describedby="f-name-error"[^>]*><p class="field-error" id="f-name-error" role="alert">This field takes at most 200 characters/,
    );
    assert.match(
      long.body,
      /<textarea id="f-msg"[^>]*aria-describedby="f-msg-error"[^>]*>م+<\/textarea><p class="field-error" id="f-msg-error" role="alert">This field takes at most 4000 characters/,
    );
    assert.doesNotMatch(long.body, /id="f-email-error"|id="f-org-error"/, 'fields within their limit carry no note');
    assert.equal(await leads(s), before, 'nothing stored, not even cut short');

    const ar = await post(s, { lang: 'ar', name: 'ليلى', email: 'l@example.org', organisation: 'و'.repeat(LEAD_LIMITS.organisation + 1) }, '127.0.0.3');
    assert.equal(ar.status, 400);
    assert.match(ar.body, /id="f-org-error" role="alert">النص أطول من الحد المسموح \(200 حرفاً\)/);

    const exact = await post(
      s,
      { lang: 'tr', name: 'A'.repeat(LEAD_LIMITS.name), email: 'a@example.org', message: 'ç'.repeat(LEAD_LIMITS.message) },
      '127.0.0.3',
    );
    assert.equal(exact.status, 303);
    const [stored] = await s.rt.store.site.listLeads(1);
    assert.equal(stored.name.length, LEAD_LIMITS.name);
    assert.equal(stored.message?.length, LEAD_LIMITS.message);
  });

  it('past the per-address quota the sender gets a friendly page with Retry-After; nothing more is stored', async () => {
    const before = await leads(s);
    const answers: Answer[] = [];
    for (let i = 0; i < 30; i++) answers.push(await post(s, { lang: 'tr', name: `Bot ${i}`, email: `bot${i}@example.org` }));
    const accepted = answers.filter((a) => a.status === 303).length;
    assert.equal(accepted, 10, 'ten posts in ten minutes from one address');
    assert.equal(await leads(s), before + 10, 'the flood stored no more than the quota');
    const refused = answers.at(-1)!;
    assert.equal(refused.status, 429);
    assert.match(refused.headers['content-type'] as string, /text\/html/);
    const retry = Number(refused.headers['retry-after']);
    assert.ok(retry > 0 && retry <= 600, `Retry-After ${refused.headers['retry-after']}`);
    assert.match(refused.body, /<html[^>]*lang="tr"/);
    assert.match(refused.body, /Kısa sürede birkaç mesajınız bize ulaştı\. Lütfen yaklaşık 10 dakika sonra yeniden deneyin\./);
    assert.doesNotMatch(refused.body, /<form class="lead-form"/, 'no form to send again at once');
    assert.equal(refused.headers['cache-control'], 'no-store');

    // Another address is counted on its own.
    const other = await post(s, { lang: 'en', name: 'Reader', email: 'reader@example.org' }, '127.0.0.2');
    assert.equal(other.status, 303);
    assert.equal(await leads(s), before + 11);
  });
});
