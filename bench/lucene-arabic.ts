// Benchmark peer, not product code: a re-implementation of Lucene's ArabicAnalyzer chain
// (StandardTokenizer → LowerCaseFilter → DecimalDigitFilter → StopFilter → ArabicNormalizationFilter →
// ArabicStemFilter), i.e. what Elasticsearch's `arabic` analyzer does. Written from the published
// algorithm (Larkey et al., light10) and Lucene's documented behaviour; no Lucene code is copied.

/** Stop words in the spirit of Lucene's default list (J. Savoy's CLEF list); applied before normalization, as Lucene does. */
const STOPWORDS = new Set(
  (
    'من ومن منها منه في وفي فيها فيه و ف ثم او أو ب بها به ا أ اى اي أي أى لا ولا الا ألا إلا لكن ما وما كما فما عن مع ' +
    'اذا إذا ان أن إن انها أنها إنها انه أنه إنه بان بأن فان فأن وان وأن وإن التى التي الذى الذي الذين الى الي إلى إلي ' +
    'على عليها عليه اما أما إما ايضا أيضا كل وكل لم ولم لن ولن هى هي هو وهى وهي وهو فهى فهي فهو انت أنت لك لها له هذه ' +
    'هذا تلك ذلك هناك كانت كان يكون تكون وكانت وكان غير بعض قد نحو بين بينما منذ ضمن حيث الان الآن خلال بعد قبل حتى ' +
    'عند عندما لدى جميع'
  ).split(' '),
);

const PREFIXES = ['ال', 'وال', 'بال', 'كال', 'فال', 'لل', 'و'];
const SUFFIXES = ['ها', 'ان', 'ات', 'ون', 'ين', 'يه', 'ية', 'ه', 'ة', 'ي'];

/** ArabicNormalizer: alef forms, dotless yeh, teh marbuta, tatweel and the eight harakat. Nothing else. */
export function luceneNormalize(s: string): string {
  let out = '';
  for (const ch of s) {
    switch (ch) {
      case '\u0622':
      case '\u0623':
      case '\u0625':
        out += '\u0627';
        break;
      case '\u0649':
        out += '\u064a';
        break;
      case '\u0629':
        out += '\u0647';
        break;
      case '\u0640':
      case '\u064b':
      case '\u064c':
      case '\u064d':
      case '\u064e':
      case '\u064f':
      case '\u0650':
      case '\u0651':
      case '\u0652':
        break;
      default:
        out += ch;
    }
  }
  return out;
}

/** ArabicStemmer (light10): first matching prefix (و needs ≥ 4 letters, others leave ≥ 2), then every matching suffix. */
export function luceneStem(s: string): string {
  let w = s;
  for (const p of PREFIXES) {
    if (p.length === 1 && w.length < 4) continue;
    if (w.length < p.length + 2) continue;
    if (w.startsWith(p)) {
      w = w.slice(p.length);
      break;
    }
  }
  for (const suf of SUFFIXES) {
    if (w.length >= suf.length + 2 && w.endsWith(suf)) w = w.slice(0, -suf.length);
  }
  return w;
}

/** DecimalDigitFilter: any Unicode decimal digit to ASCII. */
function decimalDigits(s: string): string {
  return s.replace(/\p{Nd}/gu, (d) => {
    const c = d.codePointAt(0)!;
    for (const zero of [0x0660, 0x06f0, 0x0966, 0x09e6, 0xff10]) if (c >= zero && c <= zero + 9) return String(c - zero);
    return d;
  });
}

/**
 * UAX#29 words, as StandardTokenizer cuts Arabic: letters, marks and digits; format characters (RLM,
 * ZWNJ) attach to the preceding character and so stay inside the token, un-normalized.
 */
const WORD = /[\p{L}\p{M}\p{Nd}][\p{L}\p{M}\p{Nd}\p{Cf}]*/gu;

export function luceneArabicAnalyze(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) {
    const t = decimalDigits(m[0].toLowerCase());
    if (STOPWORDS.has(t)) continue;
    const s = luceneStem(luceneNormalize(t));
    if (s) out.push(s);
  }
  return out;
}
