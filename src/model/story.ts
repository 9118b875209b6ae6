// The story model: everything a wire story carries. Plain data, no behaviour, shared by every layer.
// The seed story in ../shared/seed is the reference for what each field has to hold.
import type { Actor } from './actor.ts';

/** One block of a story body. Bodies are structured, never raw HTML: formats render them. */
export type Block =
  | { type: 'paragraph'; text: string }
  | { type: 'subheading'; text: string }
  | { type: 'quote'; text: string; attribution?: string }
  | { type: 'list'; ordered: boolean; items: string[] };

/** A person credited on the story, with their name as written in other scripts (`{ar: 'ياقوت دندشي'}`). */
export interface Person {
  name: string;
  /** Spellings of the name per language or script tag, e.g. `{ ar: '…', tr: '…' }`. */
  names?: Record<string, string>;
  /** `author`, `reporter`, `photographer`, `editor`, `translator` … */
  role?: string;
}

/** Where and by whom the story was filed: the seed's `إسطنبول / ياقوت دندشي / الأناضول`. */
export interface Dateline {
  /** The place as written in the story's language (`إسطنبول`). */
  place?: string;
  /** The place in other languages or scripts (`{ tr: 'İstanbul' }`). */
  placeNames?: Record<string, string>;
  reporter?: string;
  agency?: string;
}

export interface Photo {
  /** Where the image lives (absolute URL or a path under the app). */
  url: string;
  caption?: string;
  credit?: string;
  /** Alternative text for readers who cannot see the image; defaults to the caption. */
  altText?: string;
  width?: number;
  height?: number;
  mimeType?: string;
  /** The uploaded media asset this photo is (`POST /v1/media`); the newsroom fills in the rest at publish. */
  mediaId?: string;
  /** The asset's renditions, frozen into the version at publish (API paths; formats make them absolute). */
  renditions?: PhotoRendition[];
}

/** One rendition of a photo as a story carries it. */
export interface PhotoRendition {
  name: string;
  href: string;
  width: number | null;
  height: number | null;
  contentType: string;
  sizeInBytes: number;
}

/** Where a story came from: the original page, IDs in other systems, the feed it was imported from. */
export interface Provenance {
  sourceUrl?: string;
  /** Name of the source the story was imported from (`alarabiya`, `anadolu`, …). */
  source?: string;
  /** IDs of the same story in other systems: `{ 'ant': 'ant-123' }`. */
  originalIds?: Record<string, string>;
}

/** IPTC urgency 1 (highest) … 9 (lowest), with the agency's names for the first six. */
export type Urgency = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

export type MediaType = 'text' | 'photo' | 'video' | 'audio' | 'graphic';

/** The editable content of a story: what a draft holds and what a published version freezes. */
export interface StoryContent {
  /** BCP 47 language tag (`ar`, `tr`, `en-GB`). */
  language: string;
  headline: string;
  /** The one-sentence summary under the headline. */
  deck?: string;
  body: Block[];
  byline: Person[];
  dateline?: Dateline;
  categories: string[];
  keywords: string[];
  /** Hashtags without the leading `#` (`أنقذوا_الأسرى`); those written in the body are added on publish. */
  hashtags: string[];
  photos: Photo[];
  urgency: Urgency;
  /** ISO 8601 instant before which subscribers without embargo rights must not get the story. */
  embargoUntil?: string | null;
  mediaType: MediaType;
  /** Free text slug used by editors (`PRISONERS-SOLIDARITY`). */
  slugline?: string;
  provenance?: Provenance;
  /** Chain id of a story this one translates; it joins that story's translation group. */
  translationOf?: string;
  /** The newsroom desk that owns the story (`world`, `economy`); for the desk's lists, never sent to subscribers. */
  desk?: string;
}

export type StoryStatus = 'draft' | 'published' | 'killed';

/** Where the working draft stands in the review queue: being written, or waiting for an editor. */
export type StoryWorkflow = 'writing' | 'submitted';

/** The desk's story lists: a story's status, with drafts in review and live embargoes told apart. */
export type StoryListStatus = 'draft' | 'submitted' | 'published' | 'embargoed' | 'killed';

