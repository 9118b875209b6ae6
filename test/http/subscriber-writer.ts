// A second process writing to the same store (as a CLI import would): publishes one story per argument
// and prints each commit time, so the tests can measure how fast the server's readers hear of it.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import { Newsroom } from '../../src/flow/newsroom.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import { sampleContent } from '../helpers.ts';

const [file, ...headlines] = process.argv.slice(2);
const store = new SqliteStore(file);
const newsroom = new Newsroom(store);
for (const headline of headlines) {
  const d = await newsroom.createDraft(sampleContent({ headline }), SYSTEM_ACTOR);
  const item = await newsroom.publish(d.id, SYSTEM_ACTOR);
  process.stdout.write(JSON.stringify({ seq: item.event.seq, committedAt: Date.now() }) + '\n');
}
await store.close();
