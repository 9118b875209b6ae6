// The one difference between ninjs 2.x and 3.x that matters to us: property spelling. 2.x writes
// every name in lowercase (`versioncreated`, `contenttype`, `altids`) and `embargoed` for 3.x
// `embargoedUntil`. A leaf both the 3.x reader (ninjs.ts) and the 2.x writer (ninjs2.ts) use, so
// neither has to import the other for it.

// 3.x names whose 2.x spelling is not simply the lowercase form.
const TO_2: Record<string, string> = { embargoedUntil: 'embargoed' };

// Every camelCase property name of the 3.2 schema (2.x spells them in lowercase).
const CAMEL_3 = [
  'representationType',
  'firstCreated',
  'versionCreated',
  'contentCreated',
  'embargoedUntil',
  'pubStatus',
  'copyrightHolder',
  'copyrightNotice',
  'usageTerms',
  'edNote',
  'contentType',
  'charCount',
  'wordCount',
  'contactInfo',
  'postalCode',
  'symbolType',
  'geoJSON',
  'infoSources',
  'altIds',
  'trustIndicators',
  'rightsInfo',
  'langId',
  'linkedRights',
  'encodedRights',
  'digitalSourceType',
  'sizeInBytes',
  'aspectRatio',
  'videoCodec',
  'frameRate',
  'transportProtocol',
  'scanType',
  'eventDetails',
  'plannedCoverage',
  'eventStatus',
  'plannedCoverageStatus',
  'startDate',
  'endDate',
  'expectedStartDate',
  'expectedEndDate',
  'expectedDuration',
  'recurrenceDates',
  'recurrenceRules',
  'exclAudience',
  'itemCount',
  'rangeFrom',
  'rangeTo',
  'contentDigitised',
];
const TO_3: Record<string, string> = { embargoed: 'embargoedUntil' };
for (const k of CAMEL_3) if (!(k in TO_3)) TO_3[k.toLowerCase()] = k;

// GeoJSON members are not ninjs properties: never rename inside them.
const OPAQUE = new Set(['geoJSON', 'geojson']);

function renameKeys(value: unknown, rename: (k: string) => string): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = renameKeys(value[i], rename);
    return out;
  }
  const out: Record<string, unknown> = {};
  const obj = value as Record<string, unknown>;
  for (const k in obj) {
    const v = obj[k];
    out[rename(k)] = OPAQUE.has(k) ? v : typeof v === 'object' ? renameKeys(v, rename) : v;
  }
  return out;
}

// Memoised 3.x → 2.x key spelling: the rename runs on every 2.3 rendering (hot path).
const to2Cache = new Map<string, string>();
function to2(k: string): string {
  let r = to2Cache.get(k);
  if (r === undefined) {
    r = TO_2[k] ?? k.toLowerCase();
    if (to2Cache.size < 1000) to2Cache.set(k, r);
  }
  return r;
}

/** A 3.x document with its properties spelled the 2.x way. */
export function ninjs3To2Names(doc: Record<string, unknown>): Record<string, unknown> {
  return renameKeys(doc, to2) as Record<string, unknown>;
}

/** A 2.x document with its properties renamed to the 3.x spelling (for the shared reader). */
export function ninjs2To3Names(doc: Record<string, unknown>): Record<string, unknown> {
  return renameKeys(doc, (k) => TO_3[k] ?? k) as Record<string, unknown>;
}

/** Keys that only a 2.x document spells this way: used to sniff the version of an unlabelled doc. */
export const NINJS2_ONLY_KEYS = [
  'versioncreated',
  'firstcreated',
  'pubstatus',
  'embargoed',
  'altids',
  'ednote',
  'copyrightholder',
  'copyrightnotice',
  'usageterms',
  'contentcreated',
  'infosources',
  'representationtype',
  'trustindicators',
  'rightsinfo',
  'digitalsourcetype',
];
