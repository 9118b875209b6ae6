// The demo newsroom a new store starts with: the project's own stories (src/demo), published through
// the same newsroom acts an editor uses, and one key per role.
import { SYSTEM_ACTOR } from '../model/actor.ts';
import { demoStories } from '../demo/stories.ts';
import { issueKey } from './keys.ts';
import { demoSubscriber } from './subscriber-demo.ts';
import type { Runtime } from './runtime.ts';
import type { Role } from '../model/keys.ts';

export interface DemoResult {
  stories: number;
  keys: { role: Role; secret: string; note?: string }[];
}

export async function loadDemoNewsroom(rt: Runtime): Promise<DemoResult> {
  const ids = new Map<string, string>();
  let count = 0;
  for (const demo of demoStories()) {
    const content = { ...demo.content };
    if (demo.translationOfKey && ids.has(demo.translationOfKey)) content.translationOf = ids.get(demo.translationOfKey);
    const story = await rt.newsroom.createDraft(content, SYSTEM_ACTOR);
    ids.set(demo.key, story.id);
    await rt.newsroom.publish(story.id, SYSTEM_ACTOR);
    count++;
  }
  const keys: DemoResult['keys'] = [];
  for (const role of ['admin', 'editor'] as Role[]) {
    keys.push({ role, secret: (await issueKey(rt.store, role, { label: 'demo' })).secret });
  }
  keys.push(...(await demoSubscriber(rt)));
  return { stories: count, keys };
}
