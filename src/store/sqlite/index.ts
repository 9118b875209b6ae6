// The embedded store: one SQLite file in WAL mode. better-sqlite3 is synchronous, so each method runs
// its transaction to completion before the next starts; the Promise interface is for the PostgreSQL twin.
import { accessSync, constants } from 'node:fs';
import type Database from 'better-sqlite3';
import { newId } from '../../model/ids.ts';
import { type Actor, SYSTEM_ACTOR } from '../../model/actor.ts';
import type { FlowEvent, FlowItem, Story, StoryContent, StoryListing, StoryVersion, StoryWorkflow } from '../../model/story.ts';
import { ConflictError, NotFoundError } from '../../model/errors.ts';
import { StoreError } from '../errors.ts';
import type { ApiKey, Role } from '../../model/keys.ts';
import type {
  ImportedStory,
  LogRead,
  NewVersion,
  Store,
  StoryListFilter,
  StoryListPage,
  StoryListQuery,
  VersionAct,
  VersionActQuery,
  WirePage,
  WireQuery,
} from '../../model/store.ts';
import { openDatabase, type SchemaPart } from './database.ts';
import { appendEvent, selectHead, selectLog, selectOldest, selectWire } from './events.ts';
import { toEvent } from '../rows/events.ts';
import { insertKey, revokeKeyRow, selectKey, selectKeys, selectLiveKeyByHash, touchKeyRow } from './keys.ts';
import { SqliteSiteStore } from './site.ts';
import { stmt } from './statements.ts';
import { SqliteSubscriberStore } from './subscribers.ts';
import { SqliteSearch } from './search.ts';
import { SqliteSavedSearchStore } from './saved-searches.ts';
import {
  countStoryRows,
  insertStory,
  listingPosition,
  markPublished,
  markStoryEmbargoLifted,
  selectStories,
  selectStory,
  selectStoryList,
  selectTranslations,
  setWorkflowRow,
  updateDraftRow,
} from './stories.ts';
import { SqliteAuditStore } from './audit.ts';
import { SqliteUserStore } from './users.ts';
import { SqliteTopicStore } from './topics.ts';
import { SqliteMediaStore } from './media.ts';
import { insertVersion, markEmbargoLifted, selectDueEmbargoes, selectVersion, selectVersionActs, selectVersions } from './versions.ts';
import { readWith, writeWith } from './guard.ts';

export interface SqliteStoreOptions {
  /** Schema parts of other modules applied at open. */
  schemaParts?: SchemaPart[];
  /** The agency's search lexicon file (NEWSFLOW_SEARCH_LEXICON), added to the built-in lists. */
  lexiconFile?: string | null;
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  readonly db: Database.Database;
  readonly site: SqliteSiteStore;
  readonly subscribers: SqliteSubscriberStore;
  readonly search: SqliteSearch;
  readonly savedSearches: SqliteSavedSearchStore;
  readonly audit: SqliteAuditStore;
  readonly users: SqliteUserStore;
  readonly topics: SqliteTopicStore;
  readonly media: SqliteMediaStore;

