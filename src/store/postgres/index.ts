// The PostgreSQL store: the same Store as ../sqlite, for an agency that runs several server processes
// on one database server. Tables and columns mirror the SQLite schema (so `newsflow store copy` moves
// rows as they are), SQL beside each function in the per-entity files, one pool per process.
import type pg from 'pg';
import type { Actor } from '../../model/actor.ts';
import type { ApiKey, Role } from '../../model/keys.ts';
import type { FlowEvent, FlowItem, Story, StoryContent, StoryListing, StoryVersion, StoryWorkflow } from '../../model/story.ts';
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
import type { SiteStore } from '../../model/site.ts';
import { pgSiteStore } from './site.ts';
import { type PgSubscriberStore, pgSubscriberStore } from './subscribers.ts';
import { type Analysis, type PgSearch, pgSearch } from './search.ts';
import { pgSavedSearchStore } from './saved-searches.ts';
import { pgAuditStore } from './audit.ts';
import { pgUserStore } from './users.ts';
import { pgTopicStore } from './topics.ts';
import { type PgMediaStore, pgMediaStore } from './media.ts';
import type { SavedSearchStore } from '../../model/saved-searches.ts';
import type { AuditStore } from '../../model/audit.ts';
import type { UserStore } from '../../model/users.ts';
import type { TopicStore } from '../../model/topics.ts';
import { StoreError } from '../errors.ts';
import { type HeadListener, listenForHead } from './listener.ts';
import { newId } from '../../model/ids.ts';
import { SYSTEM_ACTOR } from '../../model/actor.ts';
import { ConflictError, NotFoundError } from '../../model/errors.ts';
import { listingPosition } from '../sqlite/stories.ts';
import { isDriverError, openPool, type PgOptions, readWith, writeWith } from './database.ts';
import {
  appendEvent,
  commitLogHead,
  commitLogHeadSql,
  eventsOf,
  insertEventsSql,
  LOCK_LOG_SQL,
  LOG_HEAD_SQL,
  lockLogHead,
  selectHead,
  selectLog,
  selectOldest,
  selectWire,
} from './events.ts';
import { toEvent } from '../rows/events.ts';
import { toVersion } from '../rows/versions.ts';
import { insertKey, revokeKeyRow, selectLiveKeyByHash, selectKeys, touchKeyRow } from './keys.ts';
import {
  countStoryRows,
  insertImportedStoriesSql,
  insertOriginalKeysSql,
  insertStory,
  markManyPublishedSql,
  type PublishedStoryRow,
  markPublished,
  markStoryEmbargoLifted,
  selectKnownOriginalKeys,
  selectStories,
  lockPublishingStoriesSql,
  type PublishingStory,
  publishingStoriesOf,
  selectStory,
  StoryReads,
  selectStoryList,
  selectTranslations,
  setWorkflowRow,
  updateDraftRow,
} from './stories.ts';
import { insertVersion, insertVersionsSql, markEmbargoLifted, selectDueEmbargoes, selectVersion, selectVersionActs, selectVersions } from './versions.ts';

export interface PostgresStoreOptions extends PgOptions {
  /** The agency's search lexicon file (NEWSFLOW_SEARCH_LEXICON), added to the built-in lists. */
  lexiconFile?: string | null;
}

export class PostgresStore implements Store {
  readonly kind = 'postgres';
  readonly site: SiteStore;
  readonly subscribers: PgSubscriberStore;
  readonly search: PgSearch;
  readonly savedSearches: SavedSearchStore;
  readonly audit: AuditStore;
  readonly users: UserStore;
  readonly topics: TopicStore;
  readonly media: PgMediaStore;
  /** Story reads of the same moment, one statement (a burst of publishes reads each story first). */
  private readonly storyReads: StoryReads;

