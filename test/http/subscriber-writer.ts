// A second process writing to the same store (as a CLI import would): publishes one story per argument
// and prints each commit time, so the tests can measure how fast the server's readers hear of it.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import { openRuntime } from '../../src/server/runtime.ts';
import { sampleContent } from '../helpers.ts';

const [file, ...headlines] = process.argv.slice(2);
// The store the server uses (a SQLite file, or a PostgreSQL URL with NEWSFLOW_TEST_STORE=postgres).
const { newsroom, close } = await openRuntime(file);
for (const headline of headlines) {
  const d = await newsroom.createDraft(sampleContent({ headline }), SYSTEM_ACTOR);
  const item = await newsroom.publish(d.id, SYSTEM_ACTOR);
  process.stdout.write(JSON.stringify({ seq: item.event.seq, committedAt: Date.now() }) + '\n');
}
await close();
