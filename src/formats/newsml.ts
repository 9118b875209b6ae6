// IPTC NewsML-G2 2.35 newsItem out and in.
//
// Output is written with a small escaping string writer rather than a DOM builder (xmlbuilder2):
// formatting sits on the flow's hot path (goal ≥ 5,000 items/s on one core) and a DOM per item costs
// several times that budget. Every output is checked against the official XSD by the tests.
//
// Mapping decisions:
//  * guid = the chain URI (same as the ninjs uri), version = the version number.
//  * an inline catalog declares newsflow's own schemes (`nfid:` ids, `nfrole:` roles) so every qcode
//    used resolves; IPTC schemes come from the IPTC standards catalog.
//  * itemMeta: signal sig:update / sig:correction; a kill is stat:canceled plus an edNote with the
//    reason; link irel:previousVersion (residref = guid, version = n-1); photos as irel:seeAlso links.
//  * contentMeta: creator per byline person (role nfrole:<role>, other-script names as <name xml:lang>),
//    located (place + its other spellings), dateline `place / reporter / agency`, subjects (name = the
//    category, qcode = its Media Topic), genre, keywords (hashtags with role nfrole:hashtag),
//    description drol:summary = deck, nfrole:correction / nfrole:kill = public notes,
//    altId nfid:* = storyId, revisionId, translationGroup, translationOf, sourceUrl, original ids.
//  * contentSet: inlineXML XHTML (`dir="rtl"` for Arabic) holding photo figures and the body blocks.
import type { MediaType, Person, Photo, StoryContent, StoryVersion, Urgency } from '../model/story.ts';
import { directionOf, emptyContent } from '../model/story.ts';
import { FormatError } from './format-error.ts';
import { blocksToHtml, escapeXml, nodesToBody, photosToHtml, XHTML_NS } from './html-body.ts';
import { genreFor, topicFor } from './mediatopics.ts';
import { absoluteUrl, storyUri, type Imported, type ImportMeta } from './ninjs.ts';
import { collapse, collapsedText, element, elements, parseXmlSafe, textOf, type XmlElement } from './xml-safe.ts';

export const NEWSML_MEDIA_TYPE = 'application/vnd.iptc.g2.newsitem+xml';
export const NAR_NS = 'http://iptc.org/std/nar/2006-10-01/';
export const NITF_NS = 'http://iptc.org/std/NITF/2006-10-18/';
const IPTC_CATALOG = 'http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_32.xml';

export interface NewsMLOptions {
  baseUrl: string;
  /** Provider name in itemMeta (defaults to `newsflow`). */
  providerName?: string;
}

const CLASS_OUT: Record<MediaType, string> = {
  text: 'ninat:text',
  photo: 'ninat:picture',
  video: 'ninat:video',
  audio: 'ninat:audio',
  graphic: 'ninat:graphic',
};

const e = escapeXml;
const langAttr = (lang: string | undefined) => (lang ? ` xml:lang="${e(lang)}"` : '');
const qcodeSafe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');