  private constructor(
    readonly pool: pg.Pool,
    readonly url: string,
    readonly opts: PostgresStoreOptions,
  ) {
    this.site = pgSiteStore(pool);
    this.subscribers = pgSubscriberStore(pool);
    this.search = pgSearch(pool, opts.lexiconFile);
    this.savedSearches = pgSavedSearchStore(pool);
    this.audit = pgAuditStore(pool);
    this.users = pgUserStore(pool);
    this.topics = pgTopicStore(pool);
    this.media = pgMediaStore(pool);
    this.storyReads = new StoryReads(pool);
  }

  /** Connects, applies the migrations, and returns the store. */
  static async open(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
    return new PostgresStore(await openPool(url, opts), url, opts);
  }

  private readonly headListeners = new Set<HeadListener>();

  async close(): Promise<void> {
    await Promise.all([...this.headListeners].map((l) => l.stop()));
    this.headListeners.clear();
    // The parts' own connections first (webhook locks, rendering jobs): the pool waits for those it lent.
    await Promise.all([this.subscribers.release(), this.media.release()]);
    await this.pool.end();
  }

  /** LISTEN/NOTIFY on a connection of its own (./listener.ts): the head of every node's commits. */
  watchHead(onHead: (head: number) => void): () => void {
    const listener = listenForHead(this.url, onHead);
    this.headListeners.add(listener);
    return () => {
      this.headListeners.delete(listener);
      void listener.stop();
    };
  }

