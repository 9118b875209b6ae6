// The subscriber CLI on a real store: product add, subscriber add printing only the id, list, show,
// and key create for that subscriber (refused for an unknown id).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { REPO, tempDbFile } from '../helpers.ts';

const run = promisify(execFile);
const BIN = join(REPO, 'bin/newsflow.mjs');

describe('subscriber CLI', () => {
  const env = { ...process.env, NEWSFLOW_DATA: tempDbFile() };
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
});
