// Every public URL of the site is built here, so links, canonicals, feeds and sitemaps always agree.
import type { SiteSummary } from '../model/site.ts';
import { editionOf, type Lang } from './i18n.ts';

const seg = (s: string) => encodeURIComponent(s);

export const urls = {
  home: (lang: Lang) => `/${lang}/`,
  story: (s: Pick<SiteSummary, 'language' | 'slug' | 'id'>) => `/${editionOf(s.language)}/${seg(s.slug)}/${s.id}`,
  category: (lang: Lang, slug: string) => `/${lang}/category/${seg(slug)}`,
  search: (lang: Lang, q?: string, page = 1) => `/search?lang=${lang}${q ? `&q=${seg(q)}` : ''}${page > 1 ? `&page=${page}` : ''}`,
  subscribe: (lang: Lang) => `/subscribe?lang=${lang}`,
  feed: (lang: Lang) => `/feeds/${lang}.atom`,
  categoryFeed: (lang: Lang, slug: string) => `/feeds/${lang}/${seg(slug)}.atom`,
  stream: (lang: Lang) => `/public/stream?lang=${lang}`,
};

/** `path` on the site's public origin (canonical links, feeds, sitemaps, JSON-LD need absolute URLs). */
export function absolute(base: string, path: string): string {
  return /^https?:\/\//i.test(path) ? path : base.replace(/\/+$/, '') + path;
}
