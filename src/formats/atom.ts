// Atom (RFC 4287) feeds of story versions. Written with the same escaping writer as NewsML-G2 rather
// than the `feed` package: entries need per-entry xml:lang, XHTML content with dir="rtl", IPTC
// category schemes and caller-controlled content (the public site sends abbreviated entries), which
// `feed` does not expose.
//
// Entry identity: atom:id is the chain URI, so a correction or kill replaces the entry a reader
// already has (same id, newer updated), as RFC 4287 §4.2.6 intends.
import type { StoryVersion } from '../model/story.ts';
import { directionOf } from '../model/story.ts';
import { blocksToHtml, escapeXml as e, photosToHtml, XHTML_NS } from './html-body.ts';
import { MEDTOP_BASE, genreFor, topicFor, GENRE_BASE } from './mediatopics.ts';
import { absoluteUrl, storyUri } from './ninjs.ts';

export const ATOM_MEDIA_TYPE = 'application/atom+xml';
export const ATOM_NS = 'http://www.w3.org/2005/Atom';

export interface AtomFeedInfo {
  /** Permanent IRI of the feed. */
  id: string;
  title: string;
  /** The feed's own URL (rel="self"); also used as base for entry links when no baseUrl is given. */
  link: string;
  /** RFC 3339 instant; defaults to the newest entry's versionCreatedAt. */
  updated?: string;
  language?: string;
  /** Feed-level author, used for entries without a byline. */
  author?: string;
  /** Optional human-readable page of the feed (rel="alternate"). */
  alternate?: string;
}

export interface AtomOptions {
  /** Base URL for entry ids and relative photo paths (defaults to the origin of feed.link). */
  baseUrl?: string;
  /** When given, entries carry this text as `<summary>` and no full content (public site). */
  abbreviated?: (v: StoryVersion) => string;
  /** Where an entry links to (rel="alternate"); defaults to the story URI. */
  entryLink?: (v: StoryVersion) => string;
}

/** An Atom feed document of the given versions (newest first is the caller's choice of order). */
export function toAtom(feed: AtomFeedInfo, entries: StoryVersion[], opts: AtomOptions = {}): string {
  const baseUrl = opts.baseUrl ?? new URL(feed.link).origin;
  // ISO 8601 times in UTC sort as text: the latest is the greatest string (Math.max would read numbers).
  const latest = entries
    .map((v) => v.versionCreatedAt)
    .sort()
    .at(-1);
  const updated = feed.updated ?? latest ?? '1970-01-01T00:00:00Z';
  let x = '<?xml version="1.0" encoding="UTF-8"?>\n';
  x += `<feed xmlns="${ATOM_NS}"${feed.language ? ` xml:lang="${e(feed.language)}"` : ''}>`;
  x += `<id>${e(feed.id)}</id><title>${e(feed.title)}</title><updated>${e(updated)}</updated>`;
  x += `<link rel="self" type="${ATOM_MEDIA_TYPE}" href="${e(feed.link)}"/>`;
  if (feed.alternate) x += `<link rel="alternate" type="text/html" href="${e(feed.alternate)}"/>`;
  x += `<author><name>${e(feed.author ?? 'newsflow')}</name></author>`;
  x += `<generator>newsflow</generator>`;
  for (const v of entries) x += atomEntry(v, { ...opts, baseUrl });
  return x + '</feed>\n';
}

/** One `<entry>` element (no XML declaration), for feeds assembled elsewhere and for benchmarks. */
export function atomEntry(v: StoryVersion, opts: AtomOptions & { baseUrl: string }): string {
  const c = v.content;
  const id = storyUri(opts.baseUrl, v.storyId);
  let x = `<entry xml:lang="${e(c.language)}">`;
  x += `<id>${e(id)}</id><title type="text">${e(c.headline)}</title>`;
  x += `<updated>${e(v.versionCreatedAt)}</updated><published>${e(v.firstPublishedAt)}</published>`;
  for (const p of c.byline) x += `<author><name>${e(p.name)}</name></author>`;
  x += `<link rel="alternate" href="${e(opts.entryLink ? opts.entryLink(v) : id)}"/>`;
  for (const cat of c.categories) {
    const t = topicFor(cat);
    x += t ? `<category term="${e(t.qcode.slice(7))}" scheme="${MEDTOP_BASE}" label="${e(cat)}"/>` : `<category term="${e(cat)}"/>`;
    const g = genreFor(cat);
    if (g) x += `<category term="${e(g.qcode.slice(6))}" scheme="${GENRE_BASE}" label="${e(g.label)}"/>`;
  }
  const note = v.pubStatus === 'canceled' ? (v.killReason ?? 'withdrawn') : v.correctionNote;
  if (opts.abbreviated) {
    x += `<summary type="text">${e(opts.abbreviated(v))}</summary>`;
  } else {
    if (c.deck) x += `<summary type="text">${e(c.deck)}</summary>`;
    const dir = directionOf(c.language);
    const body = v.pubStatus === 'canceled' ? '' : photosToHtml(c.photos, (u) => absoluteUrl(u, opts.baseUrl)) + blocksToHtml(c.body);
    const noteHtml = note ? `<p class="${v.pubStatus === 'canceled' ? 'kill' : 'correction'}">${e(note)}</p>` : '';
    x += `<content type="xhtml"><div xmlns="${XHTML_NS}" dir="${dir}">${noteHtml}${body}</div></content>`;
  }
  return x + '</entry>';
}
