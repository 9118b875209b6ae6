// The store interface: Promise-based so that a PostgreSQL implementation can drop in beside SQLite.
// Every write that touches the flow (a version and its log event, and the search index) is one
// transaction, acknowledged only after it is durable. Named here in the model so the flow and the
// HTTP layer depend on what a store does, not on one engine; src/store/sqlite implements it.
import type { SiteStore } from './site.ts';
import type { Actor } from './actor.ts';
import type {
  EventKind,
  FlowEvent,
  FlowItem,
  Story,
  StoryContent,
  StoryListing,
  StoryListStatus,
  StoryVersion,
  StoryWorkflow,
  Urgency,
  WireEntry,
} from './story.ts';
import type { SubscriberStore } from './subscribers.ts';
import type { StoreSearch } from './search.ts';
import type { SavedSearchStore } from './saved-searches.ts';
import type { TopicStore } from './topics.ts';
import type { ApiKey, Role } from './keys.ts';
import type { AuditStore } from './audit.ts';
import type { UserStore } from './users.ts';
import type { MediaStore } from './media.ts';

/** A new version to append: the store assigns the version number, revision id and log sequence. */
export interface NewVersion {
  storyId: string;
  kind: Exclude<EventKind, 'embargo-lifted'>;
  content: StoryContent;
  correctionNote?: string | null;
  killReason?: string | null;
  /** The story's latest version number the caller based this on; a mismatch is a ConflictError. */
  expectLatestVersion: number;
  /** Statuses the story may be in for this act (e.g. a correction needs `published`). */
  allowedStatuses: Story['status'][];
  /** Who published it: recorded on the version and its log event. */
  by: Actor;
}

/** A story that arrives already published (archive import). */
export interface ImportedStory {
  content: StoryContent;
  publishedAt: string;
  /** When the published text was last updated, if later than publishedAt. */
  updatedAt?: string;
  /** Reuse an existing chain id (re-import of the same item replaces nothing: it is skipped). */
  id?: string;
}

export interface StoryListFilter {
  status?: Story['status'];
  language?: string;
  limit?: number;
  /** Only stories updated before this id (pagination by descending id). */
  before?: string;
}

/** The desk's story list: text-free filters, newest change first, keyset pages. */
export interface StoryListQuery {
  /** `embargoed` = published with a future embargo not yet lifted; `published` = live without one. */
  status?: StoryListStatus;
  language?: string;
  desk?: string;
  limit?: number;
  /** The `next` position of the previous page. */
  after?: string;
}

export interface StoryListPage {
  stories: StoryListing[];
  /** Position of the next page, null on the last one. */
  next: string | null;
}

/** The wire monitor: log events newest first, filtered, keyset pages by seq. */
export interface WireQuery {
  language?: string;
  category?: string;
  urgency?: Urgency;
  kind?: EventKind;
  /** true: only events still under an embargo not yet lifted; false: only the others. */
  embargoed?: boolean;
  limit?: number;
  /** Events with seq strictly lower than this (the previous page's `next`). */
  before?: number;
}

export interface WirePage {
  entries: WireEntry[];
  /** `before` for the next page, null on the last one. */
  next: number | null;
}

/** Options for reading the flow log. */
export interface LogRead {
  /** Return events with seq strictly greater than this. */
  after: number;
  limit: number;
  /** Optional routing prefilter: only these languages. */
  languages?: string[];
}

/** A version as the audit page lists it: which story, what kind, who published it and when. */
export interface VersionAct {
  storyId: string;
  version: number;
  kind: string;
  headline: string;
  language: string;
  at: string;
  by: Actor;
}

/** Where a page of version acts ends: the next page starts strictly older than this one. */
export interface VersionActKey {
  at: string;
  storyId: string;
  version: number;
}

export interface VersionActQuery {
  /** Only versions this actor (user or key id) published. */
  actorId?: string;
  storyId?: string;
  before?: VersionActKey;
  limit: number;
}

