// The admin API of the subscriber flow: products, subscribers, their keys (issue, list, revoke), who
// may call what, and the per-subscriber rate limit of the pull feed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, startServer, type FlowServer } from './subscriber-helpers.ts';

describe('subscriber admin API', () => {
  let s: FlowServer;
  before(async () => {
    s = await startServer({ webhooks: false });
  });
  after(async () => s.stop());

  it('creates and lists products, refusing a duplicate name and unknown fields', async () => {
    const p = await call(s, s.adminKey, 'POST', '/v1/products', { name: 'Turkish photo', languages: ['tr'], mediaTypes: ['photo'], maxUrgency: 3 });
    assert.equal(p.status, 201);
    assert.deepEqual(
      [p.body.languages, p.body.categories, p.body.mediaTypes, p.body.maxUrgency, p.body.embargoRights, p.body.delaySeconds],
      [['tr'], [], ['photo'], 3, false, 0],
    );
    assert.equal((await call(s, s.adminKey, 'POST', '/v1/products', { name: 'Turkish photo' })).status, 409);
    assert.equal((await call(s, s.adminKey, 'POST', '/v1/products', { name: 'X', colour: 'red' })).status, 400);
    assert.equal((await call(s, s.adminKey, 'POST', '/v1/products', { name: 'Y', mediaTypes: ['hologram'] })).status, 400);
    const list = await call(s, s.adminKey, 'GET', '/v1/products');
    assert.deepEqual(
      list.body.products.map((x: any) => x.name),
      ['Turkish photo'],
    );
  });

  it('creates subscribers on existing products only, and shows them with keys', async () => {
    assert.equal((await call(s, s.adminKey, 'POST', '/v1/subscribers', { name: 'Nope', products: ['No such'] })).status, 404);
    const sub = await call(s, s.adminKey, 'POST', '/v1/subscribers', { name: 'Istanbul Daily', products: ['Turkish photo'], rateLimit: 2 });
    assert.equal(sub.status, 201);
    assert.equal(sub.body.products[0].name, 'Turkish photo');
    const key = await call(s, s.adminKey, 'POST', `/v1/subscribers/${sub.body.id}/keys`, { label: 'newsroom' });
    assert.equal(key.status, 201);
    assert.match(key.body.secret, /^nf_sub_/);
    const shown = await call(s, s.adminKey, 'GET', `/v1/subscribers/${sub.body.id}`);
    assert.equal(shown.body.keys.length, 1);
    assert.equal(shown.body.keys[0].label, 'newsroom');
    assert.equal(shown.body.keys[0].secret, undefined, 'a secret is never shown again');
    assert.equal((await call(s, s.adminKey, 'GET', `/v1/subscribers/${sub.body.id}/keys`)).body.keys.length, 1);
    assert.equal((await call(s, s.adminKey, 'GET', '/v1/subscribers')).body.subscribers.length, 1);
    assert.equal((await call(s, s.adminKey, 'GET', '/v1/subscribers/0000000000000000000000000z')).status, 404);

    // Rate limit: two feed requests a minute.
    assert.equal((await call(s, key.body.secret, 'GET', '/v1/feed')).status, 200);
    assert.equal((await call(s, key.body.secret, 'GET', '/v1/feed')).status, 200);
    const limited = await call(s, key.body.secret, 'GET', '/v1/feed');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);

    // Only admins manage subscribers; a subscriber key is refused.
    assert.equal((await call(s, key.body.secret, 'GET', '/v1/subscribers')).status, 403);
    assert.equal((await call(s, s.editorKey, 'POST', '/v1/products', { name: 'Z' })).status, 403);

    // Revoking the key: it stops working at once.
    assert.equal((await call(s, s.adminKey, 'DELETE', `/v1/keys/${key.body.key.id}`)).body.revokedAt !== null, true);
    assert.equal((await call(s, key.body.secret, 'GET', `/v1/subscribers/${sub.body.id}/usage`)).status, 401);
    assert.equal((await call(s, s.adminKey, 'DELETE', '/v1/keys/0000000000000000000000000z')).status, 404);
  });
});
