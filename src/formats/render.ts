// One entry point from (version, format) to bytes, so every endpoint and the flow's per-(version, format)
// cache format the same way.
import type { StoryVersion } from '../model/story.ts';
import { toAtom, type AtomFeedInfo, type AtomOptions } from './atom.ts';
import { storyToHtml, storyToText } from './html-body.ts';
import { OUTPUT_FORMATS, type OutputFormat } from './negotiate.ts';
import { toNewsML } from './newsml.ts';
import { toNinjs3 } from './ninjs.ts';
import { toNinjs2 } from './ninjs2.ts';

export interface Rendered {
  contentType: string;
  body: string;
}

export interface RenderOptions {
  baseUrl: string;
  providerName?: string;
}

/** One version in a single-item format. Atom is a list format: use renderList. */
export function renderVersion(format: Exclude<OutputFormat, 'atom'>, v: StoryVersion, opts: RenderOptions): Rendered {
  const contentType = OUTPUT_FORMATS[format].contentType;
  switch (format) {
    case 'json':
      return { contentType, body: JSON.stringify(v) };
    case 'ninjs':
      return { contentType, body: JSON.stringify(toNinjs3(v, opts)) };
    case 'ninjs2':
      return { contentType, body: JSON.stringify(toNinjs2(v, opts)) };
    case 'newsml':
      return { contentType, body: toNewsML(v, opts) };
    case 'html':
      return { contentType, body: storyToHtml(v) };
    case 'text':
      return { contentType, body: storyToText(v) };
  }
}

/**
 * A list of versions: Atom as a feed, ninjs as a JSON array. NewsML-G2 lists are left out on purpose:
 * a sequence of newsItems is not one XML document (a newsMessage envelope would be needed), so list
 * endpoints offer newsml one item per entry of the flow, not here.
 */
export function renderList(
  format: 'atom' | 'ninjs' | 'ninjs2' | 'json',
  versions: StoryVersion[],
  opts: RenderOptions & { feed?: AtomFeedInfo; atom?: AtomOptions },
): Rendered {
  const contentType = OUTPUT_FORMATS[format].contentType;
  if (format === 'atom') {
    if (!opts.feed) throw new Error('renderList(atom) needs feed info');
    return { contentType, body: toAtom(opts.feed, versions, { baseUrl: opts.baseUrl, ...opts.atom }) };
  }
  if (format === 'json') return { contentType, body: JSON.stringify(versions) };
  const one = format === 'ninjs' ? toNinjs3 : toNinjs2;
  return { contentType, body: JSON.stringify(versions.map((v) => one(v, opts))) };
}