export interface Store {
  /** Which engine this is (`sqlite`, `postgres`). */
  readonly kind: string;
  /** Read queries of the public website and its leads (src/web). */
  readonly site: SiteStore;
  /** Products, subscribers, webhook outboxes and usage (src/model/subscribers.ts). */
  readonly subscribers: SubscriberStore;
  /** The full-text index, updated in the same transaction as each publish (src/search). */
  readonly search: StoreSearch;
  /** Subscribers' saved searches (alerts). */
  readonly savedSearches: SavedSearchStore;
  /** Who changed what (admin acts, newsroom acts). */
  readonly audit: AuditStore;
  /** People who sign in (desk staff, subscribers' seats), their sessions and failed sign-ins. */
  readonly users: UserStore;
  /** Seats' follows of saved searches, queued alert e-mails and in-portal notifications. */
  readonly topics: TopicStore;
  /** Media assets and their rendering jobs (the bytes are in MediaFiles). */
  readonly media: MediaStore;
  close(): Promise<void>;
  /**
   * Calls `onHead` whenever another connection's commit moves the log head, without polling (PostgreSQL's
   * LISTEN/NOTIFY). Absent when the engine cannot push (SQLite: the hub polls the file instead). Returns
   * the function that stops watching.
   */
  watchHead?(onHead: (head: number) => void): () => void;
  /** Whether this node reaches its database right now (the health check); throws with the reason when not. */
  reach?(timeoutMs: number): Promise<void>;

  // Stories and drafts
  createStory(content: StoryContent, by: Actor, now?: Date): Promise<Story>;
  getStory(id: string): Promise<Story | null>;
  /** Replaces the draft when `expectRevision` is the current revision; ConflictError otherwise. */
  updateDraft(id: string, expectRevision: number, content: StoryContent, by: Actor, now?: Date): Promise<Story>;
  /** Puts the draft in the review queue (`submitted`) or takes it out (`writing`); the draft is unchanged. */
  setWorkflow(id: string, workflow: StoryWorkflow, by: Actor, now?: Date): Promise<Story>;
  listStories(filter: StoryListFilter): Promise<Story[]>;
  /** The desk's story list (light rows, no draft text), one index range per filter combination. */
  storyList(query: StoryListQuery, now?: Date): Promise<StoryListPage>;
  /** Every story of a translation group, oldest first. */
  translations(groupId: string): Promise<StoryListing[]>;
  /** The wire monitor: log events newest first with their version's headline and who did it. */
  wire(query: WireQuery, now?: Date): Promise<WirePage>;
  countStories(): Promise<number>;

  // Versions and the flow log
  /** Freezes a version and appends its event in one durable transaction. */
  appendVersion(v: NewVersion, now?: Date): Promise<FlowItem>;
  getVersion(storyId: string, version: number): Promise<StoryVersion | null>;
  listVersions(storyId: string): Promise<StoryVersion[]>;
  /** Versions newest first with who published them (the audit page), one index range per filter. */
  versionActs(q: VersionActQuery): Promise<VersionAct[]>;
  /** Appends an `embargo-lifted` event for the story's latest version, once (by newsflow unless `by` says). Null if already lifted. */
  liftEmbargo(storyId: string, now?: Date, by?: Actor): Promise<FlowItem | null>;
  /** Stories whose latest version's embargo has passed and has not been lifted yet. */
  dueEmbargoes(now: Date): Promise<string[]>;
  /**
   * Bulk import of already-published stories, in one transaction per call. Returns the events appended.
   * With deferIndex the search index is left for one `search.reindex()` after the whole load, which
   * also counts the archive's vocabulary before any story is stemmed. `by` (default newsflow) is recorded
   * as who created and published each story.
   */
  importPublished(items: ImportedStory[], opts?: { deferIndex?: boolean; by?: Actor }): Promise<FlowEvent[]>;
  /** Events after a position, oldest first, with their versions. */
  readLog(read: LogRead): Promise<FlowItem[]>;
  /** The highest sequence number in the log (0 when empty). */
  headSeq(): Promise<number>;
  /** The lowest sequence number still kept (1 when nothing was pruned). */
  oldestSeq(): Promise<number>;

  // API keys
  /** Stores a key's hash and metadata. */
  createKey(k: { id: string; hash: string; prefix: string; role: Role; subscriberId?: string | null; label?: string | null }): Promise<ApiKey>;
  /** The live (unrevoked) key with this hash. */
  findKeyByHash(hash: string): Promise<ApiKey | null>;
  listKeys(filter?: { subscriberId?: string }): Promise<ApiKey[]>;
  revokeKey(id: string, now?: Date): Promise<ApiKey>;
  /** Records use of a key (cheap; callers may throttle). */
  touchKey(id: string, now?: Date): Promise<void>;
}
