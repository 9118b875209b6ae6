// The demo newsroom a new store starts with: the project's own stories (src/demo), published through
// the same newsroom acts an editor uses, and one key per role.
import { SYSTEM_ACTOR } from '../model/actor.ts';
import { Accounts } from './accounts.ts';
import { join } from 'node:path';
import { DEMO_IMAGES_DIR, demoStories } from '../demo/stories.ts';
import { issueKey } from './keys.ts';
import { demoSubscriber } from './subscriber-demo.ts';
import type { Runtime } from './runtime.ts';
import type { Role } from '../model/keys.ts';
import type { InterfaceLanguage, StaffRole } from '../model/users.ts';

export interface DemoResult {
  stories: number;
  keys: { role: Role; secret: string; note?: string }[];
  /** One desk user per staff role, with the password to sign in with (printed once, like the keys). */
  users: { role: StaffRole; email: string; password: string }[];
  /** The demo subscriber's seat (a seat administrator) for the portal, when one was made. */
  seats: { role: 'seat-admin'; email: string; password: string; subscriberId: string }[];
}

/** The demo subscriber's person at the portal. */
export const DEMO_SEAT = { email: 'seat@demo.newsflow.test', name: 'Dana Reader', language: 'en' as InterfaceLanguage };

/** The demo desk's people: one per role, each with their own interface language. */
export const DEMO_USERS: { role: StaffRole; email: string; name: string; language: InterfaceLanguage }[] = [
  { role: 'reporter', email: 'reporter@demo.newsflow.test', name: 'ريم حسن', language: 'ar' },
  { role: 'editor', email: 'editor@demo.newsflow.test', name: 'Kerem Aydın', language: 'tr' },
  { role: 'admin', email: 'admin@demo.newsflow.test', name: 'Alex Morgan', language: 'en' },
];

export async function loadDemoNewsroom(rt: Runtime, photos?: ReadonlyMap<string, string>): Promise<DemoResult> {
  const ids = new Map<string, string>();
  let count = 0;
  for (const demo of demoStories()) {
    const content = { ...demo.content };
    // With photos made by makeDemoPhotos, each story shows its uploaded photo instead of the drawing.
    const mediaId = photos?.get(content.photos[0]?.url ?? '');
    if (mediaId) {
      const { width: _w, height: _h, mimeType: _m, ...rest } = content.photos[0];
      content.photos = [{ ...rest, mediaId }];
    }
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
  const subscriberKeys = await demoSubscriber(rt);
  keys.push(...subscriberKeys);
  // Random passwords, not one-time ones: the demo is for trying the desk at once. A store that has
  // users already (a CLI `user add` before the first start) keeps them and gets no demo users.
  const users: DemoResult['users'] = [];
  if ((await rt.store.users.list({ staff: true })).length === 0) {
    const accounts = new Accounts(rt.store);
    for (const u of DEMO_USERS) {
      const { password } = await accounts.add({ ...u, oneTime: false });
      users.push({ role: u.role, email: u.email, password });
    }
  }
  // One seat administrator for the demo subscriber, so the portal can be tried at once too.
  const seats: DemoResult['seats'] = [];
  const subscriberId = subscriberKeys[0]?.subscriberId;
  if (subscriberId && !(await rt.store.users.getByEmail(DEMO_SEAT.email))) {
    const { password } = await new Accounts(rt.store).add({ ...DEMO_SEAT, role: 'seat-admin', subscriberId, oneTime: false });
    seats.push({ role: 'seat-admin', email: DEMO_SEAT.email, password, subscriberId });
  }
  return { stories: count, keys, users, seats };
}

/**
 * The demo newsroom's photos, made by the project: each drawing rendered to a JPEG with its caption and
 * credit in XMP, uploaded to the media store and rendered. Returns the drawing's URL → asset id. Run in a
 * child process by the server (src/server/demo-photos.ts), so the server itself never loads sharp.
 */
export async function makeDemoPhotos(rt: Runtime): Promise<Map<string, string>> {
  const { drawDemoPhoto } = await import('../media/renditions.ts');
  const { Readable } = await import('node:stream');
  const made = new Map<string, string>();
  for (const demo of demoStories()) {
    const p = demo.content.photos[0];
    if (!p || made.has(p.url)) continue;
    const name = p.url
      .split('/')
      .pop()!
      .replace(/\.svg$/, '');
    const jpeg = await drawDemoPhoto(join(DEMO_IMAGES_DIR, `${name}.svg`), {
      caption: p.caption,
      credit: p.credit,
      creator: 'newsflow demo',
      copyright: `© ${new Date().getUTCFullYear()} ${p.credit ?? 'newsflow'} (demo photo made by newsflow)`,
    });
    const { asset } = await rt.media.ingest(Readable.from([jpeg]), `${name}.jpg`);
    made.set(p.url, asset.id);
  }
  await rt.media.start();
  for (const id of made.values()) await rt.media.settled(id);
  return made;
}
