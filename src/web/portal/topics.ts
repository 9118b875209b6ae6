// Topics and notifications (/portal/topics, /portal/topics/:id, /portal/notifications): a seat makes a
// topic from a query (a bad query is said next to the field), follows it with an e-mail mode and
// in-portal notifications on or off, reads the topic's own live view (entitled stories only), and sees
// its notifications (a bell with the unseen count, the list, mark seen), all kept live over small
// event streams. The flow side is src/flow/seat-topics.ts; alerts are made by src/flow/topic-alerts.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SeatTopics, type SeatTopic, type TopicStory } from '../../flow/seat-topics.ts';
import { TopicLive } from '../../flow/topic-live.ts';
import { FOLLOW_MODES, type Notification } from '../../model/topics.ts';
import { field, text } from '../account/forms.ts';
import { clientScriptUrl } from '../client-assets.ts';
import { html, type SafeHtml } from '../html.ts';
import type { PortalContext } from './context.ts';
import { PORTAL } from './layout.ts';
import { afterEachPublish, fieldErrors, orNotFound, PageStreams, seatOf, ULID, wordsOf } from './self-service-kit.ts';
import type { SelfStrings } from './self-service-strings.ts';

const storyHref = (id: string) => `${PORTAL}/stories/${encodeURIComponent(id)}`;

/** The bell: unseen notifications, kept current by the page script. */
export function bell(s: SelfStrings, unseen: number): SafeHtml {
  return html`<a class="bell" id="bell" href="${PORTAL}/notifications"><span aria-hidden="true">🔔</span> <span id="bell-text">${s.bell(unseen)}</span></a>`;
}

function modeSelect(s: SelfStrings, name: string, id: string, value: string, label?: string): SafeHtml {
  return html`<select id="${id}" name="${name}"${label ? html` aria-label="${label}"` : ''}>${FOLLOW_MODES.map(
    (m) => html`<option value="${m}"${m === value ? html` selected` : ''}>${s.modes[m]}</option>`,
  )}</select>`;
}

function storyItem(st: TopicStory): SafeHtml {
  return html`<li data-story="${st.storyId}"><a href="${storyHref(st.storyId)}" lang="${st.language}" dir="auto">${st.headline}</a> <time datetime="${st.publishedAt}">${st.publishedAt.slice(0, 16).replace('T', ' ')}</time></li>`;
}

function notificationItem(s: SelfStrings, n: Notification, csrf: string): SafeHtml {
  return html`<li data-notification="${String(n.id)}"${n.seen ? '' : html` class="unseen"`}>
  ${n.seen ? '' : html`<strong class="badge">${s.unseen}</strong> `}<a href="${storyHref(n.storyId)}" lang="${n.language}" dir="auto">${n.headline}</a>
  <time datetime="${n.at}">${n.at.slice(0, 16).replace('T', ' ')}</time>
  ${
    n.seen
      ? ''
      : html`<form method="post" action="${PORTAL}/notifications/seen" class="inline"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="ids" value="${String(n.id)}"><button type="submit" class="secondary">${s.markSeen}</button></form>`
  }
</li>`;
}

