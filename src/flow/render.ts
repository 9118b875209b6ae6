// The one place a delivery is turned into what a subscriber receives. Every channel (feed, stream,
// WebSocket, webhooks) calls it, so all of them carry the same envelope in the same format: the
// subscriber's configured default, or what the request chose.
import { OUTPUT_FORMATS, type OutputFormat } from '../formats/negotiate.ts';
import { renderVersion } from '../formats/render.ts';
import type { FlowItem } from '../model/story.ts';
import type { Subscriber } from '../model/subscribers.ts';
import { encodeCursor } from './cursor.ts';
import { embargoFlag } from './entitlement.ts';

/** Formats a delivery can carry its story in (Atom is a whole-page format: the feed offers it separately). */
export const DELIVERY_FORMATS = ['ninjs', 'ninjs2', 'newsml', 'json', 'html', 'text'] as const;
export type DeliveryFormat = (typeof DELIVERY_FORMATS)[number];

// The public address deliveries carry in IPTC URIs and links. One per process, set by the composition
// root from NEWSFLOW_BASE_URL before anything is delivered (every channel renders through this module).
let deliveryBase = 'http://localhost:8080';

/** Sets the address deliveries link to (the composition root calls it once, at start). */
export function useDeliveryBaseUrl(url: string): void {
  deliveryBase = url.replace(/\/+$/, '');
}

/** The public address used in IPTC URIs and links of deliveries. */
export function baseUrl(): string {
  return deliveryBase;
}

/** A subscriber's configured format, or ninjs 3.2 (the API's default) when it names none we know. */
export function defaultFormatOf(subscriber: Pick<Subscriber, 'defaultFormat'> | null): DeliveryFormat {
  const f = subscriber?.defaultFormat as DeliveryFormat | undefined;
  return f && (DELIVERY_FORMATS as readonly string[]).includes(f) ? f : 'ninjs';
}

/** One delivered event: its cursor, the event, the story in `format`, and the embargo while it holds. */
export interface RenderedItem {
  cursor: string;
  event: { kind: string; seq: number; at: string; storyId: string; version: number };
  /** Which representation `story` is; its media type is `contentType`. */
  format: DeliveryFormat;
  contentType: string;
  /** ninjs and json: an object; newsml, html, text: the document as a string. */
  story: unknown;
  embargo?: { until: string };
}

/** The delivery of `item` to `subscriber`, in `format` (default: the subscriber's own). */
export function renderForSubscriber(
  item: FlowItem,
  subscriber: Pick<Subscriber, 'defaultFormat'> | null,
  format: DeliveryFormat = defaultFormatOf(subscriber),
): RenderedItem {
  const e = item.event;
  const embargo = embargoFlag(e);
  let story: unknown;
  if (format === 'json') {
    // Who published a version is the newsroom's business, not the subscriber's.
    const { by: _staffOnly, ...version } = item.version;
    story = version;
  } else {
    const body = renderVersion(format as Exclude<OutputFormat, 'atom'>, item.version, { baseUrl: baseUrl() }).body;
    story = format === 'ninjs' || format === 'ninjs2' ? JSON.parse(body) : body;
  }
  return {
    cursor: encodeCursor(e.seq),
    event: { kind: e.kind, seq: e.seq, at: e.at, storyId: e.storyId, version: e.version },
    format,
    contentType: OUTPUT_FORMATS[format].contentType.split(';')[0],
    story,
    ...(embargo ? { embargo } : {}),
  };
}

/**
 * The key under which a rendering can be shared between subscribers: everything renderForSubscriber
 * depends on. Streams serialize each frame once per key, not once per subscriber.
 */
export function renderKey(item: FlowItem, format: DeliveryFormat): string {
  // The revision id keeps two stores in one process (tests, benchmarks) from sharing a cached frame.
  return `${item.event.seq}:${item.version.revisionId}:${format}`;
}

const JSON_CACHE = 4096;
const jsonCache = new Map<string, string>();

/** renderForSubscriber as JSON text, cached per rendering key: a page of the feed is then mostly joins. */
export function renderedJson(item: FlowItem, format: DeliveryFormat): string {
  const key = renderKey(item, format);
  let text = jsonCache.get(key);
  if (text === undefined) {
    text = JSON.stringify(renderForSubscriber(item, null, format));
    if (jsonCache.size >= JSON_CACHE) jsonCache.delete(jsonCache.keys().next().value!);
    jsonCache.set(key, text);
  }
  return text;
}
