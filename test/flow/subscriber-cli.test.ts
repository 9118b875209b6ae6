// The subscriber CLI on a real store: product add, subscriber add printing only the id, list, show,
// and key create for that subscriber (refused for an unknown id).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { openRuntime } from '../../src/server/runtime.ts';
import { REPO, storeEnv, tempDbFile } from '../helpers.ts';

const run = promisify(execFile);
const BIN = join(REPO, 'bin/newsflow.mjs');

describe('subscriber CLI', () => {
  // The CLI's store as the server's: a SQLite file, or (NEWSFLOW_TEST_STORE=postgres) a PostgreSQL URL.
  const target = tempDbFile();
  const env = { ...process.env, ...storeEnv(target) };
  const cli = (...args: string[]) => run(process.execPath, [BIN, ...args], { env, cwd: REPO });

  it('adds products and subscribers and issues keys for them', async () => {
    const p = await cli(
      'product',
      'add',
      'Arabic text',
      '--lang',
      'ar,tr',
      '--category',
      'economy',
      '--category',
      'sport',
      '--urgency',
      '4',
      '--media',
      'text',
      '--embargo',
      '--delay',
      '60',
      '--json',
    );
    const product = JSON.parse(p.stdout);
    assert.deepEqual(
      [product.languages, product.categories, product.maxUrgency, product.mediaTypes, product.embargoRights, product.delaySeconds],
      [['ar', 'tr'], ['economy', 'sport'], 4, ['text'], true, 60],
    );
    const added = await cli('subscriber', 'add', 'Gulf Daily', '--product', 'Arabic text');
    assert.match(added.stdout, /^[0-9a-hjkmnp-tv-z]{26}\n$/, 'only the id on stdout');
    const id = added.stdout.trim();
    const key = await cli('key', 'create', '--role', 'subscriber', '--subscriber', id);
    assert.match(key.stdout, /^nf_sub_\S+\n$/);
    const shown = JSON.parse((await cli('subscriber', 'show', id, '--json')).stdout);
    assert.equal(shown.name, 'Gulf Daily');
    assert.equal(shown.products[0].name, 'Arabic text');
    assert.equal(shown.keys.length, 1);
    assert.match((await cli('subscriber', 'list')).stdout, new RegExp(`${id}  Gulf Daily  \\[Arabic text\\]`));
    await assert.rejects(cli('key', 'create', '--role', 'subscriber', '--subscriber', '0000000000000000000000000z'), /no subscriber/);
    await assert.rejects(cli('subscriber', 'add', 'Nobody', '--product', 'No such product'), /no product "No such product"/);
    await assert.rejects(cli('product', 'add', 'Arabic text'), /already exists/);
  });

  it('edits a product and a subscriber, each change in the audit trail as the CLI', async () => {
    await cli('product', 'add', 'Turkish', '--lang', 'tr');
    await cli('product', 'add', 'Editable', '--lang', 'ar');
    const id = (await cli('subscriber', 'add', 'Ankara Post', '--product', 'Editable', '--seats', '3')).stdout.trim();
    const edited = await cli('product', 'edit', 'Editable', '--category', 'sport', '--delay', '30');
    assert.match(edited.stdout, /Editable: languages ar; categories sport; delay 30s/);
    assert.match((await cli('subscriber', 'products', id, '--product', 'Turkish,Editable')).stdout, /Ankara Post {2}\[Editable, Turkish\]/);
    assert.match((await cli('subscriber', 'edit', id, '--name', 'Ankara Daily', '--seats', '5')).stdout, /Ankara Daily; .*seats 5/);
    const shown = JSON.parse((await cli('subscriber', 'show', id, '--json')).stdout);
    assert.equal(shown.seatLimit, 5);
    assert.equal(shown.entitlements, undefined);
    await assert.rejects(cli('product', 'edit', 'Editable'), /name at least one filter/);
    await assert.rejects(cli('product', 'edit', 'Nope', '--lang', 'ar'), /no product Nope/);
    await assert.rejects(cli('subscriber', 'products', id, '--product', 'Nope'), /no product "Nope"/);
    const { store, close } = await openRuntime(target);
    try {
      const trail = await store.audit.list({ targetId: id });
      assert.deepEqual(
        trail.map((e) => e.action),
        ['subscriber.update', 'subscriber.products', 'subscriber.create'],
      );
      for (const e of trail) assert.equal(e.actor.id, 'cli');
    } finally {
      await close();
    }
  });
});
