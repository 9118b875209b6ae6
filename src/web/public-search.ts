// The public site's search matches only what a public page shows: headline, deck, the abbreviated part
// of the body (per the site's budget), byline, dateline, categories and hashtags. The full-text index
// covers whole bodies (subscribers search those), so it only proposes candidates here: the best
// CANDIDATES of them are abbreviated exactly as their pages are and indexed in a scratch index of
// their own, and the query is answered from that. Text a page does not show can never make a story
// match, rank or count, whatever the query (phrases included), and a change of NEWSFLOW_SITE_BUDGET
// applies to the next search, as it does to the next page.
import Database from 'better-sqlite3';
import type { StoryVersion } from '../model/story.ts';
import { loadLexicon } from '../search/lexicon.ts';
import { SearchIndex } from '../search/index.ts';
import type { StoreSearch } from '../model/search.ts';
import type { SiteStore } from '../model/site.ts';
import { abbreviate, type Budget } from './abbreviate.ts';

/**
 * How many of the full index's best matches are judged on their public text (the index's largest page).
 * A match only in the hidden part ranks like any other there, so a query whose public matches all rank
 * below this many hidden-only ones finds fewer than it might; the public part (headline, deck, lead)
 * usually ranks high. About 100 ms for a full set of candidates.
 */
export const CANDIDATES = 200;

export interface PublicHits {
  ids: string[];
  total: number;
}

let lexicon: ReturnType<typeof loadLexicon> | null = null;

/** The version reduced to what its public page shows, in the shape the index reads. */
export function publicVersion(v: StoryVersion, budget: Budget): StoryVersion {
  const shown = abbreviate(v, { budget });
  return {
    ...v,
    content: {
      ...v.content,
      deck: shown.deck ?? undefined,
      body: shown.blocks,
      // Keywords are newsroom metadata the page does not print; hashtags are printed.
      keywords: [],
      hashtags: shown.hashtags,
    },
  };
}

/**
 * One page of public matches. `publicOf` says which candidates the site shows now (not killed, not
 * under embargo); the others are never indexed. Throws QuerySyntaxError on a bad query.
 */
export async function searchPublic(
  index: Pick<StoreSearch, 'query' | 'embargoedStoryIds'>,
  site: SiteStore,
  budget: Budget,
  q: { text: string; lang: string; limit: number; offset: number; now: Date },
  publicOf: (ids: string[]) => Promise<Set<string>>,
): Promise<PublicHits> {
  const embargoed = await index.embargoedStoryIds(q.now);
  const candidates = await index.query(q.text, { lang: q.lang, allowed: (d) => !embargoed.has(d.storyId), limit: CANDIDATES });
  if (!candidates.hits.length) return { ids: [], total: 0 };
  lexicon ??= loadLexicon();
  const scratch = new Database(':memory:');
  try {
    const shown = new SearchIndex(scratch, { synonyms: lexicon.synonyms, protectedNames: lexicon.protectedNames });
    const shownNow = await publicOf(candidates.hits.map((h) => h.storyId));
    const versions: StoryVersion[] = [];
    for (const hit of candidates.hits) {
      if (!shownNow.has(hit.storyId)) continue;
      const found = await site.story(hit.storyId);
      if (found && found.version.kind !== 'killed') versions.push(publicVersion(found.version, budget));
    }
    scratch.transaction(() => {
      for (const v of versions) shown.indexVersion(v);
    })();
    const result = shown.search(q.text, { lang: q.lang, limit: q.limit, offset: q.offset });
    return { ids: result.hits.map((h) => h.storyId), total: result.total };
  } finally {
    scratch.close();
  }
}