  /** The health check: `SELECT 1` on the pool, failing after `timeoutMs` (a hung server is unreachable too). */
  async reach(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from PostgreSQL within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.pool.query('SELECT 1'), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  // Stories and drafts
  async createStory(content: StoryContent, by: Actor, now = new Date()): Promise<Story> {
    const at = now.toISOString();
    const id = newId(now.getTime());
    return writeWith(this.pool, 'creating a story', async (c) => {
      let group = id;
      if (content.translationOf) {
        const original = await selectStory(c, content.translationOf);
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
      await insertStory(c, story);
      return story;
    });
  }

  async getStory(id: string): Promise<Story | null> {
    return readWith(`reading story ${id}`, () => this.storyReads.read(id));
  }

  async updateDraft(id: string, expectRevision: number, content: StoryContent, by: Actor, now = new Date()): Promise<Story> {
    return writeWith(this.pool, `updating the draft of story ${id}`, async (c) => {
      const current = await selectStory(c, id, true);
      if (!current) throw new NotFoundError(`no story ${id}`);
      if (current.status === 'killed') throw new ConflictError(`story ${id} was killed; a killed story cannot be edited`);
      if (!(await updateDraftRow(c, id, expectRevision, content, by, now.toISOString()))) {
        throw new ConflictError(
          `story ${id} is at revision ${current.revision}, not ${expectRevision}: ${current.updatedBy.name} saved it first at ${current.updatedAt}; reload and apply your change again`,
          { revision: current.revision, updatedBy: current.updatedBy, updatedAt: current.updatedAt },
        );
      }
      return (await selectStory(c, id))!;
    });
  }

  async setWorkflow(id: string, workflow: StoryWorkflow, by: Actor, now = new Date()): Promise<Story> {
    return writeWith(this.pool, `${workflow === 'submitted' ? 'submitting' : 'withdrawing'} story ${id}`, async (c) => {
      const current = await selectStory(c, id, true);
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
      await setWorkflowRow(c, id, workflow, by, now.toISOString());
      return (await selectStory(c, id))!;
    });
  }

  async listStories(filter: StoryListFilter): Promise<Story[]> {
    return readWith('listing stories', () => selectStories(this.pool, filter));
  }

  async storyList(query: StoryListQuery, now = new Date()): Promise<StoryListPage> {
    return readWith('listing stories for the desk', async () => {
      const stories = await selectStoryList(this.pool, query, now.toISOString());
      const last = stories[stories.length - 1];
      return { stories, next: last && stories.length === (query.limit ?? 50) ? listingPosition(last) : null };
    });
  }

  async translations(groupId: string): Promise<StoryListing[]> {
    return readWith(`listing the translation group ${groupId}`, () => selectTranslations(this.pool, groupId));
  }

  async wire(query: WireQuery, now = new Date()): Promise<WirePage> {
    return readWith('reading the wire monitor', async () => {
      const entries = await selectWire(this.pool, query, now.toISOString());
      const last = entries[entries.length - 1];
      return { entries, next: last && entries.length === (query.limit ?? 50) ? last.event.seq : null };
    });
  }

  async countStories(): Promise<number> {
    return readWith('counting stories', () => countStoryRows(this.pool));
  }

  // Versions and the flow log

  /**
   * Appends a version and its event. Group commit, as in the SQLite store: the appends of this process
   * that arrive while a commit is in flight wait, then go together into ONE transaction (one WAL flush
   * acknowledges them all). The transaction takes the log lock first (events.ts: seq is allocated and
   * committed in order across every process), and every promise resolves only after COMMIT returned,
   * i.e. the publish is durable. The search analysis (the CPU part of a publish) is made here, as the
   * publish is queued, while the batch ahead waits on the database (see analyseQueued).
   */
  async appendVersion(nv: NewVersion, now = new Date()): Promise<FlowItem> {
    return new Promise((resolve, reject) => {
      const p: PendingAppend = { nv, now, resolve, reject };
      // In commit order only: not before an earlier publish still waiting for its analysis.
      if (this.unanalysed === 0 && this.search.readyNow) {
        try {
          p.analysis = this.search.analyse(analysed(nv));
        } catch (e) {
          reject(e);
          return;
        }
      } else this.unanalysed++;
      this.pendingAppends.push(p);
      if (this.pendingAppends.length === 1) setImmediate(() => this.commitPendingAppends());
    });
  }

  private pendingAppends: PendingAppend[] = [];
  /**
   * Batches in flight (at most two): the next batch starts once the one ahead has checked its publishes
   * under the log lock, so its BEGIN, lock request and story read wait at the server while the one ahead
   * writes and commits, and it holds the lock the moment that one's COMMIT releases it. The appends
   * that arrive meanwhile form the batch after.
   */
  private inFlight = 0;
  /** A batch in flight that has not yet checked its publishes (the next batch waits for it). */
  private checking = false;
  /** Queued publishes (in the batch being committed or after it) not analysed yet: always the last ones. */
  private unanalysed = 0;

  private commitPendingAppends(): void {
    if (this.checking || this.inFlight >= 2 || this.pendingAppends.length === 0) return;
    const batch = this.pendingAppends;
    this.pendingAppends = [];
    this.inFlight++;
    this.checking = true;
    let done = false;
    const checked = () => {
      if (done) return;
      done = true;
      this.checking = false;
      this.commitPendingAppends();
    };
    void this.commitBatch(batch, checked).finally(() => {
      this.inFlight--;
      checked();
      this.commitPendingAppends();
    });
  }

  /**
   * Analyses, in order, the publishes of `batch` queued before the vocabulary was in memory or after
   * a rewind. The analyses must follow commit order, as on SQLite: each stems against the counts of
   * every publish before it.
   */
  private async analyseQueued(batch: PendingAppend[]): Promise<void> {
    await this.search.whenReady();
    for (const p of batch) {
      if (p.analysis !== undefined) continue;
      this.unanalysed--;
      try {
        p.analysis = this.search.analyse(analysed(p.nv));
      } catch (e) {
        p.analysis = null;
        p.failed = e;
      }
    }
  }

  /**
   * Takes back the analyses of `batch` from index `from` on and of every publish queued after it (a
   * refused publish's words never reach the vocabulary; the later ones are analysed again without them).
   * The batch's own are dropped (the caller analyses again those it still writes); the queued ones wait
   * for analyseQueued.
   */
  private rewindFrom(batch: PendingAppend[], from: number): void {
    const later = [...batch.slice(from), ...this.pendingAppends].filter((p) => p.analysis);
    this.search.rewind(later.map((p) => p.analysis!));
    for (const p of batch.slice(from)) if (p.analysis) p.analysis = null;
    for (const p of this.pendingAppends) {
      if (p.analysis !== undefined) {
        p.analysis = undefined;
        this.unanalysed++;
      }
    }
  }

  /**
   * Commits one batch. The fast path writes the whole batch in three round trips (BEGIN with the log
   * lock and the story rows; one statement for every table; COMMIT): the checks run here on the locked
   * story rows, so a refused publish simply stays out. Should the database refuse the batch itself, it
   * is committed again the slow way, each publish in its own SAVEPOINT, so only the one at fault fails.
   */
  private async commitBatch(all: PendingAppend[], checked: () => void): Promise<void> {
    try {
      await this.analyseQueued(all);
    } catch (e) {
      // The vocabulary could not be read: nothing analysed, nothing written.
      for (const p of all) p.reject(e);
      this.unanalysed -= all.filter((p) => p.analysis === undefined).length;
      return;
    }
    for (const p of all) if (p.failed) p.reject(p.failed);
    const batch = all.filter((p) => !p.failed);
    if (batch.length === 0) return;
    let outcomes: AppendOutcome[];
    let successor = false;
    try {
      outcomes = await writeWith(
        this.pool,
        'committing published versions',
        (c) =>
          this.appendBatch(c, batch, () => {
            successor = true;
            checked();
          }),
        'begun',
      );
    } catch (first) {
      // Nothing of the batch was written (or, the connection lost, it cannot be known): its words are
      // taken back, unless the next batch was already analysed after them (then they stay counted in
      // memory until the next refresh, as a retried batch always left them before).
      if (!successor) this.rewindFrom(batch, 0);
      // Only a refusal by the server is retried: after a lost connection the COMMIT may have happened,
      // and a second attempt would report those publishes as conflicts.
      if (!refusedByServer(first)) {
        for (const p of batch) p.reject(first);
        return;
      }
      try {
        outcomes = await writeWith(this.pool, 'committing published versions', (c) => this.appendEach(c, batch));
      } catch (e) {
        for (const p of batch) p.reject(e);
        return;
      }
    }
    batch.forEach((p, i) => {
      const o = outcomes[i];
      if (o.ok) p.resolve(o.item);
      else p.reject(isDriverError(o.error) ? new StoreError(`appending a ${p.nv.kind} version to story ${p.nv.storyId}`, o.error) : o.error);
    });
  }

  /**
   * The fast path: BEGIN, the log lock, the head and the locked stories in one simple query; every
   * publish checked in memory; then versions, events, stories, search and the log head written by ONE
   * statement of data-modifying CTEs (they touch different tables; foreign keys are checked at its end).
   */
  private async appendBatch(c: pg.PoolClient, batch: PendingAppend[], checked: () => void): Promise<AppendOutcome[]> {
    const ids = [...new Set(batch.map((p) => p.nv.storyId))].sort();
    const opened = (await c.query(
      `BEGIN; ${LOCK_LOG_SQL}; ${LOG_HEAD_SQL}; ${lockPublishingStoriesSql(ids, (s) => c.escapeLiteral(s))}`,
    )) as unknown as pg.QueryResult[];
    let head = Number(opened[2].rows[0].head);
    const stories = publishingStoriesOf(opened[3].rows);
    const outcomes: AppendOutcome[] = [];
    const written: { item: FlowItem; analysis: Analysis }[] = [];
    const touched = new Map<string, PublishedStoryRow>();
    let firstRefused = -1;
    for (const [i, p] of batch.entries()) {
      try {
        const story = stories.get(p.nv.storyId) ?? null;
        const version = newVersion(story, p.nv, p.now);
        const [event] = eventsOf([{ seq: head + 1, kind: p.nv.kind, version, at: version.versionCreatedAt, by: p.nv.by }]);
        head++;
        const at = version.versionCreatedAt;
        // A later publish of the same story in this batch sees this one.
        story!.status = p.nv.kind === 'killed' ? 'killed' : 'published';
        story!.latestVersion = version.version;
        story!.firstPublishedAt ??= at;
        const before = touched.get(story!.id);
        touched.set(story!.id, {
          id: story!.id,
          status: story!.status,
          version: version.version,
          draft: p.nv.content,
          by: p.nv.by,
          now: at,
          firstAt: before?.firstAt ?? at,
          bumps: (before?.bumps ?? 0) + 1,
        });
        // Analysed before a refusal in this batch: analysed again now, without the refused one's words.
        if (p.analysis === null) p.analysis = this.search.analyse(analysed(p.nv));
        written.push({ item: { event, version }, analysis: p.analysis! });
        outcomes.push({ ok: true, item: { event, version } });
      } catch (error) {
        if (firstRefused < 0) {
          firstRefused = i;
          this.rewindFrom(batch, i);
        }
        outcomes.push({ ok: false, error });
      }
    }
    // The analyses of this batch are final: the next batch may start (its own wait for the lock).
    checked();
    if (written.length === 0) return outcomes;
    const args: unknown[] = [];
    const param = (v: unknown) => `$${args.push(v)}`;
    // Same statement: searchable the instant the publish is acknowledged, gone the instant it is killed.
    // The text is the same for every batch (the rows travel as arrays): a named statement, parsed once
    // per connection, then only bound and run.
    await c.query({
      name: 'newsflow_append_batch',
      text: `WITH versions_added AS (${insertVersionsSql(
        param,
        written.map((w) => w.item.version),
      )}), events_added AS (${insertEventsSql(
        param,
        written.map((w) => w.item.event),
      )}), stories_published AS (${markManyPublishedSql(param, [...touched.values()])}),
       ${this.search.writeCtes(
         param,
         written.map((w) => ({ version: w.item.version, analysis: w.analysis })),
       )},
       ${commitLogHeadSql(param, head)}`,
      values: args,
    });
    return outcomes;
  }

  /** The slow path: each publish in its own savepoint, so a database refusal undoes only that one. */
  private async appendEach(c: pg.PoolClient, batch: PendingAppend[]): Promise<AppendOutcome[]> {
    let head = await lockLogHead(c);
    const outcomes: AppendOutcome[] = [];
    for (const p of batch) {
      await c.query('SAVEPOINT append');
      try {
        const item = await this.appendOne(c, head + 1, p.nv, p.now);
        await c.query('RELEASE SAVEPOINT append');
        head = item.event.seq;
        outcomes.push({ ok: true, item });
      } catch (error) {
        await c.query('ROLLBACK TO SAVEPOINT append');
        outcomes.push({ ok: false, error });
      }
    }
    if (outcomes.some((o) => o.ok)) await commitLogHead(c, head);
    return outcomes;
  }

  /** The checks and writes of one append at `seq`, inside the caller's transaction (which holds the log lock). */
  private async appendOne(c: pg.PoolClient, seq: number, nv: NewVersion, now: Date): Promise<FlowItem> {
    const story = await selectStory(c, nv.storyId, true);
    const version = newVersion(story, nv, now);
    const at = version.versionCreatedAt;
    await insertVersion(c, version);
    const event = await appendEvent(c, seq, nv.kind, version, at, nv.by);
    await markPublished(c, version.storyId, nv.kind === 'killed' ? 'killed' : 'published', version.version, nv.content, nv.by, at);
    if (nv.kind === 'killed') await this.search.removeStory(c, version.storyId);
    else await this.search.indexVersion(c, version);
    return { event, version };
  }

  async getVersion(storyId: string, version: number): Promise<StoryVersion | null> {
    return readWith(`reading version ${version} of story ${storyId}`, () => selectVersion(this.pool, storyId, version));
  }

  async listVersions(storyId: string): Promise<StoryVersion[]> {
    return readWith(`listing versions of story ${storyId}`, () => selectVersions(this.pool, storyId));
  }

  async versionActs(q: VersionActQuery): Promise<VersionAct[]> {
    return readWith('listing versions with who published them', () => selectVersionActs(this.pool, q));
  }

  async liftEmbargo(storyId: string, now = new Date(), by: Actor = SYSTEM_ACTOR): Promise<FlowItem | null> {
    const at = now.toISOString();
    return writeWith(this.pool, `lifting the embargo of story ${storyId}`, async (c) => {
      // The log lock first, before any row lock: every appending transaction takes them in this order.
      const head = await lockLogHead(c);
      const story = await selectStory(c, storyId, true);
      if (!story || story.latestVersion === 0) throw new NotFoundError(`no published story ${storyId}`);
      const version = (await selectVersion(c, storyId, story.latestVersion))!;
      if (version.pubStatus !== 'usable') return null;
      if (!(await markEmbargoLifted(c, storyId, version.version, at))) return null;
      await markStoryEmbargoLifted(c, storyId);
      const event = await appendEvent(c, head + 1, 'embargo-lifted', version, at, by);
      await commitLogHead(c, event.seq);
      return { event, version };
    });
  }

  async dueEmbargoes(now: Date): Promise<string[]> {
    return readWith('finding embargoes due to lift', () => selectDueEmbargoes(this.pool, now.toISOString()));
  }

  /**
   * Imports published stories in one transaction: one multi-row INSERT (arrays unnested) per table
   * rather than a statement per story, under the same log lock as every append.
   */
  async importPublished(items: ImportedStory[], opts: { deferIndex?: boolean; by?: Actor } = {}): Promise<FlowEvent[]> {
    const at = new Date().toISOString();
    const by = opts.by ?? SYSTEM_ACTOR;
    // The vocabulary in memory before the log lock is taken (the analysis below needs it).
    if (!opts.deferIndex) await this.search.whenReady();
    return writeWith(this.pool, `importing ${items.length} published stories`, async (c) => {
      const head = await lockLogHead(c);
      const keysOf = items.map((item) => Object.entries(item.content.provenance?.originalIds ?? {}).map(([k, v]) => `${k}:${v}`));
      // Known already, or brought in by an earlier item of this call: skipped, as in SQLite.
      const seen = await selectKnownOriginalKeys(c, keysOf.flat());
      const stories: Story[] = [];
      const versions: StoryVersion[] = [];
      const originals: { key: string; storyId: string }[] = [];
      items.forEach((item, i) => {
        const keys = keysOf[i];
        if (keys.some((k) => seen.has(k))) return;
        const published = new Date(item.publishedAt);
        const id = item.id ?? newId(Number.isNaN(published.getTime()) ? Date.now() : published.getTime());
        for (const k of keys) {
          seen.add(k);
          originals.push({ key: k, storyId: id });
        }
        stories.push({
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
        });
        versions.push({
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
        });
      });
      if (stories.length === 0) return [];
      const events = eventsOf(versions.map((version, i) => ({ seq: head + 1 + i, kind: 'published' as const, version, at, by })));
      // Stories, original ids, versions and events in ONE statement, sent before the search analysis
      // (the CPU part of an indexed import) so the database writes while this process analyses.
      const args: unknown[] = [];
      const param = (v: unknown) => `$${args.push(v)}`;
      const ctes = [
        `stories_added AS (${insertImportedStoriesSql(param, stories)})`,
        ...(originals.length ? [`originals_added AS (${insertOriginalKeysSql(param, originals)})`] : []),
        `versions_added AS (${insertVersionsSql(param, versions)})`,
        `events_added AS (${insertEventsSql(param, events)})`,
      ];
      const written = c.query(`WITH ${ctes.join(', ')} SELECT 1`, args);
      // Awaited below; until then a refusal must not surface as an unhandled rejection.
      written.catch(() => {});
      const indexed: { version: StoryVersion; analysis: Analysis }[] = [];
      try {
        if (!opts.deferIndex) for (const version of versions) indexed.push({ version, analysis: this.search.analyse(version) });
        await written;
        const more: unknown[] = [];
        const next = (v: unknown) => `$${more.push(v)}`;
        await c.query(
          `WITH ${indexed.length ? `${this.search.writeCtes(next, indexed)}, ` : ''}${commitLogHeadSql(next, events[events.length - 1].seq)}`,
          more,
        );
      } catch (e) {
        // Not written: the words are not the archive's either.
        this.search.rewind(indexed.map((x) => x.analysis));
        throw e;
      }
      return events;
    });
  }

  async readLog(read: LogRead): Promise<FlowItem[]> {
    return readWith(`reading the log after ${read.after}`, async () => {
      const rows = await selectLog(this.pool, read.after, read.limit, read.languages);
      return rows.map((r) => ({
        event: toEvent(r),
        version: toVersion({ ...r, kind: r.v_kind }),
      }));
    });
  }

  async headSeq(): Promise<number> {
    return readWith('reading the log head', () => selectHead(this.pool));
  }

  async oldestSeq(): Promise<number> {
    return readWith('reading the oldest log position', () => selectOldest(this.pool));
  }

  // API keys
  async createKey(k: { id: string; hash: string; prefix: string; role: Role; subscriberId?: string | null; label?: string | null }): Promise<ApiKey> {
    return writeWith(this.pool, 'creating an API key', (c) =>
      insertKey(c, { ...k, subscriberId: k.subscriberId ?? null, label: k.label ?? null }, new Date().toISOString()),
    );
  }

  async findKeyByHash(hash: string): Promise<ApiKey | null> {
    return readWith('looking up an API key', () => selectLiveKeyByHash(this.pool, hash));
  }

  async listKeys(filter: { subscriberId?: string } = {}): Promise<ApiKey[]> {
    return readWith('listing API keys', () => selectKeys(this.pool, filter.subscriberId));
  }

  async revokeKey(id: string, now = new Date()): Promise<ApiKey> {
    return writeWith(this.pool, `revoking API key ${id}`, async (c) => {
      const key = await revokeKeyRow(c, id, now.toISOString());
      if (!key) throw new NotFoundError(`no API key ${id}`);
      return key;
    });
  }

  async touchKey(id: string, now = new Date()): Promise<void> {
    await readWith(`recording use of API key ${id}`, () => touchKeyRow(this.pool, id, now.toISOString()));
  }
}

/** True for an error PostgreSQL itself answered (a pg DatabaseError carries a severity), not a lost connection. */
function refusedByServer(e: unknown): boolean {
  const cause = (e as { cause?: unknown }).cause ?? e;
  return typeof (cause as { severity?: unknown }).severity === 'string';
}

type AppendOutcome = { ok: true; item: FlowItem } | { ok: false; error: unknown };

/** The version a publish makes of `story`, or the refusal (the same checks and messages as SQLite's). */
function newVersion(story: PublishingStory | null, nv: NewVersion, now: Date): StoryVersion {
  const at = now.toISOString();
  if (!story) throw new NotFoundError(`no story ${nv.storyId}`);
  if (!nv.allowedStatuses.includes(story.status)) {
    throw new ConflictError(`story ${nv.storyId} is ${story.status}; ${nv.kind} needs it to be ${nv.allowedStatuses.join(' or ')}`, { status: story.status });
  }
  if (story.latestVersion !== nv.expectLatestVersion) {
    throw new ConflictError(`story ${nv.storyId} is at version ${story.latestVersion}, not ${nv.expectLatestVersion}: another publish came first`, {
      latestVersion: story.latestVersion,
    });
  }
  return {
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
}

/** What the search analysis of a publish needs, before its version is numbered under the log lock. */
function analysed(nv: NewVersion): Pick<StoryVersion, 'content' | 'kind' | 'pubStatus'> {
  return { content: nv.content, kind: nv.kind, pubStatus: nv.kind === 'killed' ? 'canceled' : 'usable' };
}

interface PendingAppend {
  nv: NewVersion;
  now: Date;
  /** Its search analysis: undefined until made, null once taken back (refused, or analysed again). */
  analysis?: Analysis | null;
  /** The analysis itself failed: the publish fails alone. */
  failed?: unknown;
  resolve: (i: FlowItem) => void;
  reject: (e: unknown) => void;
}
