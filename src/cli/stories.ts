// `newsflow story …`
import { openRuntime } from '../server/runtime.ts';
import { URGENCY_NAMES, type Story } from '../model/story.ts';
import { fail } from './output.ts';

export async function storyListCommand(opts: { json?: boolean; status?: Story['status']; limit: number }): Promise<void> {
  if (opts.status && !['draft', 'published', 'killed'].includes(opts.status)) fail('--status must be draft, published or killed');
  const rt = await openRuntime();
  try {
    const stories = await rt.store.listStories({ status: opts.status, limit: opts.limit });
    if (opts.json) return void process.stdout.write(JSON.stringify(stories, null, 2) + '\n');
    for (const s of stories) {
      const u = URGENCY_NAMES[s.draft.urgency] ?? String(s.draft.urgency);
      process.stdout.write(`${s.id}  ${s.status.padEnd(9)} v${s.latestVersion}  ${s.draft.language.padEnd(3)} ${u.padEnd(9)} ${s.draft.headline}\n`);
    }
  } finally {
    await rt.close();
  }
}

export async function storyShowCommand(id: string, opts: { json?: boolean }): Promise<void> {
  const rt = await openRuntime();
  try {
    const story = await rt.store.getStory(id);
    if (!story) fail(`no story ${id}`);
    const versions = await rt.store.listVersions(id);
    if (opts.json) return void process.stdout.write(JSON.stringify({ story, versions }, null, 2) + '\n');
    const d = story.draft;
    const out = [
      `${d.headline}`,
      d.deck ? `  ${d.deck}` : '',
      `id ${story.id} · ${story.status} · version ${story.latestVersion} · ${d.language} · urgency ${d.urgency}`,
      d.dateline ? `dateline: ${[d.dateline.place, d.dateline.reporter, d.dateline.agency].filter(Boolean).join(' / ')}` : '',
      d.categories.length ? `categories: ${d.categories.join(', ')}` : '',
      d.hashtags.length ? `hashtags: ${d.hashtags.map((h) => '#' + h).join(' ')}` : '',
      '',
      ...d.body.map((b) => (b.type === 'subheading' ? `** ${b.text}` : b.type === 'list' ? b.items.map((i) => `- ${i}`).join('\n') : b.text)),
      '',
      'versions:',
      ...versions.map(
        (v) =>
          `  v${v.version} ${v.kind.padEnd(9)} ${v.versionCreatedAt}${v.correctionNote ? ` — ${v.correctionNote}` : ''}${v.killReason ? ` — ${v.killReason}` : ''}`,
      ),
    ];
    process.stdout.write(out.filter((l, i) => l !== '' || i > 3).join('\n') + '\n');
  } finally {
    await rt.close();
  }
}
