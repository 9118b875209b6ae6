// IPTC ninjs ("News in JSON") out and in. 3.2 is the API default; 2.3 shares this builder (see ninjs2.ts).
//
// Mapping decisions (the model has more than ninjs has names for; each choice keeps the round trip lossless):
//  * uri = `<baseUrl>/stories/<chain id>` (stable across versions); `version` = the version number.
//  * headlines: role `main` = headline, role `subheadline` = deck.
//  * bodies: the same body twice, `text/html` (structured, read back first) and `text/plain`.
//  * people: one entry per byline person (rel = role). Spellings in other scripts are extra entries with
//    `literal: "alt:<lang>:<primary name>"`, because ninjs has no multilingual names.
//  * located = dateline place; places: the place (rel `located`) and its other spellings
//    (`literal: "alt:<lang>"`). The full dateline (`place / reporter / agency`) is a description, role `dateline`.
//  * subjects: one per category, name = the category as written, uri = its IPTC Media Topic if the
//    table maps it. genres: IPTC genre for categories the table maps to a genre (التقارير → Feature).
//  * keywords and hashtags: ninjs 3.2 and 2.3 have no `keywords` property (unknown top-level properties
//    are invalid), so they are subjects too, with rel `keyword` / `hashtag` (hashtag without the `#`).
//  * descriptions role `correction` / `kill` carry the public notes; edNote repeats them for editors.
//  * associations: photos (type picture) with one `original` rendition; caption and alt text as
//    descriptions, credit as `by`. Relative photo paths are made absolute against baseUrl.
//  * altIds: storyId, revisionId, translationGroup, translationOf, sourceUrl, `original:<system>` ids;
//    infoSources: the provenance source name.
import { readFileSync } from 'node:fs';
import ajv2020Module from 'ajv/dist/2020.js';
import ajvFormatsModule from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { MediaType, Person, Photo, StoryContent, StoryVersion, Urgency } from '../model/story.ts';
import { emptyContent } from '../model/story.ts';
import { FormatError, checkSize, type SchemaProblem } from './format-error.ts';
import { blocksToHtml, blocksToText, htmlToBody, textToBlocks, wordCount } from './html-body.ts';
import { genreFor, qcodeToUri, topicFor } from './mediatopics.ts';
import { ninjs2To3Names, NINJS2_ONLY_KEYS } from './ninjs-names.ts';

export const NINJS_MEDIA_TYPE = 'application/ninjs+json';
export const NINJS3_SCHEMA_URI = 'http://www.iptc.org/std/ninjs/ninjs-schema_3.2.json';

export interface NinjsOptions {
  /** Public base URL of this newsflow (`https://wire.example.org`), used for uris and relative photo paths. */
  baseUrl: string;
}