/** A story version as a NewsML-G2 2.35 newsItem document. */
export function toNewsML(v: StoryVersion, opts: NewsMLOptions): string {
  const c = v.content;
  const base = opts.baseUrl.replace(/\/+$/, '');
  const guid = storyUri(base, v.storyId);
  let x = '<?xml version="1.0" encoding="UTF-8"?>\n';
  x += `<newsItem xmlns="${NAR_NS}" guid="${e(guid)}" version="${v.version}" standard="NewsML-G2" standardversion="2.35" conformance="power" xml:lang="${e(c.language)}">`;
  x += `<catalogRef href="${IPTC_CATALOG}"/>`;
  x += `<catalog><scheme alias="nfid" uri="${e(base)}/cv/id/"/><scheme alias="nfrole" uri="${e(base)}/cv/role/"/></catalog>`;

  // itemMeta
  x += `<itemMeta><itemClass qcode="${CLASS_OUT[c.mediaType] ?? 'ninat:text'}"/>`;
  x += `<provider uri="${e(base)}/"><name>${e(opts.providerName ?? 'newsflow')}</name></provider>`;
  x += `<versionCreated>${e(v.versionCreatedAt)}</versionCreated><firstCreated>${e(v.firstPublishedAt)}</firstCreated>`;
  if (c.embargoUntil) x += `<embargoed>${e(c.embargoUntil)}</embargoed>`;
  x += `<pubStatus qcode="${v.pubStatus === 'canceled' ? 'stat:canceled' : 'stat:usable'}"/>`;
  if (v.pubStatus === 'canceled') x += `<edNote>KILL: withdrawn, do not use.${v.killReason ? ' ' + e(v.killReason) : ''}</edNote>`;
  else if (v.correctionNote) x += `<edNote>CORRECTION: ${e(v.correctionNote)}</edNote>`;
  if (v.kind === 'corrected') x += `<signal qcode="sig:correction"/>`;
  else if (v.kind === 'updated' || (v.kind === 'killed' && v.version > 1)) x += `<signal qcode="sig:update"/>`;
  if (v.version > 1) x += `<link rel="irel:previousVersion" residref="${e(guid)}" version="${v.version - 1}"/>`;
  if (c.translationOf) x += `<link rel="irel:translatedFrom" residref="${e(storyUri(base, c.translationOf))}"/>`;
  for (const p of c.photos) {
    x += `<link rel="irel:seeAlso" href="${e(absoluteUrl(p.url, base))}"${p.mimeType ? ` contenttype="${e(p.mimeType)}"` : ''}${p.caption ? ` title="${e(p.caption)}"` : ''}/>`;
  }
  x += '</itemMeta>';

  // contentMeta
  x += `<contentMeta><urgency>${c.urgency}</urgency>`;
  const d = c.dateline;
  if (d?.place || d?.placeNames) {
    x += '<located>';
    if (d.place) x += `<name>${e(d.place)}</name>`;
    for (const [lang, name] of Object.entries(d.placeNames ?? {})) x += `<name${langAttr(lang)}>${e(name)}</name>`;
    x += '</located>';
  }
  if (c.provenance?.source) x += `<infoSource role="nfrole:source"><name>${e(c.provenance.source)}</name></infoSource>`;
  for (const p of c.byline) x += creatorOut(p);
  const altIds: [string, string][] = [
    ['storyId', v.storyId],
    ['revisionId', v.revisionId],
    ['translationGroup', v.translationGroup],
  ];
  if (c.translationOf) altIds.push(['translationOf', c.translationOf]);
  if (c.provenance?.sourceUrl) altIds.push(['sourceUrl', c.provenance.sourceUrl]);
  for (const [system, id] of Object.entries(c.provenance?.originalIds ?? {})) altIds.push([`original.${qcodeSafe(system)}`, id]);
  for (const [type, value] of altIds) x += `<altId type="nfid:${type}">${e(value)}</altId>`;
  x += `<language tag="${e(c.language)}"/>`;
  const genres = new Set<string>();
  for (const cat of c.categories) {
    const g = genreFor(cat);
    if (g && !genres.has(g.qcode)) {
      genres.add(g.qcode);
      x += `<genre qcode="${e(g.qcode)}"><name xml:lang="en-GB">${e(g.label)}</name></genre>`;
    }
  }
  for (const k of c.keywords) x += `<keyword>${e(k)}</keyword>`;
  for (const h of c.hashtags) x += `<keyword role="nfrole:hashtag">${e(h)}</keyword>`;
  for (const cat of c.categories) {
    const t = topicFor(cat);
    x += t
      ? `<subject type="cpnat:abstract" qcode="${e(t.qcode)}"><name>${e(cat)}</name><name xml:lang="en-GB">${e(t.label)}</name></subject>`
      : `<subject><name>${e(cat)}</name></subject>`;
  }
  if (c.slugline) x += `<slugline>${e(c.slugline)}</slugline>`;
  x += `<headline>${e(c.headline)}</headline>`;
  if (d && (d.place || d.reporter || d.agency)) x += `<dateline>${e([d.place ?? '', d.reporter ?? '', d.agency ?? ''].join(' / '))}</dateline>`;
  if (c.byline.length) x += `<by>${e(c.byline.map((p) => p.name).join(', '))}</by>`;
  if (c.deck) x += `<description role="drol:summary">${e(c.deck)}</description>`;
  if (v.correctionNote) x += `<description role="nfrole:correction">${e(v.correctionNote)}</description>`;
  if (v.killReason) x += `<description role="nfrole:kill">${e(v.killReason)}</description>`;
  x += '</contentMeta>';

  // contentSet
  const dir = directionOf(c.language);
  x += `<contentSet><inlineXML contenttype="application/xhtml+xml">`;
  x += `<html xmlns="${XHTML_NS}" lang="${e(c.language)}" xml:lang="${e(c.language)}" dir="${dir}"><head><title>${e(c.headline)}</title></head>`;
  x += `<body>${photosToHtml(c.photos, (u) => absoluteUrl(u, base))}${blocksToHtml(c.body)}</body></html>`;
  x += '</inlineXML>';
  // A photo story: each rendition of its picture is one remoteContent (the API's download address).
  if (c.mediaType !== 'text') for (const r of c.photos[0]?.renditions ?? []) x += remoteContentOut(r, base);
  x += '</contentSet></newsItem>\n';
  return x;
}

