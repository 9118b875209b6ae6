// The portal's page script: times in the reader's own time zone, the live wire (rows the server
// rendered, put on top as they arrive over SSE), opt-in sound and desktop notifications for Flash and
// Urgent stories, and "copy text" on the story page. The pages work without it, except for live arrival.

function localTimes(root: ParentNode): void {
  const lang = document.documentElement.lang || undefined;
  const fmt = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  for (const el of root.querySelectorAll<HTMLTimeElement>('time[data-local]')) {
    const d = new Date(el.dateTime);
    if (!Number.isNaN(d.getTime())) el.textContent = fmt.format(d);
  }
}

const SOUND_KEY = 'newsflow.portal.alert-sound';
const DESKTOP_KEY = 'newsflow.portal.alert-desktop';

function optIn(id: string, key: string, onEnable?: () => void): () => boolean {
  const box = document.getElementById(id) as HTMLInputElement | null;
  if (!box) return () => false;
  box.checked = localStorage.getItem(key) === '1';
  box.addEventListener('change', () => {
    localStorage.setItem(key, box.checked ? '1' : '0');
    if (box.checked) onEnable?.();
  });
  return () => box.checked;
}

function beep(): void {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.value = 0.1;
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.25);
  } catch {
    // No audio here: the row is still on the page.
  }
}

function liveWire(): void {
  const wire = document.getElementById('wire');
  const url = wire?.dataset.live;
  if (!wire || !url || !window.EventSource) return;
  const status = document.getElementById('live-status');
  const sound = optIn('alert-sound', SOUND_KEY);
  const desktop = optIn('alert-desktop', DESKTOP_KEY, () => {
    if ('Notification' in window && Notification.permission === 'default') void Notification.requestPermission();
  });
  let count = 0;
  const source = new EventSource(url);
  source.addEventListener('story', (e) => {
    let item: { seq: number; urgency: number; kind: string; html: string };
    try {
      item = JSON.parse((e as MessageEvent).data);
    } catch {
      return;
    }
    if (wire.querySelector(`[data-seq="${item.seq}"]`)) return;
    // The row was rendered and escaped on the server.
    const holder = document.createElement('template');
    holder.innerHTML = item.html;
    const row = holder.content.firstElementChild;
    if (!row) return;
    row.classList.add('arrived');
    wire.prepend(row);
    localTimes(row);
    document.querySelector('.empty')?.remove();
    count++;
    if (status) status.textContent = (count === 1 ? status.dataset.newOne : status.dataset.newMany?.replace('{n}', String(count))) ?? '';
    if (item.urgency <= 2 && item.kind !== 'killed') {
      if (sound()) beep();
      if (desktop() && 'Notification' in window && Notification.permission === 'granted') {
        const headline = row.querySelector('.headline')?.textContent ?? '';
        new Notification(headline);
      }
    }
  });
  source.addEventListener('signed-out', () => {
    source.close();
    window.location.reload();
  });
}

function copyText(): void {
  const button = document.querySelector<HTMLButtonElement>('[data-copy]');
  const source = document.querySelector<HTMLElement>('[data-copy-source]');
  if (!button || !source) return;
  button.hidden = false;
  button.addEventListener('click', async () => {
    const parts = [...source.querySelectorAll<HTMLElement>('h1, .deck, .body h2, .body p, .body li')]
      .map((el) => (el.textContent ?? '').trim())
      .filter(Boolean);
    await navigator.clipboard.writeText(parts.join('\n\n'));
    const done = document.getElementById('copy-status');
    if (done) done.textContent = button.dataset.copied ?? '';
  });
}

localTimes(document);
liveWire();
copyText();