export function topicRoutes(app: FastifyInstance, portal: PortalContext): void {
  const topics = new SeatTopics(portal.rt);
  const streams = new PageStreams(app);
  const script = () => html`<script type="module" src="${clientScriptUrl('portal-live')}"></script>`;

  async function topicsPage(
    req: FastifyRequest,
    reply: import('fastify').FastifyReply,
    status: number,
    form: Record<string, string> = {},
    errors: Record<string, string> = {},
  ) {
    const seat = seatOf(req);
    const s = wordsOf(req);
    const [list, unseen] = await Promise.all([topics.topics(seat), topics.unseenCount(seat)]);
    return portal.page(
      req,
      reply,
      status,
      () => s.topicsTitle,
      (csrf) => html`<div class="title-row"><h1>${s.topicsTitle}</h1>${bell(s, unseen)}</div>
<p>${s.topicsIntro}</p>
<section class="panel" aria-labelledby="new-topic"><h2 id="new-topic">${s.newTopic}</h2>
<form method="post" action="${PORTAL}/topics" novalidate>
  <input type="hidden" name="_csrf" value="${csrf}">
  ${field({ name: 'name', label: s.topicName, value: form.name, error: errors.name, required: true })}
  ${field({ name: 'query', label: s.topicQuery, value: form.query, error: errors.query, help: s.topicQueryHelp, required: true, dir: 'auto' })}
  <div class="field${errors.mode ? ' has-error' : ''}"><label for="f-mode">${s.mode}</label>${modeSelect(s, 'mode', 'f-mode', form.mode ?? 'immediate')}
  ${errors.mode ? html`<p class="error" role="alert">${errors.mode}</p>` : ''}</div>
  <div class="field"><label><input type="checkbox" name="notify" value="1"${form.notify === '' ? '' : html` checked`}> ${s.notify}</label></div>
  <button type="submit">${s.createTopic}</button>
</form></section>
<h2>${s.topicsTitle}</h2>
${
  list.length === 0
    ? html`<p>${s.noTopics}</p>`
    : html`<table><thead><tr><th scope="col">${s.topicName}</th><th scope="col">${s.topicQuery}</th><th scope="col">${s.follow}</th></tr></thead><tbody>${list.map((x) => topicRow(s, x, csrf))}</tbody></table>`
}
${script()}`,
    );
  }

  function topicRow(s: SelfStrings, { topic, follow }: SeatTopic, csrf: string): SafeHtml {
    const id = topic.id;
    return html`<tr data-topic="${id}"><td><a href="${PORTAL}/topics/${id}" dir="auto">${topic.name}</a></td><td><code dir="auto">${topic.query}</code></td>
<td><form method="post" action="${PORTAL}/topics/${id}/follow" class="inline">
  <input type="hidden" name="_csrf" value="${csrf}">
  ${modeSelect(s, 'mode', `mode-${id}`, follow?.mode ?? 'immediate', `${s.mode}: ${topic.name}`)}
  <label><input type="checkbox" name="notify" value="1"${!follow || follow.notify ? html` checked` : ''}> ${s.notify}</label>
  <button type="submit">${follow ? s.saveFollow : s.follow}</button>
</form>
${
  follow
    ? html`<span class="state">${s.following}</span> <form method="post" action="${PORTAL}/topics/${id}/unfollow" class="inline"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="secondary">${s.unfollow}</button></form>`
    : html`<span class="state">${s.notFollowing}</span>`
}</td></tr>`;
  }

  app.get('/topics', { preHandler: portal.guard() }, async (req, reply) => topicsPage(req, reply, 200));

  app.post('/topics', { preHandler: portal.guard() }, async (req, reply) => {
    const form = {
      name: text(req.body, 'name', 300),
      query: text(req.body, 'query', 1200),
      mode: text(req.body, 'mode', 20),
      notify: text(req.body, 'notify', 5),
    };
    try {
      const made = await topics.create(seatOf(req), { ...form, notify: form.notify === '1' });
      return reply.code(303).header('location', `${PORTAL}/topics/${made.topic.id}`).send();
    } catch (e) {
      return topicsPage(req, reply, 400, form, fieldErrors(e));
    }
  });

  app.post<{ Params: { id: string } }>('/topics/:id/follow', { preHandler: portal.guard() }, async (req, reply) =>
    orNotFound(portal, req, reply, async () => {
      try {
        await topics.follow(seatOf(req), req.params.id, { mode: text(req.body, 'mode', 20), notify: text(req.body, 'notify', 5) === '1' });
      } catch (e) {
        return topicsPage(req, reply, 400, {}, fieldErrors(e));
      }
      return reply.code(303).header('location', `${PORTAL}/topics`).send();
    }),
  );

  app.post<{ Params: { id: string } }>('/topics/:id/unfollow', { preHandler: portal.guard() }, async (req, reply) =>
    orNotFound(portal, req, reply, async () => {
      await topics.unfollow(seatOf(req), req.params.id);
      return reply.code(303).header('location', `${PORTAL}/topics`).send();
    }),
  );

  app.get<{ Params: { id: string } }>('/topics/:id', { preHandler: portal.guard() }, async (req, reply) =>
    orNotFound(portal, req, reply, async () => {
      const seat = seatOf(req);
      const s = wordsOf(req);
      if (!ULID.test(req.params.id)) return topics.topic(seat, '-');
      const [{ topic, follow }, stories, unseen] = await Promise.all([
        topics.topic(seat, req.params.id),
        topics.stories(seat, req.params.id),
        topics.unseenCount(seat),
      ]);
      return portal.page(
        req,
        reply,
        200,
        () => topic.name,
        () => html`<div class="title-row"><h1 dir="auto">${topic.name}</h1>${bell(s, unseen)}</div>
<p><code dir="auto">${topic.query}</code> · ${follow ? html`${s.following}: ${s.modes[follow.mode]}` : s.notFollowing} · <a href="${PORTAL}/topics">${s.topicsTitle}</a></p>
<p class="help">${s.topicLive}</p>
<ul class="stories" id="topic-stories" data-live="${PORTAL}/topics/${topic.id}/live" aria-live="polite">${stories.map(storyItem)}</ul>
${stories.length === 0 ? html`<p id="topic-empty">${s.topicEmpty}</p>` : ''}
${script()}`,
      );
    }),
  );

  // The topic's live view: stories the topic matches that the subscriber may see, as they come (one
  // shared reader of the log for every open view: src/flow/topic-live.ts).
  const live = new TopicLive(portal.rt.store, portal.rt.hub, portal.rt.deliveries, (e) => app.log.error(e));
  app.get<{ Params: { id: string } }>('/topics/:id/live', { preHandler: portal.guard() }, async (req, reply) =>
    orNotFound(portal, req, reply, async () => {
      const seat = seatOf(req);
      if (!ULID.test(req.params.id)) return topics.topic(seat, '-');
      const { topic } = await topics.topic(seat, req.params.id);
      let stop: (() => void) | null = null;
      let closed = false;
      const send = streams.start(reply, {
        onClose: () => {
          closed = true;
          stop?.();
        },
      });
      stop = await live.open(seat.subscriberId, topic.query, (item) => {
        const c = item.version.content;
        const st: TopicStory = {
          storyId: item.event.storyId,
          version: item.event.version,
          language: c.language,
          headline: c.headline,
          publishedAt: item.event.at,
          snippetHtml: '',
        };
        send('story', { storyId: st.storyId, version: st.version, html: String(storyItem(st)) });
      });
      if (closed) stop();
    }),
  );

  async function notificationsPage(req: FastifyRequest, reply: import('fastify').FastifyReply) {
    const seat = seatOf(req);
    const s = wordsOf(req);
    const [list, unseen] = await Promise.all([topics.notifications(seat), topics.unseenCount(seat)]);
    return portal.page(
      req,
      reply,
      200,
      () => s.notificationsTitle,
      (csrf) => html`<div class="title-row"><h1>${s.notificationsTitle}</h1>${bell(s, unseen)}</div>
${
  unseen > 0
    ? html`<form method="post" action="${PORTAL}/notifications/seen"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="all" value="1"><button type="submit">${s.markAllSeen}</button></form>`
    : ''
}
<ul class="notifications" id="notification-list" data-csrf="${csrf}" aria-live="polite">${list.map((n) => notificationItem(s, n, csrf))}</ul>
${list.length === 0 ? html`<p id="notifications-empty">${s.noNotifications}</p>` : ''}
${script()}`,
    );
  }

  app.get('/notifications', { preHandler: portal.guard() }, async (req, reply) => notificationsPage(req, reply));

  app.post('/notifications/seen', { preHandler: portal.guard() }, async (req, reply) => {
    const seat = seatOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    let ids: number[];
    if (text(body, 'all', 5) === '1') ids = (await topics.notifications(seat, 500)).filter((n) => !n.seen).map((n) => n.id);
    else {
      const raw = Array.isArray(body.ids) ? body.ids : [body.ids];
      ids = raw
        .map((x) => Number(x))
        .filter((x) => Number.isSafeInteger(x) && x > 0)
        .slice(0, 500);
    }
    await topics.markSeen(seat, ids);
    return reply.code(303).header('location', `${PORTAL}/notifications`).send();
  });

  // The bell and the list, live: the unseen count and the newest notifications when they change.
  app.get('/notifications/live', { preHandler: portal.guard() }, async (req, reply) => {
    const seat = seatOf(req);
    const s = wordsOf(req);
    // The page script fills the forms' token in from the page's own (a stream answer sets no cookie).
    const csrf = '';
    let last = '';
    let checking = false;
    const check = async () => {
      if (checking) return;
      checking = true;
      try {
        const [list, unseen] = await Promise.all([topics.notifications(seat, 20), topics.unseenCount(seat)]);
        const mark = `${unseen}/${list[0]?.id ?? 0}`;
        if (mark === last) return;
        last = mark;
        send('notifications', {
          unseen,
          text: s.bell(unseen),
          items: list.map((n) => ({ id: n.id, html: String(notificationItem(s, n, csrf)) })),
        });
      } catch {
        // Busy store: the heartbeat checks again.
      } finally {
        checking = false;
      }
    };
    const stop = afterEachPublish(portal, () => void check());
    const send = streams.start(reply, { onClose: stop, tick: () => void check() });
    void check();
  });
}
