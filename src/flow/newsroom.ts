// The newsroom's acts on a story: draft, edit, publish, correct, kill, lift an embargo. Each act that
// reaches subscribers appends exactly one event to the flow log, then wakes the hub.
import { applyChanges, validateContent, validateDraftInput, ValidationError } from '../model/validate.ts';
import type { FlowItem, Story, StoryContent, StoryVersion } from '../model/story.ts';
import { ConflictError, NotFoundError } from '../model/errors.ts';
import type { Store } from '../model/store.ts';
import { diffVersions, type VersionDiff } from './diff.ts';
import type { Hub } from './hub.ts';

export class Newsroom {
  /** Fills in photos that name uploaded media (src/flow/media.ts); set by the runtime that has a media desk. */
  photos?: { attachPhotos(c: StoryContent): Promise<StoryContent> };

  constructor(
    private readonly store: Store,
    private readonly hub?: Hub,
  ) {}

  /** Creates a draft from what an editor sent; nothing reaches subscribers yet. */
  async createDraft(input: unknown): Promise<Story> {
    return this.store.createStory(validateDraftInput(input));
  }

  /** The story, or NotFoundError. */
  async story(id: string): Promise<Story> {
    const story = await this.store.getStory(id);
    if (!story) throw new NotFoundError(`no story ${id}`);
    return story;
  }

  /** Applies a partial change to the draft, if the editor saw the current revision. */
  async editDraft(id: string, revision: number, changes: unknown): Promise<Story> {
    const story = await this.story(id);
    if (story.status === 'killed') throw new ConflictError(`story ${id} was killed; a killed story cannot be edited`);
    if (story.revision !== revision) {
      throw new ConflictError(
        `story ${id} is at revision ${story.revision}, not ${revision}: someone else edited it first; reload and apply your change again`,
        { revision: story.revision },
      );
    }
    return this.store.updateDraft(id, revision, applyChanges(story.draft, changes));
  }

  /** Publishes the draft: version 1 is `published`, later ones `updated`. */
  async publish(id: string): Promise<FlowItem> {
    const story = await this.story(id);
    if (story.status === 'killed') throw new ConflictError(`story ${id} was killed; a killed story cannot be published again`);
    const content = await this.withPhotos(this.frozen(story.draft));
    if (story.latestVersion > 0) {
      const latest = await this.store.getVersion(id, story.latestVersion);
      if (latest && JSON.stringify(latest.content) === JSON.stringify(content)) {
        throw new ConflictError(`story ${id}: the draft has no changes since version ${story.latestVersion}; nothing to publish`);
      }
    }
    return this.append({
      storyId: id,
      kind: story.latestVersion === 0 ? 'published' : 'updated',
      content,
      expectLatestVersion: story.latestVersion,
      allowedStatuses: ['draft', 'published'],
    });
  }

  /** Publishes a correction of the latest version, with a public note saying what was corrected. */
  async correct(id: string, note: string, changes: unknown): Promise<FlowItem> {
    if (!note.trim()) throw new ValidationError([{ field: '/note', message: 'a correction needs a public note saying what was corrected' }]);
    const story = await this.story(id);
    const latest = await this.latestPublished(story, 'corrected');
    const content = await this.withPhotos(this.frozen(applyChanges(latest.content, changes ?? {})));
    return this.append({
      storyId: id,
      kind: 'corrected',
      content,
      correctionNote: note.trim(),
      expectLatestVersion: story.latestVersion,
      allowedStatuses: ['published'],
    });
  }

  /** Withdraws the story: subscribers must remove every version they received. */
  async kill(id: string, reason: string): Promise<FlowItem> {
    if (!reason.trim()) throw new ValidationError([{ field: '/reason', message: 'a kill needs a reason for subscribers' }]);
    const story = await this.story(id);
    const latest = await this.latestPublished(story, 'killed');
    return this.append({
      storyId: id,
      kind: 'killed',
      content: latest.content,
      killReason: reason.trim(),
      expectLatestVersion: story.latestVersion,
      allowedStatuses: ['published'],
    });
  }

  /** Lifts the embargo of every story whose embargo time has passed; returns the events appended. */
  async liftDueEmbargoes(now = new Date()): Promise<FlowItem[]> {
    const lifted: FlowItem[] = [];
    for (const id of await this.store.dueEmbargoes(now)) {
      const item = await this.store.liftEmbargo(id, now);
      if (item) lifted.push(item);
    }
    if (lifted.length) this.hub?.advance(lifted[lifted.length - 1].event.seq);
    return lifted;
  }

  async versions(id: string): Promise<StoryVersion[]> {
    await this.story(id);
    return this.store.listVersions(id);
  }

  async version(id: string, n: number): Promise<StoryVersion> {
    const v = await this.store.getVersion(id, n);
    if (!v) throw new NotFoundError(`story ${id} has no version ${n}`);
    return v;
  }

  /** The story's latest published version (its kill, once killed), or NotFoundError for a draft never published. */
  async latestVersion(story: Story): Promise<StoryVersion> {
    if (story.latestVersion === 0)
      throw new NotFoundError(`story ${story.id} has not been published yet; only its draft exists (read it without ?format or as json)`);
    return this.version(story.id, story.latestVersion);
  }

  async diff(id: string, a: number, b: number): Promise<VersionDiff> {
    return diffVersions(await this.version(id, a), await this.version(id, b));
  }

  private async latestPublished(story: Story, act: string): Promise<StoryVersion> {
    if (story.status === 'draft') throw new ConflictError(`story ${story.id} has not been published; only a published story can be ${act}`);
    if (story.status === 'killed') throw new ConflictError(`story ${story.id} was already killed`);
    return this.version(story.id, story.latestVersion);
  }

  /** Content as it is frozen into a version: fully validated, and an embargo already past dropped. */
  private frozen(content: StoryContent): StoryContent {
    const c = validateContent(content);
    if (c.embargoUntil && Date.parse(c.embargoUntil) <= Date.now()) c.embargoUntil = null;
    return c;
  }

  /** Photos that name uploaded media get their renditions; a photo still rendering stops the publish, named. */
  private async withPhotos(content: StoryContent): Promise<StoryContent> {
    return this.photos ? this.photos.attachPhotos(content) : content;
  }

  private async append(nv: Parameters<Store['appendVersion']>[0]): Promise<FlowItem> {
    const item = await this.store.appendVersion(nv);
    this.hub?.advance(item.event.seq);
    return item;
  }
}
