// The one place a delivery is turned into what a subscriber receives. Every channel calls it, so content
// negotiation (ninjs, NewsML-G2) can be swapped in here without touching the feed, stream or webhooks.
import type { FlowItem, StoryVersion } from '../model/story.ts';
import type { Subscriber } from '../store/subscribers.ts';
import { encodeCursor } from './cursor.ts';
import { embargoFlag } from './entitlement.ts';

/** One delivered event as JSON: its cursor, the event, the full version, and the embargo when it still holds. */
export interface RenderedItem {
  cursor: string;
  event: { kind: string; seq: number; at: string; storyId: string; version: number };
  story: StoryVersion;
  embargo?: { until: string };
}

/** The delivery of `item` to `subscriber` (today JSON whatever the subscriber's default format). */
export function renderForSubscriber(item: FlowItem, _subscriber: Pick<Subscriber, 'defaultFormat'> | null): RenderedItem {
  const e = item.event;
  const embargo = embargoFlag(e);
  return {
    cursor: encodeCursor(e.seq),
    event: { kind: e.kind, seq: e.seq, at: e.at, storyId: e.storyId, version: e.version },
    story: item.version,
    ...(embargo ? { embargo } : {}),
  };
}

/**
 * The key under which a rendering can be shared between subscribers: everything renderForSubscriber
 * depends on. Streams serialize each frame once per key, not once per subscriber.
 */
export function renderKey(item: FlowItem, subscriber: Pick<Subscriber, 'defaultFormat'>): string {
  return `${item.event.seq}:${subscriber.defaultFormat}`;
}

const JSON_CACHE = 4096;
const jsonCache = new Map<string, string>();

/** renderForSubscriber as JSON text, cached per rendering key: a page of the feed is then mostly joins. */
export function renderedJson(item: FlowItem, subscriber: Pick<Subscriber, 'defaultFormat'>): string {
  const key = renderKey(item, subscriber);
  let text = jsonCache.get(key);
  if (text === undefined) {
    text = JSON.stringify(renderForSubscriber(item, subscriber));
    if (jsonCache.size >= JSON_CACHE) jsonCache.delete(jsonCache.keys().next().value!);
    jsonCache.set(key, text);
  }
  return text;
}