/** The chain URI every format uses as the item's identity (ninjs uri, G2 guid, Atom id). */
export function storyUri(baseUrl: string, storyId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/stories/${encodeURIComponent(storyId)}`;
}

/** Absolute, percent-encoded URL (schemas require RFC 3986 URIs, not IRIs). */
export function absoluteUrl(url: string, baseUrl: string): string {
  try {
    return new URL(url, baseUrl.replace(/\/*$/, '/')).href;
  } catch {
    return url;
  }
}

const TYPE_OUT: Record<MediaType, string> = { text: 'text', photo: 'picture', video: 'video', audio: 'audio', graphic: 'graphic' };
const TYPE_IN: Record<string, MediaType> = { text: 'text', picture: 'photo', video: 'video', audio: 'audio', graphic: 'graphic', composite: 'text' };

type Obj = Record<string, unknown>;

/** Shared builder: 3.x property names; `toNinjs2` renames them. */
export function buildNinjs(v: StoryVersion, opts: NinjsOptions, standardVersion: '3.2' | '2.3'): Obj {
  const c = v.content;
  const uri = storyUri(opts.baseUrl, v.storyId);
  const doc: Obj = {
    uri,
    standard: {
      name: 'ninjs',
      version: standardVersion,
      schema: standardVersion === '3.2' ? NINJS3_SCHEMA_URI : 'http://www.iptc.org/std/ninjs/ninjs-schema_2.3.json',
    },
    type: TYPE_OUT[c.mediaType] ?? 'text',
    representationType: 'full',
    version: String(v.version),
    firstCreated: v.firstPublishedAt,
    versionCreated: v.versionCreatedAt,
  };
  if (c.embargoUntil) doc.embargoedUntil = c.embargoUntil;
  doc.pubStatus = v.pubStatus;
  doc.urgency = c.urgency;
  doc.language = c.language;
  if (c.slugline) doc.slugline = c.slugline;
  const headlines: Obj[] = [{ role: 'main', value: c.headline }];
  if (c.deck) headlines.push({ role: 'subheadline', value: c.deck });
  doc.headlines = headlines;
  if (c.byline.length) {
    doc.by = c.byline.map((p) => p.name).join(', ');
    doc.people = peopleOut(c.byline);
  }
  const d = c.dateline;
  if (d?.place) doc.located = d.place;
  if (d?.place || d?.placeNames) {
    const places: Obj[] = [];
    if (d.place) places.push({ name: d.place, rel: 'located' });
    for (const [lang, name] of Object.entries(d.placeNames ?? {})) places.push({ name, rel: 'located', literal: `alt:${lang}` });
    doc.places = places;
  }
  const subjects: Obj[] = c.categories.map((cat) => {
    const t = topicFor(cat);
    return t ? { name: cat, uri: qcodeToUri(t.qcode) } : { name: cat };
  });
  for (const k of c.keywords) subjects.push({ name: k, rel: 'keyword' });
  for (const h of c.hashtags) subjects.push({ name: h, rel: 'hashtag' });
  if (subjects.length) doc.subjects = subjects;
  if (c.categories.length) {
    const genres: Obj[] = [];
    for (const cat of c.categories) {
      const g = genreFor(cat);
      if (g && !genres.some((x) => x.uri === qcodeToUri(g.qcode))) genres.push({ name: g.label, uri: qcodeToUri(g.qcode), literal: g.qcode });
    }
    if (genres.length) doc.genres = genres;
  }
  const descriptions: Obj[] = [];
  if (d && (d.place || d.reporter || d.agency)) descriptions.push({ role: 'dateline', value: [d.place ?? '', d.reporter ?? '', d.agency ?? ''].join(' / ') });
  if (v.correctionNote) descriptions.push({ role: 'correction', value: v.correctionNote });
  if (v.killReason) descriptions.push({ role: 'kill', value: v.killReason });
  if (descriptions.length) doc.descriptions = descriptions;
  if (v.pubStatus === 'canceled') doc.edNote = `KILL: withdrawn, do not use.${v.killReason ? ' ' + v.killReason : ''}`;
  else if (v.correctionNote) doc.edNote = `CORRECTION: ${v.correctionNote}`;
  if (c.body.length) {
    const text = blocksToText(c.body);
    const counts = { charCount: text.length, wordCount: wordCount(text) };
    doc.bodies = [
      { role: 'main', contentType: 'text/html', ...counts, value: blocksToHtml(c.body) },
      { role: 'main', contentType: 'text/plain', ...counts, value: text },
    ];
  }
  if (c.photos.length) doc.associations = c.photos.map((p, i) => photoOut(p, i, opts.baseUrl));
  // A photo story (the photo service): the item itself is the picture, its renditions at the top.
  if (c.mediaType !== 'text' && c.photos[0]?.renditions?.length) doc.renditions = renditionsOut(c.photos[0], opts.baseUrl);
  const altIds: Obj[] = [
    { role: 'storyId', value: v.storyId },
    { role: 'revisionId', value: v.revisionId },
    { role: 'translationGroup', value: v.translationGroup },
  ];
  if (c.translationOf) altIds.push({ role: 'translationOf', value: c.translationOf });
  const prov = c.provenance;
  if (prov?.sourceUrl) altIds.push({ role: 'sourceUrl', value: prov.sourceUrl });
  for (const [system, id] of Object.entries(prov?.originalIds ?? {})) altIds.push({ role: `original:${system}`, value: id });
  doc.altIds = altIds;
  if (prov?.source) doc.infoSources = [{ name: prov.source, role: 'source' }];
  return doc;
}

function peopleOut(byline: Person[]): Obj[] {
  const out: Obj[] = [];
  for (const p of byline) {
    const primary: Obj = { name: p.name };
    if (p.role) primary.rel = p.role;
    out.push(primary);
    for (const [lang, name] of Object.entries(p.names ?? {})) {
      const alt: Obj = { name };
      if (p.role) alt.rel = p.role;
      alt.literal = `alt:${lang}:${p.name}`;
      out.push(alt);
    }
  }
  return out;
}

function photoOut(p: Photo, i: number, baseUrl: string): Obj {
  const href = absoluteUrl(p.url, baseUrl);
  const a: Obj = { name: `photo-${i + 1}`, uri: href, type: 'picture' };
  if (p.credit) a.by = p.credit;
  const descriptions: Obj[] = [];
  if (p.caption) descriptions.push({ role: 'caption', value: p.caption });
  if (p.altText) descriptions.push({ role: 'alt', value: p.altText });
  if (descriptions.length) a.descriptions = descriptions;
  if (p.renditions?.length) {
    a.renditions = renditionsOut(p, baseUrl);
    return a;
  }
  const rendition: Obj = { name: 'original', href };
  if (p.mimeType) rendition.contentType = p.mimeType;
  if (p.width) rendition.width = p.width;
  if (p.height) rendition.height = p.height;
  a.renditions = [rendition];
  return a;
}

/**
 * A photo's renditions as ninjs `renditions` (the 2.3 spelling is made by ninjs-names.ts). Hrefs are the
 * API's download addresses: a subscriber's key opens them, or the signed link GET /v1/media/:id gives.
 */
function renditionsOut(p: Photo, baseUrl: string): Obj[] {
  return (p.renditions ?? []).map((r) => {
    const o: Obj = { name: r.name, href: absoluteUrl(r.href, baseUrl), contentType: r.contentType, sizeInBytes: r.sizeInBytes };
    if (r.width) o.width = r.width;
    if (r.height) o.height = r.height;
    return o;
  });
}

/** A story version as ninjs 3.2 (`application/ninjs+json`). */
export function toNinjs3(v: StoryVersion, opts: NinjsOptions): Record<string, unknown> {
  return buildNinjs(v, opts, '3.2');
}

// ---------------------------------------------------------------------------------------------
// Validation with the official schemas (copied to ./schemas so a clean clone has them).

// Both packages are CommonJS that also set `exports.default`; under NodeNext the default import is the
// module object, so take `.default` (the class / plugin) explicitly.
const Ajv2020 = ajv2020Module.default;
const addFormats = ajvFormatsModule.default;

const validators = new Map<string, ValidateFunction>();

function readSchema(file: string): Obj {
  return JSON.parse(readFileSync(new URL(`./schemas/${file}`, import.meta.url), 'utf8')) as Obj;
}

/** The compiled official validator for ninjs 3.2 or 2.3 (compiled once, on first use). */
export function ninjsValidator(version: '3.2' | '2.3'): ValidateFunction {
  const v = validators.get(version);
  if (!v) {
    // Default (non-strict) options: the IPTC schemas trip Ajv's strictRequired check.
    const ajv = new Ajv2020({ allErrors: true });
    addFormats(ajv);
    ajv.addSchema(readSchema('GeoJSON-schema.json'));
    const compiled = ajv.compile(readSchema(`ninjs-schema_${version}.json`));
    validators.set(version, compiled);
    return compiled;
  }
  return v;
}

function problemOf(e: ErrorObject): SchemaProblem {
  const p = e.params as Record<string, unknown>;
  const extra = p.unevaluatedProperty ?? p.additionalProperty ?? p.missingProperty;
  return {
    path: e.instancePath || '/',
    rule: e.keyword,
    message: `${e.message ?? e.keyword}${extra !== undefined ? ` ('${String(extra)}')` : ''}`,
  };
}

/** Schema problems of a document against ninjs 3.2 or 2.3; empty when valid. */
export function validateNinjs(doc: unknown, version: '3.2' | '2.3'): SchemaProblem[] {
  const validate = ninjsValidator(version);
  if (validate(doc)) return [];
  return (validate.errors ?? []).slice(0, 20).map(problemOf);
}

// ---------------------------------------------------------------------------------------------
// Import.

export interface ImportMeta {
  /** The chain id newsflow gave it (from altIds), else the document's uri / guid. */
  id?: string;
  uri?: string;
  version?: number;
  versionCreated?: string;
  firstCreated?: string;
  pubStatus?: 'usable' | 'canceled' | 'withheld';
  revisionId?: string;
  translationGroup?: string;
  correctionNote?: string;
  killReason?: string;
  /** Which format and version the document was read as (`ninjs 3.2`, `ninjs 2.3`, `NewsML-G2 2.35`). */
  sourceFormat: string;
}

export interface Imported {
  content: StoryContent;
  meta: ImportMeta;
}

/** Parses JSON text, reporting syntax errors with line and column. */
export function parseJsonSafe(text: string): unknown {
  checkSize(text);
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(src);
  } catch (e) {
    // Node 20's messages often carry no position: find the offending offset ourselves (error path only).
    const pos = jsonErrorOffset(src);
    const before = src.slice(0, pos);
    const line = before.split('\n').length;
    const location = `line ${line}, column ${pos - before.lastIndexOf('\n')}`;
    throw new FormatError('json-syntax', `invalid JSON: ${(e as Error).message.split('\n')[0].slice(0, 200)}`, { location });
  }
}

/** Offset of the first syntax error in a JSON text (a small scanner; recursion capped for hostile nesting). */
export function jsonErrorOffset(s: string): number {
  let i = 0;
  const ws = () => {
    while (i < s.length && ' \t\n\r'.includes(s[i])) i++;
  };
  class Stop extends Error {}
  const fail = (): never => {
    throw new Stop();
  };
  const value = (depth: number): void => {
    if (depth > 1000) fail();
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      ws();
      if (s[i] === '}') return void i++;
      for (;;) {
        ws();
        if (s[i] !== '"') fail();
        string();
        ws();
        if (s[i] !== ':') fail();
        i++;
        value(depth + 1);
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') return void i++;
      for (;;) {
        value(depth + 1);
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') string();
    else if (/[-0-9]/.test(c ?? '')) {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(i, i + 400));
      if (!m) fail();
      i += m![0].length;
    } else {
      for (const lit of ['true', 'false', 'null']) if (s.startsWith(lit, i)) return void (i += lit.length);
      fail();
    }
  };
  const string = () => {
    i++;
    while (i < s.length && s[i] !== '"') {
      if (s[i] === '\\') i++;
      else if (s.charCodeAt(i) < 0x20) fail();
      i++;
    }
    if (i >= s.length) fail();
    i++;
  };
  try {
    value(0);
    ws();
    return i;
  } catch (e) {
    if (e instanceof Stop || e instanceof RangeError) return Math.min(i, s.length);
    throw e;
  }
}

/** Which ninjs major version a document is written in: the declared standard first, then its spelling. */
export function ninjsMajor(doc: Obj): 2 | 3 {
  const std = doc.standard as Obj | undefined;
  const declared = String(std?.version ?? std?.schema ?? doc.$schema ?? '');
  if (/(^|[_\s/])2\.\d/.test(declared) || /^2(\.|$)/.test(declared)) return 2;
  if (/(^|[_\s/])3\.\d/.test(declared) || /^3(\.|$)/.test(declared)) return 3;
  if (NINJS2_ONLY_KEYS.some((k) => k in doc)) return 2;
  const bodies = doc.bodies as Obj[] | undefined;
  if (Array.isArray(bodies) && bodies.some((b) => b && typeof b === 'object' && 'contenttype' in b)) return 2;
  return 3;
}

/**
 * Reads a ninjs 2.x or 3.x document (parsed or as JSON text). It is validated against the official
 * 2.3 or 3.2 schema first; schema errors become a FormatError listing JSON path and rule.
 */
export function fromNinjs(input: unknown): Imported {
  const doc = typeof input === 'string' ? parseJsonSafe(input) : input;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new FormatError('schema', 'a ninjs document must be a JSON object', {
      location: '/',
      problems: [{ path: '/', rule: 'type', message: 'must be object' }],
    });
  }
  const major = ninjsMajor(doc as Obj);
  const schemaVersion = major === 2 ? '2.3' : '3.2';
  const problems = validateNinjs(doc, schemaVersion);
  if (problems.length) {
    const first = problems[0];
    throw new FormatError(
      'schema',
      `not valid ninjs ${schemaVersion}: ${first.path} ${first.message} [${first.rule}]${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`,
      {
        location: first.path,
        problems,
      },
    );
  }
  const d = major === 2 ? ninjs2To3Names(doc as Obj) : (doc as Obj);
  return { content: contentFromNinjs3(d), meta: metaFromNinjs3(d, `ninjs ${schemaVersion}`) };
}

const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
const arr = (x: unknown): Obj[] => (Array.isArray(x) ? (x.filter((e) => e && typeof e === 'object') as Obj[]) : []);

function contentFromNinjs3(d: Obj): StoryContent {
  const type = str(d.type) ?? 'text';
  const mediaType = TYPE_IN[type];
  if (!mediaType) {
    throw new FormatError('unsupported-type', `ninjs type "${type}" is not a story (supported: ${Object.keys(TYPE_IN).join(', ')})`, { location: '/type' });
  }
  const headlines = arr(d.headlines);
  const main = headlines.find((h) => h.role === 'main') ?? headlines.find((h) => h.role === undefined) ?? headlines[0];
  const deck = headlines.find((h) => h !== main && (h.role === 'subheadline' || h.role === 'sub' || h.role === 'deck'));
  const descriptions = arr(d.descriptions);
  const descByRole = (role: string) => str(descriptions.find((x) => x.role === role)?.value);

  const content: StoryContent = {
    ...emptyContent(str(d.language) ?? 'und'),
    headline: str(main?.value) ?? str(d.title) ?? '',
    urgency: (typeof d.urgency === 'number' ? d.urgency : 4) as Urgency,
    mediaType,
  };
  if (deck) content.deck = str(deck.value);

  // Body: structured HTML first, else plain text.
  const bodies = arr(d.bodies);
  const html = bodies.find((b) => /html/i.test(str(b.contentType) ?? ''));
  const plain = bodies.find((b) => b !== html && (!b.contentType || /text\/plain/i.test(str(b.contentType)!)));
  let bodyPhotos: Photo[] = [];
  if (html) {
    const parsed = htmlToBody(str(html.value) ?? '');
    content.body = parsed.blocks;
    bodyPhotos = parsed.photos;
  } else if (plain) {
    content.body = textToBlocks(str(plain.value) ?? '');
  } else if (bodies[0]) {
    content.body = textToBlocks(str(bodies[0].value) ?? '');
  }

  // People: primaries, then fold `alt:<lang>:<primary>` spellings into them.
  for (const p of arr(d.people)) {
    const name = str(p.name) ?? str(p.literal);
    if (!name) continue;
    const m = /^alt:([A-Za-z0-9-]+):(.*)$/s.exec(str(p.literal) ?? '');
    const owner = m ? content.byline.find((b) => b.name === m[2]) : undefined;
    if (m && owner) {
      owner.names = { ...(owner.names ?? {}), [m[1]]: name };
      continue;
    }
    const person: Person = { name };
    if (str(p.rel)) person.role = str(p.rel);
    content.byline.push(person);
  }
  if (!content.byline.length && str(d.by)) content.byline.push({ name: str(d.by)! });

  // Dateline: the `dateline` description if we wrote one, else `located` and places.
  const datelineText = descByRole('dateline');
  const places = arr(d.places);
  const located = str(d.located) ?? str(places.find((p) => p.rel === 'located' && !p.literal)?.name);
  if (datelineText !== undefined || located) {
    const [place, reporter, agency] = datelineText !== undefined ? datelineText.split(' / ') : [located];
    const dl: NonNullable<StoryContent['dateline']> = {};
    if (place) dl.place = place;
    if (reporter) dl.reporter = reporter;
    if (agency) dl.agency = agency;
    for (const p of places) {
      const m = /^alt:([A-Za-z0-9-]+)$/.exec(str(p.literal) ?? '');
      if (m && str(p.name)) dl.placeNames = { ...(dl.placeNames ?? {}), [m[1]]: str(p.name)! };
    }
    content.dateline = dl;
  }

  for (const s of arr(d.subjects)) {
    const name = str(s.name) ?? str(s.literal) ?? str(s.uri);
    if (!name) continue;
    if (s.rel === 'keyword') content.keywords.push(name);
    else if (s.rel === 'hashtag') content.hashtags.push(name);
    else if (!content.categories.includes(name)) content.categories.push(name);
  }

  const assoc = arr(d.associations).filter((a) => a.type === undefined || a.type === 'picture' || a.type === 'graphic');
  content.photos = assoc.length ? assoc.map(photoIn).filter((p): p is Photo => p !== null) : bodyPhotos;
  if (mediaType === 'photo' && !content.photos.length) {
    const own = photoIn(d);
    if (own) content.photos.push(own);
  }

  const embargo = str(d.embargoedUntil);
  if (embargo) content.embargoUntil = embargo;
  if (str(d.slugline)) content.slugline = str(d.slugline);

  const alt = (role: string) => str(arr(d.altIds).find((a) => a.role === role)?.value);
  if (alt('translationOf')) content.translationOf = alt('translationOf');
  const provenance: NonNullable<StoryContent['provenance']> = {};
  if (alt('sourceUrl')) provenance.sourceUrl = alt('sourceUrl');
  const source = str(arr(d.infoSources).find((s) => s.role === 'source' || s.role === undefined)?.name);
  if (source) provenance.source = source;
  for (const a of arr(d.altIds)) {
    const role = str(a.role) ?? '';
    if (role.startsWith('original:') && str(a.value)) provenance.originalIds = { ...(provenance.originalIds ?? {}), [role.slice(9)]: str(a.value)! };
  }
  if (Object.keys(provenance).length) content.provenance = provenance;
  return content;
}

function photoIn(a: Obj): Photo | null {
  const renditions = arr(a.renditions);
  const r = renditions.find((x) => x.name === 'original') ?? renditions.find((x) => typeof x.href === 'string');
  const url = str(r?.href);
  if (!url) return null;
  const photo: Photo = { url };
  const descriptions = arr(a.descriptions);
  const caption =
    str(descriptions.find((x) => x.role === 'caption')?.value) ??
    str(descriptions.find((x) => x.role === 'text' || x.role === undefined)?.value) ??
    str(arr(a.headlines)[0]?.value);
  if (caption) photo.caption = caption;
  const altText = str(descriptions.find((x) => x.role === 'alt')?.value);
  if (altText) photo.altText = altText;
  if (str(a.by)) photo.credit = str(a.by);
  if (typeof r!.width === 'number') photo.width = r!.width as number;
  if (typeof r!.height === 'number') photo.height = r!.height as number;
  if (str(r!.contentType)) photo.mimeType = str(r!.contentType);
  // Every rendition with an address is kept as a reference (the files stay where they are).
  const kept = renditions
    .filter((x) => str(x.href) && str(x.name))
    .slice(0, 20)
    .map((x) => ({
      name: str(x.name)!.slice(0, 100),
      href: str(x.href)!.slice(0, 2000),
      width: typeof x.width === 'number' && Number.isInteger(x.width) && x.width > 0 ? x.width : null,
      height: typeof x.height === 'number' && Number.isInteger(x.height) && x.height > 0 ? x.height : null,
      contentType: (str(x.contentType) ?? 'application/octet-stream').slice(0, 100),
      sizeInBytes: typeof x.sizeInBytes === 'number' && Number.isInteger(x.sizeInBytes) && x.sizeInBytes >= 0 ? x.sizeInBytes : 0,
    }));
  if (kept.length > 1) photo.renditions = kept;
  return photo;
}

function metaFromNinjs3(d: Obj, sourceFormat: string): ImportMeta {
  const alt = (role: string) => str(arr(d.altIds).find((a) => a.role === role)?.value);
  const descriptions = arr(d.descriptions);
  const meta: ImportMeta = { sourceFormat, uri: str(d.uri) };
  meta.id = alt('storyId') ?? str(d.uri);
  const version = Number(str(d.version));
  if (Number.isInteger(version) && version > 0) meta.version = version;
  if (str(d.versionCreated)) meta.versionCreated = str(d.versionCreated);
  if (str(d.firstCreated)) meta.firstCreated = str(d.firstCreated);
  if (str(d.pubStatus)) meta.pubStatus = str(d.pubStatus) as ImportMeta['pubStatus'];
  if (alt('revisionId')) meta.revisionId = alt('revisionId');
  if (alt('translationGroup')) meta.translationGroup = alt('translationGroup');
  const correction = str(descriptions.find((x) => x.role === 'correction')?.value);
  if (correction) meta.correctionNote = correction;
  const kill = str(descriptions.find((x) => x.role === 'kill')?.value);
  if (kill) meta.killReason = kill;
  return meta;
}
