// How much of a story the public site shows (NEWSFLOW_SITE_BUDGET): parsed here, with the bounds an
// operator may choose within, so the configuration can check it without loading the site.
import { DEFAULT_BUDGET, type Budget } from './abbreviate.ts';

/** Bounds for NEWSFLOW_SITE_BUDGET: a public part of 1–20 paragraphs and 10–1000 words. */
const BUDGET_LIMITS = { paragraphs: [1, 20], words: [10, 1000] } as const;

/** Parses `paragraphs=2,words=80` (either key may be left out and keeps its default); null when it is not that. */
export function parseBudget(text: string): Budget | null {
  const out: Budget = { ...DEFAULT_BUDGET };
  const seen = new Set<string>();
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) return null;
  for (const part of parts) {
    const m = /^(paragraphs|words)\s*=\s*(\d{1,5})$/.exec(part);
    if (!m || seen.has(m[1])) return null;
    const key = m[1] as keyof Budget;
    const n = Number(m[2]);
    const [lo, hi] = BUDGET_LIMITS[key];
    if (n < lo || n > hi) return null;
    seen.add(key);
    out[key] = n;
  }
  return out;
}

/** The abbreviation budget from NEWSFLOW_SITE_BUDGET; the default (and a warning) when it is unset or garbage. */
export function budgetFromEnv(value: string | undefined, warn: (msg: string) => void): Budget {
  if (value === undefined || value.trim() === '') return DEFAULT_BUDGET;
  const b = parseBudget(value);
  if (b) return b;
  warn(
    `NEWSFLOW_SITE_BUDGET=${JSON.stringify(value.slice(0, 100))} is not like "paragraphs=2,words=80" ` +
      `(paragraphs ${BUDGET_LIMITS.paragraphs.join('–')}, words ${BUDGET_LIMITS.words.join('–')}); ` +
      `using the default paragraphs=${DEFAULT_BUDGET.paragraphs},words=${DEFAULT_BUDGET.words}`,
  );
  return DEFAULT_BUDGET;
}
