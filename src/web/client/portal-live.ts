// The portal's topics and notifications pages, live: the bell's unseen count and the notification list
// follow /portal/notifications/live; a topic's view adds its new matching stories from its own stream.
// The server renders every item (escaped); this script only places it.

const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';

/** An item the server rendered, as an element, its forms given this page's CSRF token. */
function element(markup: string): Element | null {
  const t = document.createElement('template');
  t.innerHTML = markup;
  for (const input of t.content.querySelectorAll<HTMLInputElement>('input[name="_csrf"]')) if (!input.value) input.value = csrf;
  return t.content.firstElementChild;
}

const bellText = document.getElementById('bell-text');
const list = document.getElementById('notification-list');
if (bellText || list) {
  const es = new EventSource('/portal/notifications/live');
  es.addEventListener('notifications', (e) => {
    const d = JSON.parse((e as MessageEvent<string>).data) as { unseen: number; text: string; items: { id: number; html: string }[] };
    if (bellText) bellText.textContent = d.text;
    document.getElementById('bell')?.classList.toggle('has-unseen', d.unseen > 0);
    if (!list) return;
    for (const item of [...d.items].reverse()) {
      if (list.querySelector(`[data-notification="${item.id}"]`)) continue;
      const el = element(item.html);
      if (el) list.prepend(el);
      document.getElementById('notifications-empty')?.remove();
    }
  });
}

const stories = document.getElementById('topic-stories');
const live = stories?.dataset.live;
if (stories && live) {
  const es = new EventSource(live);
  es.addEventListener('story', (e) => {
    const d = JSON.parse((e as MessageEvent<string>).data) as { storyId: string; html: string };
    stories.querySelector(`[data-story="${CSS.escape(d.storyId)}"]`)?.remove();
    const el = element(d.html);
    if (el) stories.prepend(el);
    document.getElementById('topic-empty')?.remove();
  });
}
