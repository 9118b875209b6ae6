// The public live stream (/public/stream): server-sent events announcing public stories as they are
// published. One reader follows the flow log for all connections and sends only what a list page
// shows (headline, deck, link) — never body text. Killed stories are announced as `withdrawn`.
import type { ServerResponse } from 'node:http';
import type { Hub } from '../flow/hub.ts';
import type { FlowItem } from '../model/story.ts';
import type { Store } from '../model/store.ts';
import { slugify } from '../model/slug.ts';
import { cleanText } from './html.ts';
import { editionOf, type Lang } from './i18n.ts';
import { urls } from './urls.ts';

interface Client {
  res: ServerResponse;
  lang: Lang | null;
}

const HEARTBEAT_MS = 20_000;
const MAX_CLIENTS = 10_000;

export class PublicStream {
  private clients = new Set<Client>();
  private seq = -1;
  private reading = false;
  private again = false;
  private unsubscribe: () => void;
  private heartbeat: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    hub: Hub,
  ) {
    this.unsubscribe = hub.subscribe(() => void this.pump());
    this.heartbeat = setInterval(() => this.broadcast(': ping\n\n', null), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Takes over the response for a new reader of `lang` (null: every language). False when full. */
  async attach(res: ServerResponse, lang: Lang | null): Promise<boolean> {
    if (this.clients.size >= MAX_CLIENTS) return false;
    if (this.seq < 0) this.seq = await this.store.headSeq();
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    res.write('retry: 5000\n\n');
    const client = { res, lang };
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    return true;
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.heartbeat);
    for (const c of this.clients) c.res.end(': closed: server shutting down\n\n');
    this.clients.clear();
  }

  private broadcast(data: string, lang: Lang | null): void {
    for (const c of this.clients) if (!lang || !c.lang || c.lang === lang) c.res.write(data);
  }

  /** Reads the log from where the stream stands and announces what became public; one read at a time. */
  private async pump(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return;
    }
    if (this.clients.size === 0) {
      this.seq = -1;
      return;
    } // nobody listens: the next reader starts at the head
    this.reading = true;
    try {
      do {
        this.again = false;
        for (;;) {
          const items = await this.store.readLog({ after: this.seq, limit: 200 });
          if (!items.length) break;
          for (const item of items) this.announce(item);
          this.seq = items[items.length - 1].event.seq;
        }
      } while (this.again);
    } catch {
      // The next head change retries from the same position.
    } finally {
      this.reading = false;
    }
  }

  private announce({ event, version }: FlowItem): void {
    const c = version.content;
    const lang = editionOf(c.language);
    if (event.kind === 'killed') {
      this.broadcast(`event: withdrawn\nid: ${event.seq}\ndata: ${JSON.stringify({ id: event.storyId })}\n\n`, lang);
      return;
    }
    const embargoed = event.kind !== 'embargo-lifted' && c.embargoUntil && Date.parse(c.embargoUntil) > Date.now();
    if (embargoed || version.pubStatus !== 'usable') return;
    const item = {
      id: event.storyId,
      kind: event.kind,
      language: c.language,
      urgency: c.urgency,
      headline: cleanText(c.headline),
      deck: c.deck ? cleanText(c.deck) : null,
      url: urls.story({ language: c.language, slug: slugify(c.headline, c.language), id: event.storyId }),
      publishedAt: version.firstPublishedAt,
    };
    this.broadcast(`event: story\nid: ${event.seq}\ndata: ${JSON.stringify(item)}\n\n`, lang);
  }
}
