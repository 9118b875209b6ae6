// Every secured route of the OpenAPI document: no key → 401 (before any body is read or validated),
// a key of the wrong role → 403.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { addReader, startServer, type TestServer } from './server.ts';

let s: TestServer;
let subscriberKey: string;
before(async () => {
  s = await startServer();
  subscriberKey = (await addReader(s)).key;
});
after(async () => {
  await s.close();
});

/** Which roles a route admits, by the part of the API it belongs to (admin passes everywhere). */
function rolesOf(path: string, method: string): string[] {
  if (/^\/v1\/(stories|import|desk)/.test(path)) return ['editor'];
  // Media: editors upload and correct; subscribers read an asset's signed links too.
  if (/^\/v1\/media/.test(path)) return method === 'get' ? ['editor', 'subscriber'] : ['editor'];
  if (/^\/v1\/search$/.test(path)) return ['editor', 'subscriber'];
  if (/^\/v1\/(feed|stream|ws|webhooks|saved-searches)/.test(path)) return ['subscriber'];
  if (/^\/v1\/subscribers\/\{id\}\/usage$/.test(path)) return ['subscriber'];
  return []; // admin only: products, subscribers, keys, leads
}

it('every secured route answers 401 without a key and 403 to the wrong role', async () => {
  const doc = (await (await fetch(s.url + '/openapi.json')).json()) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
  let checked = 0;
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!op.security?.length) continue;
      const url = s.url + path.replace(/\{[^}]+\}/g, '01m8g0000000000000000000zz');
      const init = (key?: string): RequestInit => ({
        method: method.toUpperCase(),
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(method !== 'get' && method !== 'delete' ? { 'content-type': 'application/json' } : {}),
        },
        body: method !== 'get' && method !== 'delete' ? '{not even json' : undefined,
      });
      const none = await fetch(url, init());
      assert.equal(none.status, 401, `${method.toUpperCase()} ${path} without a key`);
      const roles = rolesOf(path, method);
      for (const [role, key] of [
        ['editor', s.editor],
        ['subscriber', subscriberKey],
      ] as const) {
        if (roles.includes(role)) continue;
        const r = await fetch(url, init(key));
        assert.equal(r.status, 403, `${method.toUpperCase()} ${path} with a ${role} key`);
        await r.body?.cancel();
      }
      checked++;
    }
  }
  assert.ok(checked >= 25, `${checked} secured routes checked`);
});
