// The newsroom's acts on a story: draft, edit, submit for review, translate, publish, correct, kill, lift
// an embargo. Each act names who did it (an Actor), which the store records on the draft, the version
// and the log event. Each act that reaches subscribers appends exactly one event to the flow log, then
// wakes the hub.
import { type Actor, SYSTEM_ACTOR } from '../model/actor.ts';
import { applyChanges, canonicalLanguage, validateContent, validateDraftInput, ValidationError } from '../model/validate.ts';
import type { FlowItem, Story, StoryContent, StoryListing, StoryVersion } from '../model/story.ts';
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
  async createDraft(input: unknown, by: Actor): Promise<Story> {
    return this.store.createStory(validateDraftInput(input), by);
  }

  /** The story, or NotFoundError. */
  async story(id: string): Promise<Story> {
    const story = await this.store.getStory(id);
    if (!story) throw new NotFoundError(`no story ${id}`);
    return story;
  }

  /** Applies a partial change to the draft, if the editor saw the current revision. */
  async editDraft(id: string, revision: number, changes: unknown, by: Actor): Promise<Story> {
    const story = await this.story(id);
    if (story.status === 'killed') throw new ConflictError(`story ${id} was killed; a killed story cannot be edited`);
    if (story.revision !== revision) {
      // Who saved first and when: the desk's conflict view names them and offers their version.
      throw new ConflictError(
        `story ${id} is at revision ${story.revision}, not ${revision}: ${story.updatedBy.name} saved it first at ${story.updatedAt}; reload and apply your change again`,
        { revision: story.revision, updatedBy: story.updatedBy, updatedAt: story.updatedAt },
      );
    }
    return this.store.updateDraft(id, revision, applyChanges(story.draft, changes), by);
  }

  /** Puts the draft in the editors' review queue. A published story needs unpublished changes to review. */
  async submit(id: string, by: Actor): Promise<Story> {
    const story = await this.story(id);
    if (story.status === 'killed') throw new ConflictError(`story ${id} was killed; a killed story cannot be submitted for review`);
    if (story.latestVersion > 0 && !(await this.hasChanges(story))) {
      throw new ConflictError(`story ${id}: the draft has no changes since version ${story.latestVersion}; nothing to review`);
    }
    return this.store.setWorkflow(id, 'submitted', by);
  }

  /** Takes a submitted draft back out of the review queue (the reporter wants to keep writing). */
  async withdraw(id: string, by: Actor): Promise<Story> {
    await this.story(id);
    return this.store.setWorkflow(id, 'writing', by);
  }

  /**
   * Starts a translation: a new draft in `language`, joined to the story's translation group, with the
   * source's urgency, categories, dateline, desk, embargo, byline and photos. The headline, deck and body
   * are copied as the translator's starting text: the model needs a headline, and translating block by
   * block keeps the structure (subheadings, quotes and their attribution, lists) the desk shows side by
   * side. Publishing refuses the draft while its text is still the original's.
   */
  async translate(id: string, language: string, by: Actor): Promise<Story> {
    const tag = canonicalLanguage(language);
    if (!tag) throw new ValidationError([{ field: '/language', message: `"${language}" is not a valid BCP 47 language tag (e.g. ar, tr, en-GB)` }]);
    const story = await this.story(id);
    if (story.status === 'killed') throw new ConflictError(`story ${id} was killed; a killed story cannot be translated`);
    const source = story.latestVersion > 0 ? (await this.version(id, story.latestVersion)).content : story.draft;
    if (source.language === tag) throw new ConflictError(`story ${id} is already in ${tag}; choose another language to translate into`);
    const existing = (await this.store.translations(story.translationGroup)).find((s) => s.language === tag && s.status !== 'killed');
    if (existing) {
      throw new ConflictError(`the translation group of story ${id} already has a ${tag} story: ${existing.id}`, { storyId: existing.id });
    }
    const content: StoryContent = {
      language: tag,
      headline: source.headline,
      ...(source.deck ? { deck: source.deck } : {}),
      body: source.body,
      byline: source.byline,
      ...(source.dateline ? { dateline: source.dateline } : {}),
      categories: source.categories,
      keywords: [],
      hashtags: [],
      photos: source.photos,
      urgency: source.urgency,
      ...(source.embargoUntil ? { embargoUntil: source.embargoUntil } : {}),
      mediaType: source.mediaType,
      ...(source.slugline ? { slugline: source.slugline } : {}),
      ...(source.desk ? { desk: source.desk } : {}),
      translationOf: id,
    };
    return this.store.createStory(validateContent(content), by);
  }

  /** The stories of a translation group (the original first), for the side-by-side view. */
  async translations(id: string): Promise<StoryListing[]> {
    const story = await this.story(id);
    return this.store.translations(story.translationGroup);
  }

  /** Publishes the draft: version 1 is `published`, later ones `updated`. Takes it out of the review queue. */
  async publish(id: string, by: Actor): Promise<FlowItem> {
    const story = await this.story(id);
    if (story.status === 'killed') throw new ConflictError(`story ${id} was killed; a killed story cannot be published again`);
    const content = await this.withPhotos(this.frozen(story.draft));
    if (story.latestVersion > 0 && !(await this.hasChanges(story, content))) {
      throw new ConflictError(`story ${id}: the draft has no changes since version ${story.latestVersion}; nothing to publish`);
    }
    if (story.latestVersion === 0 && content.translationOf) await this.refuseUntranslated(id, content);
    return this.append({
      storyId: id,
      kind: story.latestVersion === 0 ? 'published' : 'updated',
      content,
      expectLatestVersion: story.latestVersion,
      allowedStatuses: ['draft', 'published'],
      by,
    });
  }

  /** Publishes a correction of the latest version, with a public note saying what was corrected. */
  async correct(id: string, note: string, changes: unknown, by: Actor): Promise<FlowItem> {
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
      by,
    });
  }

  /** Withdraws the story: subscribers must remove every version they received. */
  async kill(id: string, reason: string, by: Actor): Promise<FlowItem> {
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
      by,
    });
  }

  /** An editor lifts a story's embargo before its time: subscribers without embargo rights get it now. */
  async liftEmbargo(id: string, by: Actor): Promise<FlowItem> {
    const story = await this.story(id);
    if (story.status !== 'published') throw new ConflictError(`story ${id} is ${story.status}; only a published story's embargo can be lifted`);
    const item = await this.store.liftEmbargo(id, new Date(), by);
    if (!item) throw new ConflictError(`story ${id} has no embargo to lift (none was set, or it was already lifted)`);
    this.hub?.advance(item.event.seq);
    return item;
  }

  /** Lifts the embargo of every story whose embargo time has passed (by newsflow itself); returns the events appended. */
  async liftDueEmbargoes(now = new Date()): Promise<FlowItem[]> {
    const lifted: FlowItem[] = [];
    for (const id of await this.store.dueEmbargoes(now)) {
      const item = await this.store.liftEmbargo(id, now, SYSTEM_ACTOR);
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

  /** True when the draft (or `content`, the draft as it would be frozen) differs from the latest version. */
  private async hasChanges(story: Story, content: StoryContent = story.draft): Promise<boolean> {
    const latest = await this.store.getVersion(story.id, story.latestVersion);
    return !latest || JSON.stringify(latest.content) !== JSON.stringify(content);
  }

  /** A translation whose headline and body are still the original's is not published by mistake. */
  private async refuseUntranslated(id: string, content: StoryContent): Promise<void> {
    const original = await this.store.getStory(content.translationOf!);
    if (!original) return;
    const source = original.latestVersion > 0 ? (await this.store.getVersion(original.id, original.latestVersion))?.content : original.draft;
    if (source && source.headline === content.headline && JSON.stringify(source.body) === JSON.stringify(content.body)) {
      throw new ConflictError(`story ${id} translates ${original.id} but its headline and body are still the original's; translate them before publishing`);
    }
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
