// Spelling variants that no folding rule can reach (ترامب/ترمب, أمريكية/أميركية) and names with two
// customary forms (داعش / تنظيم الدولة). Applied at query time, so editing the table needs no reindex.

/** Each group lists forms that mean the same thing; a form may be several words. */
export const DEFAULT_SYNONYMS: readonly (readonly string[])[] = [
  ['ترامب', 'ترمب'],
  ['الأمريكية', 'الأميركية'],
  ['الأمريكي', 'الأميركي'],
  ['أمريكا', 'أميركا'],
  ['الأمريكيين', 'الأميركيين'],
  ['سوريا', 'سورية'],
  ['داعش', 'تنظيم الدولة'],
  ['بوتين', 'بوتن'],
  ['نتنياهو', 'نتانياهو'],
  ['أوروبا', 'أوربا'],
  ['الأوروبي', 'الأوربي'],
  ['فيسبوك', 'فيس بوك'],
];

/**
 * Variant lookup over stem sequences. The caller supplies the stemmer so the table is built with the
 * same analysis as the index and stays independent of it.
 */
export class SynonymTable {
  private readonly byKey = new Map<string, string[][]>();

  constructor(groups: readonly (readonly string[])[], stems: (form: string) => string[]) {
    for (const group of groups) {
      const forms = group.map(stems).filter((s) => s.length > 0);
      for (const form of forms) {
        const key = form.join(' ');
        const others = forms.filter((f) => f.join(' ') !== key);
        const known = this.byKey.get(key) ?? [];
        for (const o of others) if (!known.some((k) => k.join(' ') === o.join(' '))) known.push(o);
        if (known.length) this.byKey.set(key, known);
      }
    }
  }

  /** Other stem sequences meaning the same as this one (empty when none). */
  variants(stems: string[]): string[][] {
    return this.byKey.get(stems.join(' ')) ?? [];
  }

  /** Longest multi-word form in the table, so a query compiler knows how far to look ahead. */
  get maxWords(): number {
    let max = 1;
    for (const k of this.byKey.keys()) max = Math.max(max, k.split(' ').length);
    return max;
  }
}