/** IPTC rendition codes (cv.iptc.org/newscodes/rendition) for our rendition sizes. */
const RENDITION_QCODE: Record<string, string> = {
  thumbnail: 'rnd:thumbnail',
  small: 'rnd:preview',
  preview: 'rnd:preview',
  web: 'rnd:web',
  original: 'rnd:highRes',
};

function remoteContentOut(r: NonNullable<Photo['renditions']>[number], base: string): string {
  const qcode = RENDITION_QCODE[r.name.split('-')[0]];
  let x = `<remoteContent href="${e(absoluteUrl(r.href, base))}"${qcode ? ` rendition="${qcode}"` : ''} contenttype="${e(r.contentType)}" size="${r.sizeInBytes}"`;
  if (r.width) x += ` width="${r.width}"`;
  if (r.height) x += ` height="${r.height}"`;
  return `${x}/>`;
}

function creatorOut(p: Person): string {
  let x = `<creator${p.role ? ` role="nfrole:${e(qcodeSafe(p.role))}"` : ''}><name>${e(p.name)}</name>`;
  for (const [lang, name] of Object.entries(p.names ?? {})) x += `<name${langAttr(lang)}>${e(name)}</name>`;
  return x + '</creator>';
}

// ---------------------------------------------------------------------------------------------
// Import.

// The same media types the ninjs reader takes and the model carries, so that what newsflow exports in
// one format it can read back from the other. Composite, event and planning items are not stories.
const CLASS_IN: Record<string, MediaType> = { text: 'text', picture: 'photo', video: 'video', audio: 'audio', graphic: 'graphic' };
const OTHER_ITEMS = new Set(['packageItem', 'conceptItem', 'knowledgeItem', 'planningItem', 'catalogItem', 'newsMessage']);

/** `ninat:text` or `http://cv.iptc.org/newscodes/ninature/text` → `text`. */
function itemClassCode(el: XmlElement): string {
  const q = el.attrs.qcode ?? el.attrs.uri ?? '';
  const m = /^ninat:(.+)$/.exec(q) ?? /newscodes\/ninature\/(.+)$/.exec(q);
  return m ? m[1] : q;
}

/**
 * Reads one NewsML-G2 newsItem of item class text, picture, video, audio or graphic. Anything else
 * (packages, concept items, composite or event items, foreign namespaces) is rejected with a
 * FormatError saying why.
 */