/** A story as the newsroom sees it: the chain, its working draft and where it stands. */
export interface Story {
  /** Stable chain id, shared by all versions. */
  id: string;
  status: StoryStatus;
  /** Increases on every draft edit; PATCH must name it (optimistic concurrency). */
  revision: number;
  /** The working draft (after publish, the next edit starts from the published content). */
  draft: StoryContent;
  /** Number of the latest published version, 0 when never published. */
  latestVersion: number;
  /** Group shared by translations of the same story (the chain id of the first of them). */
  translationGroup: string;
  createdAt: string;
  updatedAt: string;
  firstPublishedAt?: string | null;
  /** Who created the story. */
  createdBy: Actor;
  /** Who last saved the draft or published it: whom an editor in a conflict is told saved first. */
  updatedBy: Actor;
  /** `submitted` while the draft waits in the editors' review queue; publishing clears it. */
  workflow: StoryWorkflow;
  submittedAt: string | null;
  submittedBy: Actor | null;
}

/** One row of the desk's story list: what the list shows, without the draft's text. */
export interface StoryListing {
  id: string;
  /** The list status: `submitted` and `embargoed` are told apart from `draft` and `published`. */
  listStatus: StoryListStatus;
  status: StoryStatus;
  workflow: StoryWorkflow;
  headline: string;
  language: string;
  desk: string | null;
  urgency: Urgency;
  latestVersion: number;
  translationGroup: string;
  embargoUntil: string | null;
  createdAt: string;
  updatedAt: string;
  createdBy: Actor;
  updatedBy: Actor;
  submittedBy: Actor | null;
}

export type EventKind = 'published' | 'updated' | 'corrected' | 'killed' | 'embargo-lifted';

/** An immutable published version of a story. */
export interface StoryVersion {
  storyId: string;
  /** 1, 2, 3 … within the chain. */
  version: number;
  /** Globally unique id of this version. */
  revisionId: string;
  /** What this version was: the event that created it. */
  kind: Exclude<EventKind, 'embargo-lifted'>;
  /** `usable` for live versions, `canceled` once killed. */
  pubStatus: 'usable' | 'canceled';
  content: StoryContent;
  /** Public correction note, on `corrected` versions. */
  correctionNote?: string | null;
  /** Why the story was withdrawn, on `killed` versions. */
  killReason?: string | null;
  translationGroup: string;
  firstPublishedAt: string;
  /** When this version was published (commit time). */
  versionCreatedAt: string;
  /** Who published it (staff only: subscriber formats leave it out). */
  by: Actor;
}

/** One entry of the flow log. Routing columns are copied from the version so filters never join. */
export interface FlowEvent {
  seq: number;
  kind: EventKind;
  storyId: string;
  version: number;
  at: string;
  language: string;
  categories: string[];
  urgency: Urgency;
  mediaType: MediaType;
  embargoUntil: string | null;
  /** Who did it: the user or key, or newsflow for scheduled embargo lifts (staff only). */
  by: Actor;
}

/** One line of the wire monitor: an event with what the desk shows of its version. */
export interface WireEntry {
  event: FlowEvent;
  headline: string;
  /** True while the version is under an embargo that has not been lifted. */
  embargoed: boolean;
}

/** An event together with the version it carries, as delivery channels hand it out. */
export interface FlowItem {
  event: FlowEvent;
  version: StoryVersion;
}

export const URGENCY_NAMES: Record<number, string> = {
  1: 'flash',
  2: 'urgent',
  3: 'important',
  4: 'routine',
  5: 'special',
  6: 'archive',
};

/** Languages written right to left (primary subtag). */
const RTL_LANGUAGES = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'ckb', 'dv', 'yi', 'sd', 'ug']);

/** `rtl` for Arabic and the other right-to-left languages, `ltr` otherwise. */
export function directionOf(language: string): 'rtl' | 'ltr' {
  return RTL_LANGUAGES.has(language.split('-')[0].toLowerCase()) ? 'rtl' : 'ltr';
}

/** Plain text of a body block, for search, word counts and plain-text formats. */
export function blockText(block: Block): string {
  return block.type === 'list' ? block.items.join('\n') : block.text;
}

/** The whole body as plain text, one block a paragraph. */
export function bodyText(body: Block[]): string {
  return body.map(blockText).join('\n\n');
}

/** An empty content with defaults, to build on. */
export function emptyContent(language = 'en'): StoryContent {
  return {
    language,
    headline: '',
    body: [],
    byline: [],
    categories: [],
    keywords: [],
    hashtags: [],
    photos: [],
    urgency: 4,
    mediaType: 'text',
  };
}
