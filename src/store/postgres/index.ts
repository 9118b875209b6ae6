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
import { pgSubscriberStore } from './subscribers.ts';
import { type PgSearch, pgSearch } from './search.ts';
import { pgSavedSearchStore } from './saved-searches.ts';
import { pgAuditStore } from './audit.ts';
import { pgUserStore } from './users.ts';
import { pgTopicStore } from './topics.ts';
import { pgMediaStore } from './media.ts';
import type { SubscriberStore } from '../../model/subscribers.ts';
import type { SavedSearchStore } from '../../model/saved-searches.ts';
import type { AuditStore } from '../../model/audit.ts';
import type { UserStore } from '../../model/users.ts';
import type { TopicStore } from '../../model/topics.ts';
import type { MediaStore } from '../../model/media.ts';
import { StoreError } from '../errors.ts';
import { openPool, type PgOptions } from './database.ts';
import { type HeadListener, listenForHead } from './listener.ts';

export interface PostgresStoreOptions extends PgOptions {
  /** The agency's search lexicon file (NEWSFLOW_SEARCH_LEXICON), added to the built-in lists. */
  lexiconFile?: string | null;
}

export class PostgresStore implements Store {
  readonly kind = 'postgres';
  readonly site: SiteStore;
  readonly subscribers: SubscriberStore;
  readonly search: PgSearch;
  readonly savedSearches: SavedSearchStore;
  readonly audit: AuditStore;
  readonly users: UserStore;
  readonly topics: TopicStore;
  readonly media: MediaStore;

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
  }

  /** Connects, applies the migrations, and returns the store. */
  static async open(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
    return new PostgresStore(await openPool(url, opts), url, opts);
  }

  private readonly headListeners = new Set<HeadListener>();

  async close(): Promise<void> {
    await Promise.all([...this.headListeners].map((l) => l.stop()));
    this.headListeners.clear();
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

  private notYet(name: string): never {
    throw new StoreError(name, new Error('not implemented on PostgreSQL yet'));
  }

  // Stories and drafts
  async createStory(_content: StoryContent, _by: Actor, _now?: Date): Promise<Story> {
    return this.notYet('createStory');
  }
  async getStory(_id: string): Promise<Story | null> {
    return this.notYet('getStory');
  }
  async updateDraft(_id: string, _expectRevision: number, _content: StoryContent, _by: Actor, _now?: Date): Promise<Story> {
    return this.notYet('updateDraft');
  }
  async setWorkflow(_id: string, _workflow: StoryWorkflow, _by: Actor, _now?: Date): Promise<Story> {
    return this.notYet('setWorkflow');
  }
  async listStories(_filter: StoryListFilter): Promise<Story[]> {
    return this.notYet('listStories');
  }
  async storyList(_query: StoryListQuery, _now?: Date): Promise<StoryListPage> {
    return this.notYet('storyList');
  }
  async translations(_groupId: string): Promise<StoryListing[]> {
    return this.notYet('translations');
  }
  async wire(_query: WireQuery, _now?: Date): Promise<WirePage> {
    return this.notYet('wire');
  }
  async countStories(): Promise<number> {
    return this.notYet('countStories');
  }

  // Versions and the flow log
  async appendVersion(_v: NewVersion, _now?: Date): Promise<FlowItem> {
    return this.notYet('appendVersion');
  }
  async getVersion(_storyId: string, _version: number): Promise<StoryVersion | null> {
    return this.notYet('getVersion');
  }
  async listVersions(_storyId: string): Promise<StoryVersion[]> {
    return this.notYet('listVersions');
  }
  async versionActs(_q: VersionActQuery): Promise<VersionAct[]> {
    return this.notYet('versionActs');
  }
  async liftEmbargo(_storyId: string, _now?: Date, _by?: Actor): Promise<FlowItem | null> {
    return this.notYet('liftEmbargo');
  }
  async dueEmbargoes(_now: Date): Promise<string[]> {
    return this.notYet('dueEmbargoes');
  }
  async importPublished(_items: ImportedStory[], _opts?: { deferIndex?: boolean; by?: Actor }): Promise<FlowEvent[]> {
    return this.notYet('importPublished');
  }
  async readLog(_read: LogRead): Promise<FlowItem[]> {
    return this.notYet('readLog');
  }
  async headSeq(): Promise<number> {
    return this.notYet('headSeq');
  }
  async oldestSeq(): Promise<number> {
    return this.notYet('oldestSeq');
  }

  // API keys
  async createKey(_k: { id: string; hash: string; prefix: string; role: Role; subscriberId?: string | null; label?: string | null }): Promise<ApiKey> {
    return this.notYet('createKey');
  }
  async findKeyByHash(_hash: string): Promise<ApiKey | null> {
    return this.notYet('findKeyByHash');
  }
  async listKeys(_filter?: { subscriberId?: string }): Promise<ApiKey[]> {
    return this.notYet('listKeys');
  }
  async revokeKey(_id: string, _now?: Date): Promise<ApiKey> {
    return this.notYet('revokeKey');
  }
  async touchKey(_id: string, _now?: Date): Promise<void> {
    return this.notYet('touchKey');
  }
}
