// Categories → IPTC codes, from the project's own editable table (subject-map.json). The IPTC taxonomy
// itself is not loaded at runtime: the table is small, reviewed by editors, and tests check its codes
// against the IPTC export.
import { readFileSync } from 'node:fs';

export interface Code {
  /** `medtop:11000000`, `genre:Feature`. */
  qcode: string;
  /** IPTC's English label. */
  label: string;
}

export const MEDTOP_BASE = 'http://cv.iptc.org/newscodes/mediatopic/';
export const GENRE_BASE = 'http://cv.iptc.org/newscodes/genre/';

interface SubjectMap {
  topics: Record<string, Code>;
  genres: Record<string, Code>;
}

const map = JSON.parse(readFileSync(new URL('./subject-map.json', import.meta.url), 'utf8')) as SubjectMap;

// Lookups also by a case-folded key, so `sport`/`Sport`/`SPORT` from different feeds meet.
const fold = (s: string) => s.normalize('NFC').trim().toLocaleLowerCase('und');
const topicsFolded = new Map(Object.entries(map.topics).map(([k, v]) => [fold(k), v]));
const genresFolded = new Map(Object.entries(map.genres).map(([k, v]) => [fold(k), v]));

export function topicFor(category: string): Code | undefined {
  return map.topics[category] ?? topicsFolded.get(fold(category));
}

export function genreFor(category: string): Code | undefined {
  return map.genres[category] ?? genresFolded.get(fold(category));
}

/** `medtop:11000000` → `http://cv.iptc.org/newscodes/mediatopic/11000000` (ninjs wants URIs, G2 qcodes). */
export function qcodeToUri(qcode: string): string {
  const [scheme, code] = qcode.split(':');
  if (scheme === 'medtop') return MEDTOP_BASE + code;
  if (scheme === 'genre') return GENRE_BASE + code;
  throw new Error(`no URI base for scheme ${scheme}`);
}

/** The reverse of qcodeToUri for the two schemes used here; undefined for anything else. */
export function uriToQcode(uri: string): string | undefined {
  if (uri.startsWith(MEDTOP_BASE)) return 'medtop:' + uri.slice(MEDTOP_BASE.length);
  if (uri.startsWith(GENRE_BASE)) return 'genre:' + uri.slice(GENRE_BASE.length);
  return undefined;
}

/** Every entry of the table, for tests and for an admin view of the mapping. */
export function subjectTable(): SubjectMap {
  return map;
}
