// The agency's own lexicon (NEWSFLOW_SEARCH_LEXICON): synonym groups used by search without a code change.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { loadLexicon } from '../../src/search/lexicon.ts';
import { openRuntime } from '../../src/server/runtime.ts';
import { sampleContent, tempDbFile, tempDir } from '../helpers.ts';

it('synonym groups from the lexicon file are used by search', async () => {
  const file = join(tempDir(), 'lexicon.json');
  writeFileSync(file, JSON.stringify({ synonyms: [['pavement', 'sidewalk']], protectedNames: ['المحمدية'] }));
  {
    const rt = await openRuntime(tempDbFile(), { searchLexicon: file });
    const d = await rt.newsroom.createDraft(
      sampleContent({ language: 'en', headline: 'City widens the pavement on the harbour road', body: [{ type: 'paragraph', text: 'Work starts in May.' }] }),
      SYSTEM_ACTOR,
    );
    await rt.newsroom.publish(d.id, SYSTEM_ACTOR);
    assert.equal((await rt.store.search.query('sidewalk', { lang: 'en' })).total, 1);
    await rt.close();
  }
  assert.ok(loadLexicon(file).protectedNames.lookup !== undefined);
});

it('a malformed lexicon file is refused with a message naming the problem', () => {
  const file = join(tempDir(), 'bad.json');
  writeFileSync(file, JSON.stringify({ synonyms: [['only-one']] }));
  assert.throws(() => loadLexicon(file), /"synonyms" must be a list of groups of at least two words/);
  writeFileSync(file, '{not json');
  assert.throws(() => loadLexicon(file), /cannot read .* as JSON/);
});
