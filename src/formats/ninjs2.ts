// ninjs 2.3 output: the 3.2 object with its keys spelled the 2.x way (ninjs-names.ts). 2.x input is
// renamed to 3.x names in ninjs.ts before the one shared reader maps it.
import type { StoryVersion } from '../model/story.ts';
import { buildNinjs, type NinjsOptions } from './ninjs.ts';
import { ninjs3To2Names } from './ninjs-names.ts';

export const NINJS2_SCHEMA_URI = 'http://www.iptc.org/std/ninjs/ninjs-schema_2.3.json';

/** A story version as ninjs 2.3 (`application/ninjs+json; version=2.3`). */
export function toNinjs2(v: StoryVersion, opts: NinjsOptions): Record<string, unknown> {
  return ninjs3To2Names(buildNinjs(v, opts, '2.3'));
}