export function fromNewsML(xml: string): Imported {
  const root = parseXmlSafe(xml);
  if (root.ns !== NAR_NS) {
    throw new FormatError('namespace', `root element <${root.name}> is in namespace "${root.ns}", expected NewsML-G2 "${NAR_NS}"`, { location: root.path });
  }
  if (root.name !== 'newsItem') {
    const what = OTHER_ITEMS.has(root.name) ? `a ${root.name}` : `<${root.name}>`;
    throw new FormatError('unsupported-item-class', `${what} is not supported: only newsItem (item class text or picture) can be imported`, {
      location: root.path,
    });
  }
  const guid = root.attrs.guid;
  if (!guid) throw new FormatError('missing-element', 'newsItem has no guid attribute', { location: root.path });
  const itemMeta = element(root, 'itemMeta');
  if (!itemMeta) throw new FormatError('missing-element', 'newsItem has no itemMeta', { location: `${root.path}/itemMeta` });
  const itemClassEl = element(itemMeta, 'itemClass');
  if (!itemClassEl) throw new FormatError('missing-element', 'itemMeta has no itemClass', { location: `${itemMeta.path}/itemClass` });
  const cls = itemClassCode(itemClassEl);
  const mediaType = CLASS_IN[cls];
  if (!mediaType) {
    throw new FormatError(
      'unsupported-item-class',
      `item class "${itemClassEl.attrs.qcode ?? itemClassEl.attrs.uri}" is not supported (supported: ninat:text, ninat:picture, ninat:video, ninat:audio, ninat:graphic)`,
      { location: itemClassEl.path },
    );
  }

  const cm = element(root, 'contentMeta');
  const rootLang = root.attrs['xml:lang'];
  const languageEl = cm ? element(cm, 'language') : undefined;
  const language = languageEl?.attrs.tag ?? rootLang ?? 'und';
  const content: StoryContent = { ...emptyContent(language), headline: collapsedText(cm && element(cm, 'headline')), mediaType };
  const meta: ImportMeta = { sourceFormat: `NewsML-G2 ${root.attrs.standardversion ?? ''}`.trim(), uri: guid, id: guid };
  const version = Number(root.attrs.version);
  if (Number.isInteger(version) && version > 0) meta.version = version;
  const vc = collapsedText(element(itemMeta, 'versionCreated'));
  if (vc) meta.versionCreated = vc;
  const fc = collapsedText(element(itemMeta, 'firstCreated'));
  if (fc) meta.firstCreated = fc;
  const status = element(itemMeta, 'pubStatus')?.attrs.qcode;
  if (status) meta.pubStatus = status.endsWith('canceled') ? 'canceled' : status.endsWith('withheld') ? 'withheld' : 'usable';
  const embargo = collapsedText(element(itemMeta, 'embargoed'));
  if (embargo) content.embargoUntil = embargo;

  if (cm) readContentMeta(cm, content, meta, rootLang);

  const contentSet = element(root, 'contentSet');
  const figures: Photo[] = [];
  if (contentSet) {
    for (const inline of elements(contentSet, 'inlineXML')) {
      const parsed = nodesToBody(inline.children);
      content.body.push(...parsed.blocks);
      figures.push(...parsed.photos);
    }
  }
  const remote = mediaType === 'photo' && contentSet ? pictureFromRemoteContent(contentSet, cm) : null;
  if (figures.length) {
    content.photos = figures;
    // Our own photo stories carry the picture both as a figure and as remoteContent renditions.
    if (remote?.renditions && figures.length === 1) content.photos[0].renditions = remote.renditions;
  } else if (mediaType === 'photo' && contentSet) {
    const photo = pictureFromRemoteContent(contentSet, cm);
    if (photo) content.photos = [photo];
  } else {
    // Photos linked from itemMeta by another system.
    for (const l of elements(itemMeta, 'link')) {
      if (/^image\//.test(l.attrs.contenttype ?? '') && l.attrs.href) {
        const p: Photo = { url: l.attrs.href, mimeType: l.attrs.contenttype };
        if (l.attrs.title) p.caption = l.attrs.title;
        content.photos.push(p);
      }
    }
  }
  return { content, meta };
}

