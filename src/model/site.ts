// Read queries of the public website, and the leads its subscribe form collects. Only what a public
// page may show is here: list rows carry no body text at all, and the one method that returns a full
// version (`story`) is used by the story page, which abbreviates before rendering.
import type { StoryVersion, Urgency } from './story.ts';

export interface SiteCategory {
  name: string;
  slug: string;
}

/** One story as list pages, feeds and sitemaps show it. */
export interface SiteSummary {
  id: string;
  language: string;
  version: number;
  headline: string;
  slug: string;
  deck: string | null;
  urgency: Urgency;
  publishedAt: string;
  /** `YYYY-MM-DD` when the source gave only a date (then publishedAt is that date's midnight). */
  publishedDate?: string | null;
  updatedAt: string;
  translationGroup: string;
  categories: SiteCategory[];
  /** A small public rendition (srcset and size when the photo was uploaded), never an original. */
  photo: { url: string; alt: string; srcset?: string | null; width?: number | null; height?: number | null } | null;
  /** Set while the embargo holds; the site shows nothing of the story until it passes. */
  embargoUntil: string | null;
  killed: boolean;
}

/** A page of a newest-first list; `before` continues it. */
export interface SiteListQuery {
  language?: string;
  /** Category slug (needs `language`). */
  category?: string;
  limit: number;
  /** Continue after this story (its id; the store finds its position). */
  before?: string;
  /** Embargoes before this instant are over (defaults to now). */
  now?: Date;
}

export interface Lead {
  id: string;
  name: string;
  email: string;
  organisation: string | null;
  message: string | null;
  language: string;
  createdAt: string;
}

export type NewLead = Omit<Lead, 'id' | 'createdAt'>;

export interface SiteStore {
  /** Public (not killed, not embargoed) stories, newest first. */
  latest(q: SiteListQuery): Promise<SiteSummary[]>;
  /** A story's summary and its latest version, whatever its state (the caller decides what to show). */
  story(id: string): Promise<{ summary: SiteSummary; version: StoryVersion } | null>;
  /** Public members of a translation group. */
  translations(group: string, now?: Date): Promise<SiteSummary[]>;
  /** Categories of a language with their public story counts, largest first. */
  categories(language: string, limit?: number): Promise<(SiteCategory & { count: number })[]>;
  /** The public (not killed, not embargoed) stories among `ids`, in the order given; the others are left out.
   *  The site's search asks the full-text index, then shows only what this read model calls public. */
  publicSummaries(ids: string[], now?: Date): Promise<SiteSummary[]>;
  /** Public stories by most recent update, for sitemaps (offset paging over a stable order). */
  sitemap(offset: number, limit: number, now?: Date): Promise<SiteSummary[]>;
  /** Number of public stories. */
  countPublic(now?: Date): Promise<number>;
  /** The log position the read model reflects; equal to the store's head after any read. */
  position(): Promise<number>;
  insertLead(lead: NewLead, now?: Date): Promise<Lead>;
  listLeads(limit: number, before?: string): Promise<Lead[]>;
}
