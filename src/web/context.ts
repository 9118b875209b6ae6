// What every page renderer needs besides its data: where the site lives and which assets to link.
import type { Budget } from './abbreviate.ts';
import type { SiteCategory } from '../model/site.ts';
import type { Lang } from './i18n.ts';

export interface SiteContext {
  /** Public origin, e.g. `https://news.example.org` (absolute links in canonicals, feeds, JSON-LD). */
  base: string;
  budget: Budget;
  /** Versioned asset URLs (the content hash is in the query so they can be cached forever). */
  assets: { css: string; live: string; logo: string };
  /** Widest photo rendition the site shows (NEWSFLOW_MEDIA_PUBLIC_MAX_WIDTH; 800 when not given). */
  mediaMaxWidth?: number;
}

export interface PageChrome {
  lang: Lang;
  /** The edition's sections for the navigation bar. */
  sections: SiteCategory[];
  /** Slug of the section being shown, marked aria-current. */
  currentSection?: string;
  /** The edition's home page (marks "Home" in the navigation). */
  isHome?: boolean;
  /** Where the same page is in the other editions (the language switcher); home pages by default. */
  languageLinks?: Partial<Record<Lang, string>>;
}