function readContentMeta(cm: XmlElement, content: StoryContent, meta: ImportMeta, rootLang: string | undefined): void {
  const u = Number(collapsedText(element(cm, 'urgency')));
  if (Number.isInteger(u) && u >= 1 && u <= 9) content.urgency = u as Urgency;
  const primaryEl = (el: XmlElement): XmlElement | undefined => {
    const names = elements(el, 'name');
    return (
      names.find((n) => !n.attrs['xml:lang']) ?? names.find((n) => n.attrs['xml:lang'] === content.language || n.attrs['xml:lang'] === rootLang) ?? names[0]
    );
  };
  const primaryName = (el: XmlElement): string | undefined => {
    const p = primaryEl(el);
    return p ? collapsedText(p) : undefined;
  };
  // Spellings in other languages or scripts: every name with xml:lang except the primary one.
  const otherNames = (el: XmlElement): Record<string, string> | undefined => {
    const primary = primaryEl(el);
    let out: Record<string, string> | undefined;
    for (const n of elements(el, 'name')) {
      const lang = n.attrs['xml:lang'];
      if (n !== primary && lang) (out ??= {})[lang] = collapsedText(n);
    }
    return out;
  };

  // Dateline: our `place / reporter / agency` line, else just the located place.
  const located = element(cm, 'located');
  const datelineText = collapsedText(element(cm, 'dateline'));
  if (located || datelineText) {
    const dl: NonNullable<StoryContent['dateline']> = {};
    const parts = datelineText ? datelineText.split(' / ') : [];
    const place = parts.length === 3 ? parts[0] : located ? primaryName(located) : datelineText;
    if (place) dl.place = place;
    if (parts.length === 3 && parts[1]) dl.reporter = parts[1];
    if (parts.length === 3 && parts[2]) dl.agency = parts[2];
    if (located) {
      const others = otherNames(located);
      if (others) dl.placeNames = others;
    }
    content.dateline = dl;
  }

  for (const el of [...elements(cm, 'creator'), ...elements(cm, 'contributor')]) {
    const name = primaryName(el) ?? el.attrs.literal;
    if (!name) continue;
    const person: Person = { name };
    const role = el.attrs.role?.split(/\s+/)[0];
    if (role) person.role = role.includes(':') ? role.slice(role.indexOf(':') + 1) : role;
    const others = otherNames(el);
    if (others) person.names = others;
    content.byline.push(person);
  }
  if (!content.byline.length) {
    const by = collapsedText(element(cm, 'by'));
    if (by) content.byline.push({ name: by });
  }

  for (const k of elements(cm, 'keyword')) {
    const t = collapsedText(k);
    if (!t) continue;
    if (k.attrs.role === 'nfrole:hashtag') content.hashtags.push(t);
    else if (t.startsWith('#') && t.length > 1) content.hashtags.push(t.slice(1));
    else content.keywords.push(t);
  }
  for (const s of elements(cm, 'subject')) {
    const name = primaryName(s) ?? s.attrs.qcode ?? s.attrs.literal ?? s.attrs.uri;
    if (name && !content.categories.includes(name)) content.categories.push(name);
  }
  const slug = collapsedText(element(cm, 'slugline'));
  if (slug) content.slugline = slug;

  for (const dsc of elements(cm, 'description')) {
    const role = dsc.attrs.role ?? '';
    const t = collapse(textOf(dsc));
    if (role === 'drol:summary') content.deck = t;
    else if (role === 'nfrole:correction') meta.correctionNote = t;
    else if (role === 'nfrole:kill') meta.killReason = t;
  }

  const provenance: NonNullable<StoryContent['provenance']> = {};
  const source = elements(cm, 'infoSource').find((s) => s.attrs.role === 'nfrole:source');
  if (source) provenance.source = primaryName(source);
  for (const a of elements(cm, 'altId')) {
    const type = a.attrs.type ?? '';
    const value = collapsedText(a);
    if (!type.startsWith('nfid:')) continue;
    const key = type.slice(5);
    if (key === 'storyId') meta.id = value;
    else if (key === 'revisionId') meta.revisionId = value;
    else if (key === 'translationGroup') meta.translationGroup = value;
    else if (key === 'translationOf') content.translationOf = value;
    else if (key === 'sourceUrl') provenance.sourceUrl = value;
    else if (key.startsWith('original.')) provenance.originalIds = { ...(provenance.originalIds ?? {}), [key.slice(9)]: value };
  }
  if (Object.keys(provenance).length) content.provenance = provenance;
}

/** The best rendition of a picture item (highRes first, else the widest) with caption and credit. */
function pictureFromRemoteContent(contentSet: XmlElement, cm: XmlElement | undefined): Photo | null {
  const rcs = elements(contentSet, 'remoteContent').filter((r) => r.attrs.href);
  if (!rcs.length) return null;
  const best = rcs.find((r) => /highRes/i.test(r.attrs.rendition ?? '')) ?? [...rcs].sort((a, b) => Number(b.attrs.width ?? 0) - Number(a.attrs.width ?? 0))[0];
  const photo: Photo = { url: best.attrs.href.trim() };
  if (best.attrs.contenttype) photo.mimeType = best.attrs.contenttype;
  const w = Number(best.attrs.width);
  const h = Number(best.attrs.height);
  if (Number.isInteger(w) && w > 0) photo.width = w;
  if (Number.isInteger(h) && h > 0) photo.height = h;
  if (rcs.length > 1) {
    photo.renditions = rcs.slice(0, 20).map((r, i) => {
      const rw = Number(r.attrs.width);
      const rh = Number(r.attrs.height);
      const size = Number(r.attrs.size);
      return {
        name: `${(r.attrs.rendition ?? 'rendition').replace(/^.*:/, '').replace(/[^A-Za-z0-9-]/g, '') || 'rendition'}-${i + 1}`,
        href: r.attrs.href.trim().slice(0, 2000),
        width: Number.isInteger(rw) && rw > 0 ? rw : null,
        height: Number.isInteger(rh) && rh > 0 ? rh : null,
        contentType: (r.attrs.contenttype ?? 'application/octet-stream').slice(0, 100),
        sizeInBytes: Number.isInteger(size) && size >= 0 ? size : 0,
      };
    });
  }
  if (cm) {
    const caption = elements(cm, 'description').find((d) => (d.attrs.role ?? '').endsWith('caption'));
    if (caption) photo.caption = collapse(textOf(caption));
    const credit = collapsedText(element(cm, 'creditline'));
    if (credit) photo.credit = credit;
  }
  return photo;
}
