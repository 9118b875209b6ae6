// Topics as a seat works with them in the portal: a topic is one of the subscriber's saved searches; a
// seat follows it (e-mail at once, hourly or daily, and in-portal notifications on or off) and reads its
// own live view, which passes the one entitlement rule like every other channel. The alert engine
// (src/flow/topic-alerts.ts) turns follows into notifications and e-mails. A topic of another
// subscriber is a NotFoundError, as if it did not exist.
import { ConflictError, NotFoundError } from '../model/errors.ts';
import type { SavedSearch } from '../model/saved-searches.ts';
import type { Store } from '../model/store.ts';
import { FOLLOW_MODES, type Follow, type FollowMode, type Notification } from '../model/topics.ts';
import { ValidationError } from '../model/validate.ts';
import { parseQuery, QuerySyntaxError } from '../search/index.ts';
import type { Deliveries } from './deliveries.ts';
import type { Hub } from './hub.ts';
import { subscriberSearchFilter } from './search-access.ts';
import type { Seat } from './self-service.ts';

/** A topic with this seat's follow of it (null: not followed). */
export interface SeatTopic {
  topic: SavedSearch;
  follow: Follow | null;
}

/** A story of a topic's live view. */
export interface TopicStory {
  storyId: string;
  version: number;
  language: string;
  headline: string;
  publishedAt: string;
  snippetHtml: string;
}

const NAME_MAX = 200;
const QUERY_MAX = 1000;

export class SeatTopics {
  constructor(private readonly rt: { store: Store; hub: Hub; deliveries: Deliveries }) {}

  /** The subscriber's topics, each with the seat's follow. */
  async topics(seat: Seat): Promise<SeatTopic[]> {
    const [topics, follows] = await Promise.all([this.rt.store.savedSearches.list(seat.subscriberId), this.rt.store.topics.listFollows(seat.id)]);
    return topics.map((topic) => ({ topic, follow: follows.find((f) => f.savedSearchId === topic.id) ?? null }));
  }

  async topic(seat: Seat, id: string): Promise<SeatTopic> {
    const topic = await this.rt.store.savedSearches.get(id);
    if (!topic || topic.subscriberId !== seat.subscriberId) throw new NotFoundError(`no topic ${id}`);
    const follow = (await this.rt.store.topics.listFollows(seat.id)).find((f) => f.savedSearchId === id) ?? null;
    return { topic, follow };
  }

  /** A new topic from a query of the search language (a bad one is refused on the field), followed at once. */
  async create(seat: Seat, input: { name: string; query: string; mode: string; notify: boolean }): Promise<SeatTopic> {
    const name = input.name.trim();
    const query = input.query.trim();
    const errors: { field: string; message: string }[] = [];
    if (!name) errors.push({ field: '/name', message: 'name the topic' });
    else if (name.length > NAME_MAX) errors.push({ field: '/name', message: `at most ${NAME_MAX} characters` });
    if (!query) errors.push({ field: '/query', message: 'a query in the search language, e.g. olive OR zeytin lang:tr' });
    else if (query.length > QUERY_MAX) errors.push({ field: '/query', message: `at most ${QUERY_MAX} characters` });
    else {
      try {
        parseQuery(query);
      } catch (e) {
        if (!(e instanceof QuerySyntaxError)) throw e;
        errors.push({ field: '/query', message: e.message });
      }
    }
    const mode = modeOf(input.mode, errors);
    if (errors.length > 0) throw new ValidationError(errors);
    let topic: SavedSearch;
    try {
      topic = await this.rt.store.savedSearches.create({ subscriberId: seat.subscriberId, name, query });
    } catch (e) {
      if (e instanceof ConflictError) throw new ValidationError([{ field: '/name', message: `a topic named "${name}" exists already` }]);
      throw e;
    }
    const follow = await this.follow(seat, topic.id, { mode, notify: input.notify });
    return { topic, follow };
  }

  /** Follows the topic from now on (or changes how): old stories are not alerted. */
  async follow(seat: Seat, id: string, how: { mode: string; notify: boolean }): Promise<Follow> {
    const { topic } = await this.topic(seat, id);
    const errors: { field: string; message: string }[] = [];
    const mode = modeOf(how.mode, errors);
    if (errors.length > 0) throw new ValidationError(errors);
    const head = Math.max(this.rt.hub.lastHead, await this.rt.store.headSeq());
    return this.rt.store.topics.follow({ userId: seat.id, subscriberId: seat.subscriberId, savedSearchId: topic.id, mode, notify: how.notify, cursor: head });
  }

  async unfollow(seat: Seat, id: string): Promise<void> {
    const { follow } = await this.topic(seat, id);
    if (follow) await this.rt.store.topics.unfollow(follow.id);
  }

  /** The newest stories the topic matches that the subscriber is entitled to now. */
  async stories(seat: Seat, id: string, limit = 20): Promise<TopicStory[]> {
    const { topic } = await this.topic(seat, id);
    const subscriber = await this.rt.deliveries.subscriber(seat.subscriberId);
    if (!subscriber) return [];
    const result = await this.rt.store.search.query(topic.query, {
      ...subscriberSearchFilter(subscriber, await this.rt.store.search.embargoedStoryIds(new Date())),
      limit,
      offset: 0,
      sort: 'recency',
    });
    return result.hits.map((h) => ({
      storyId: h.storyId,
      version: h.version,
      language: h.language,
      headline: h.headline,
      publishedAt: h.publishedAt,
      snippetHtml: h.snippetHtml,
    }));
  }

  /** The seat's notifications, newest first. */
  async notifications(seat: Seat, limit = 50): Promise<Notification[]> {
    return this.rt.store.topics.notifications(seat.id, { limit });
  }

  async unseenCount(seat: Seat): Promise<number> {
    return (await this.rt.store.topics.notifications(seat.id, { unseenOnly: true, limit: 100 })).length;
  }

  /** Marks the seat's own notifications seen (ids of anyone else's are ignored). */
  async markSeen(seat: Seat, ids: number[]): Promise<number> {
    return this.rt.store.topics.markSeen(seat.id, ids);
  }
}

function modeOf(mode: string, errors: { field: string; message: string }[]): FollowMode {
  if ((FOLLOW_MODES as readonly string[]).includes(mode)) return mode as FollowMode;
  errors.push({ field: '/mode', message: `use one of ${FOLLOW_MODES.join(', ')}` });
  return 'immediate';
}