  constructor(
    readonly file: string,
    opts: SqliteStoreOptions = {},
  ) {
    this.db = openDatabase(file, opts.schemaParts ?? []);
    this.site = new SqliteSiteStore(this.db);
    this.subscribers = new SqliteSubscriberStore(this.db);
    this.search = new SqliteSearch(this.db, opts.lexiconFile);
    this.savedSearches = new SqliteSavedSearchStore(this.db);
    this.audit = new SqliteAuditStore(this.db);
    this.users = new SqliteUserStore(this.db);
    this.topics = new SqliteTopicStore(this.db);
    this.media = new SqliteMediaStore(this.db);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** The health check: the file is still there and readable, and the connection answers. */
  async reach(_timeoutMs: number): Promise<void> {
    if (this.file !== ':memory:') accessSync(this.file, constants.R_OK);
    this.db.prepare('SELECT 1').get();
  }

  async createStory(content: StoryContent, by: Actor, now = new Date()): Promise<Story> {
    const at = now.toISOString();
    const id = newId(now.getTime());
    return this.run('creating a story', () => {
      let group = id;
      if (content.translationOf) {
        const original = selectStory(this.db, content.translationOf);
        if (!original) throw new NotFoundError(`translationOf: no story ${content.translationOf} to translate`);
        group = original.translationGroup;
      }
      const story: Story = {
        id,
        status: 'draft',
        revision: 1,
        draft: content,
        latestVersion: 0,
        translationGroup: group,
        createdAt: at,
        updatedAt: at,
        firstPublishedAt: null,
        createdBy: by,
        updatedBy: by,
        workflow: 'writing',
        submittedAt: null,
        submittedBy: null,
      };
      insertStory(this.db, story);
      return story;
    });
  }

  async getStory(id: string): Promise<Story | null> {
    return this.read(`reading story ${id}`, () => selectStory(this.db, id));
  }

  async updateDraft(id: string, expectRevision: number, content: StoryContent, by: Actor, now = new Date()): Promise<Story> {
    return this.run(`updating the draft of story ${id}`, () => {
      const current = selectStory(this.db, id);
      if (!current) throw new NotFoundError(`no story ${id}`);
      if (current.status === 'killed') throw new ConflictError(`story ${id} was killed; a killed story cannot be edited`);
      if (!updateDraftRow(this.db, id, expectRevision, content, by, now.toISOString())) {
        throw new ConflictError(
          `story ${id} is at revision ${current.revision}, not ${expectRevision}: ${current.updatedBy.name} saved it first at ${current.updatedAt}; reload and apply your change again`,
          { revision: current.revision, updatedBy: current.updatedBy, updatedAt: current.updatedAt },
        );
      }
      return selectStory(this.db, id)!;
    });
  }

  async setWorkflow(id: string, workflow: StoryWorkflow, by: Actor, now = new Date()): Promise<Story> {
    return this.run(`${workflow === 'submitted' ? 'submitting' : 'withdrawing'} story ${id}`, () => {
      const current = selectStory(this.db, id);
      if (!current) throw new NotFoundError(`no story ${id}`);
      if (current.status === 'killed') throw new ConflictError(`story ${id} was killed; a killed story cannot be reviewed`, { status: current.status });
      if (workflow === 'submitted' && current.workflow === 'submitted') {
        throw new ConflictError(`story ${id} was already submitted for review by ${current.submittedBy?.name} at ${current.submittedAt}`, {
          workflow: current.workflow,
          submittedBy: current.submittedBy,
        });
      }
      if (workflow === 'writing' && current.workflow !== 'submitted') {
        throw new ConflictError(`story ${id} is not in the review queue; there is nothing to withdraw`, { workflow: current.workflow });
      }
      setWorkflowRow(this.db, id, workflow, by, now.toISOString());
      return selectStory(this.db, id)!;
    });
  }

  async listStories(filter: StoryListFilter): Promise<Story[]> {
    return this.read('listing stories', () => selectStories(this.db, filter));
  }

  async storyList(query: StoryListQuery, now = new Date()): Promise<StoryListPage> {
    return this.read('listing stories for the desk', () => {
      const stories = selectStoryList(this.db, query, now.toISOString());
      const last = stories[stories.length - 1];
      return { stories, next: last && stories.length === (query.limit ?? 50) ? listingPosition(last) : null };
    });
  }

  async translations(groupId: string): Promise<StoryListing[]> {
    return this.read(`listing the translation group ${groupId}`, () => selectTranslations(this.db, groupId));
  }

  async wire(query: WireQuery, now = new Date()): Promise<WirePage> {
    return this.read('reading the wire monitor', () => {
      const entries = selectWire(this.db, query, now.toISOString());
      const last = entries[entries.length - 1];
      return { entries, next: last && entries.length === (query.limit ?? 50) ? last.event.seq : null };
    });
  }

  async countStories(): Promise<number> {
    return this.read('counting stories', () => countStoryRows(this.db));
  }

  /**
   * Appends a version and its event. Publishes that arrive together are committed together (group
   * commit): one fsync acknowledges them all, each in its own savepoint so one refused publish does
   * not undo the others. Every promise still resolves only after the commit is durable.
   */
  async appendVersion(nv: NewVersion, now = new Date()): Promise<FlowItem> {
    return new Promise((resolve, reject) => {
      this.pendingAppends.push({ nv, now, resolve, reject });
      if (this.pendingAppends.length === 1) setImmediate(() => this.commitPendingAppends());
    });
  }

  private pendingAppends: { nv: NewVersion; now: Date; resolve: (i: FlowItem) => void; reject: (e: unknown) => void }[] = [];

  private commitPendingAppends(): void {
    const batch = this.pendingAppends;
    this.pendingAppends = [];
    const outcomes: ({ ok: true; item: FlowItem } | { ok: false; error: unknown })[] = [];
    try {
      this.db
        .transaction(() => {
          for (const p of batch) {
            try {
              // A transaction inside a transaction is a savepoint in better-sqlite3.
              outcomes.push({ ok: true, item: this.db.transaction(() => this.appendOne(p.nv, p.now))() });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (e) {
      for (const p of batch) p.reject(new StoreError('committing published versions', e));
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i];
      if (o.ok) p.resolve(o.item);
      else
        p.reject(
          o.error instanceof Error && o.error.name === 'SqliteError'
            ? new StoreError(`appending a ${p.nv.kind} version to story ${p.nv.storyId}`, o.error)
            : o.error,
        );
    });
  }

  /** The checks and writes of one append, inside the caller's transaction. */
  private appendOne(nv: NewVersion, now: Date): FlowItem {
    const at = now.toISOString();
    const story = selectStory(this.db, nv.storyId);
    if (!story) throw new NotFoundError(`no story ${nv.storyId}`);
    if (!nv.allowedStatuses.includes(story.status)) {
      throw new ConflictError(`story ${nv.storyId} is ${story.status}; ${nv.kind} needs it to be ${nv.allowedStatuses.join(' or ')}`, { status: story.status });
    }
    if (story.latestVersion !== nv.expectLatestVersion) {
      throw new ConflictError(`story ${nv.storyId} is at version ${story.latestVersion}, not ${nv.expectLatestVersion}: another publish came first`, {
        latestVersion: story.latestVersion,
      });
    }
    const version: StoryVersion = {
      storyId: story.id,
      version: story.latestVersion + 1,
      revisionId: newId(now.getTime()),
      kind: nv.kind,
      pubStatus: nv.kind === 'killed' ? 'canceled' : 'usable',
      content: nv.content,
      correctionNote: nv.correctionNote ?? null,
      killReason: nv.killReason ?? null,
      translationGroup: story.translationGroup,
      firstPublishedAt: story.firstPublishedAt ?? at,
      versionCreatedAt: at,
      by: nv.by,
    };
    insertVersion(this.db, version);
    const event = appendEvent(this.db, nv.kind, version, at, nv.by);
    markPublished(this.db, story.id, nv.kind === 'killed' ? 'killed' : 'published', version.version, nv.content, nv.by, at);
    // Same transaction: searchable the instant the publish is acknowledged, gone the instant it is killed.
    if (nv.kind === 'killed') this.search.index.removeStory(story.id);
    else this.search.index.indexVersion(version);
    return { event, version };
  }

  async getVersion(storyId: string, version: number): Promise<StoryVersion | null> {
    return this.read(`reading version ${version} of story ${storyId}`, () => selectVersion(this.db, storyId, version));
  }

  async listVersions(storyId: string): Promise<StoryVersion[]> {
    return this.read(`listing versions of story ${storyId}`, () => selectVersions(this.db, storyId));
  }

  async versionActs(q: VersionActQuery): Promise<VersionAct[]> {
    return this.read('listing versions with who published them', () => selectVersionActs(this.db, q));
  }

  async liftEmbargo(storyId: string, now = new Date(), by: Actor = SYSTEM_ACTOR): Promise<FlowItem | null> {
    const at = now.toISOString();
    return this.run(`lifting the embargo of story ${storyId}`, () => {
      const story = selectStory(this.db, storyId);
      if (!story || story.latestVersion === 0) throw new NotFoundError(`no published story ${storyId}`);
      const version = selectVersion(this.db, storyId, story.latestVersion)!;
      if (version.pubStatus !== 'usable') return null;
      if (!markEmbargoLifted(this.db, storyId, version.version, at)) return null;
      markStoryEmbargoLifted(this.db, storyId);
      const event = appendEvent(this.db, 'embargo-lifted', version, at, by);
      return { event, version };
    });
  }

  async dueEmbargoes(now: Date): Promise<string[]> {
    return this.read('finding embargoes due to lift', () => selectDueEmbargoes(this.db, now.toISOString()));
  }

  async importPublished(items: ImportedStory[], opts: { deferIndex?: boolean; by?: Actor } = {}): Promise<FlowEvent[]> {
    const at = new Date().toISOString();
    const by = opts.by ?? SYSTEM_ACTOR;
    return this.run(`importing ${items.length} published stories`, () => {
      const events: FlowEvent[] = [];
      for (const item of items) {
        const keys = Object.entries(item.content.provenance?.originalIds ?? {}).map(([k, v]) => `${k}:${v}`);
        if (keys.some((k) => stmt(this.db, `SELECT 1 FROM original_ids WHERE original_key = ?`).get(k))) continue;
        const published = new Date(item.publishedAt);
        const id = item.id ?? newId(Number.isNaN(published.getTime()) ? Date.now() : published.getTime());
        const story: Story = {
          id,
          status: 'published',
          revision: 1,
          draft: item.content,
          latestVersion: 1,
          translationGroup: id,
          createdAt: item.publishedAt,
          updatedAt: item.publishedAt,
          firstPublishedAt: item.publishedAt,
          createdBy: by,
          updatedBy: by,
          workflow: 'writing',
          submittedAt: null,
          submittedBy: null,
        };
        insertStory(this.db, story);
        for (const k of keys) stmt(this.db, `INSERT INTO original_ids (original_key, story_id) VALUES (?, ?)`).run(k, id);
        const version: StoryVersion = {
          storyId: id,
          version: 1,
          revisionId: newId(),
          kind: 'published',
          pubStatus: 'usable',
          content: item.content,
          correctionNote: null,
          killReason: null,
          translationGroup: id,
          firstPublishedAt: item.publishedAt,
          versionCreatedAt: item.updatedAt ?? item.publishedAt,
          by,
        };
        insertVersion(this.db, version);
        events.push(appendEvent(this.db, 'published', version, at, by));
        if (!opts.deferIndex) this.search.index.indexVersion(version);
      }
      return events;
    });
  }

  async readLog(read: LogRead): Promise<FlowItem[]> {
    return this.read(`reading the log after ${read.after}`, () => {
      const rows = selectLog(this.db, read.after, read.limit, read.languages);
      return rows.map((r) => {
        const v = JSON.parse(r.vrow) as Record<string, string | null>;
        const version: StoryVersion = {
          storyId: r.story_id,
          version: r.version,
          revisionId: v.revision_id!,
          kind: v.kind as StoryVersion['kind'],
          pubStatus: v.pub_status as StoryVersion['pubStatus'],
          content: JSON.parse(r.content) as StoryContent,
          correctionNote: v.correction_note,
          killReason: v.kill_reason,
          translationGroup: v.translation_group!,
          firstPublishedAt: v.first_published_at!,
          versionCreatedAt: v.version_created_at!,
          by: JSON.parse(v.by!) as Actor,
        };
        return { event: toEvent(r), version };
      });
    });
  }

  async headSeq(): Promise<number> {
    return this.read('reading the log head', () => selectHead(this.db));
  }

  async oldestSeq(): Promise<number> {
    return this.read('reading the oldest log position', () => selectOldest(this.db));
  }

  async createKey(k: { id: string; hash: string; prefix: string; role: Role; subscriberId?: string | null; label?: string | null }): Promise<ApiKey> {
    return this.run('creating an API key', () =>
      insertKey(this.db, { ...k, subscriberId: k.subscriberId ?? null, label: k.label ?? null }, new Date().toISOString()),
    );
  }

  async findKeyByHash(hash: string): Promise<ApiKey | null> {
    return this.read('looking up an API key', () => selectLiveKeyByHash(this.db, hash));
  }

  async listKeys(filter: { subscriberId?: string } = {}): Promise<ApiKey[]> {
    return this.read('listing API keys', () => selectKeys(this.db, filter.subscriberId));
  }

  async revokeKey(id: string, now = new Date()): Promise<ApiKey> {
    return this.run(`revoking API key ${id}`, () => {
      if (!revokeKeyRow(this.db, id, now.toISOString())) throw new NotFoundError(`no API key ${id}`);
      return selectKey(this.db, id)!;
    });
  }

  async touchKey(id: string, now = new Date()): Promise<void> {
    this.run(`recording use of API key ${id}`, () => touchKeyRow(this.db, id, now.toISOString()));
  }

  private read<T>(doing: string, fn: () => T): T {
    return readWith(doing, fn);
  }

  private run<T>(doing: string, fn: () => T): T {
    return writeWith(this.db, doing, fn);
  }
}
