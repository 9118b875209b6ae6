// The search lexicon an agency edits without touching code: spelling-variant groups (synonyms) and
// names that must never be stemmed, read from the JSON file named by NEWSFLOW_SEARCH_LEXICON and
// added to the built-in lists. Synonyms apply at query time; a new protected name changes how text is
// indexed, so it takes full effect after `newsflow reindex`.
import { readFileSync } from 'node:fs';
import { DEFAULT_SYNONYMS, PROTECTED_NAMES, ProtectedNames } from '../text/index.ts';

export interface Lexicon {
  synonyms: (readonly string[])[];
  protectedNames: ProtectedNames;
}

/** The lexicon file's shape: `{ "synonyms": [["ترامب", "ترمب"], …], "protectedNames": ["عمان", …] }`. */
interface LexiconFile {
  synonyms?: unknown;
  protectedNames?: unknown;
}

const isWords = (x: unknown): x is string[] => Array.isArray(x) && x.every((w) => typeof w === 'string' && w.trim() !== '');

/** The built-in lists plus the file's; throws with a clear message when the file is malformed. */
export function loadLexicon(file?: string | null): Lexicon {
  const synonyms: (readonly string[])[] = [...DEFAULT_SYNONYMS];
  const names: string[] = [...PROTECTED_NAMES];
  if (file) {
    let doc: LexiconFile;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8')) as LexiconFile;
    } catch (e) {
      throw new Error(`NEWSFLOW_SEARCH_LEXICON: cannot read ${file} as JSON: ${(e as Error).message}`);
    }
    if (doc.synonyms !== undefined) {
      if (!Array.isArray(doc.synonyms) || !doc.synonyms.every((g) => isWords(g) && g.length >= 2)) {
        throw new Error(`NEWSFLOW_SEARCH_LEXICON: "synonyms" must be a list of groups of at least two words, in ${file}`);
      }
      synonyms.push(...(doc.synonyms as string[][]));
    }
    if (doc.protectedNames !== undefined) {
      if (!isWords(doc.protectedNames)) throw new Error(`NEWSFLOW_SEARCH_LEXICON: "protectedNames" must be a list of words, in ${file}`);
      names.push(...doc.protectedNames);
    }
  }
  return { synonyms, protectedNames: new ProtectedNames(names) };
}
