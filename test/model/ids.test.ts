// Ids sort by creation, even when many are made in the same millisecond.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isId, newId } from '../../src/model/ids.ts';

test('ids made in the same millisecond sort in the order they were made', () => {
  const now = Date.now();
  const ids = Array.from({ length: 2000 }, () => newId(now));
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.ok(isId(id), id);
});

test('ids of later milliseconds sort after, and an id for an earlier time (an import) keeps that time', () => {
  const a = newId(1_700_000_000_000);
  const b = newId(1_700_000_000_001);
  assert.ok(a < b);
  const old = newId(1_000_000_000_000);
  assert.ok(old < a, 'the time part is the time given');
  assert.equal(old.slice(0, 10), newId(1_000_000_000_000).slice(0, 10));
});

test('ids made one after another in real time sort in that order', () => {
  const ids = Array.from({ length: 5000 }, () => newId());
  assert.deepEqual([...ids].sort(), ids);
});
