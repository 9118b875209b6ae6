// Page script of the wire monitor, the story lists and the archive search: times shown in the reader's
// own time zone and locale format, and on the monitor's first page the live feed — rows from
// /desk/wire/stream inserted at the top as events happen, announced to screen readers. EventSource
// reconnects by itself and sends Last-Event-ID, so a dropped connection misses nothing.

const lang = document.documentElement.lang || undefined;
const format = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' });

function localTimes(root: ParentNode): void {
  for (const t of root.querySelectorAll<HTMLTimeElement>('time[datetime]')) {
    const d = new Date(t.dateTime);
    if (!Number.isNaN(d.getTime())) {
      t.title = t.dateTime;
      t.textContent = format.format(d);
    }
  }
}

interface Entry {
  seq: number;
  html: string;
  announce: string;
}

function follow(table: HTMLTableElement, url: string): void {
  const body = table.tBodies[0];
  const announcer = document.getElementById('wire-announcer');
  const source = new EventSource(url);
  source.addEventListener('entry', (ev) => {
    const entry = JSON.parse((ev as MessageEvent<string>).data) as Entry;
    if (body.querySelector(`tr[data-seq="${entry.seq}"]`)) return;
    // The row is markup the server rendered and escaped (the same as the page's own rows).
    const template = document.createElement('template');
    template.innerHTML = entry.html.trim();
    const row = template.content.firstElementChild;
    if (!(row instanceof HTMLTableRowElement)) return;
    localTimes(row);
    row.classList.add('fresh');
    body.querySelector('tr.empty')?.remove();
    body.insertBefore(row, body.firstElementChild);
    if (announcer) {
      const line = document.createElement('p');
      line.textContent = entry.announce;
      announcer.append(line);
      // Keep the live region short: screen readers read additions, not history.
      while (announcer.childElementCount > 5) announcer.firstElementChild?.remove();
    }
  });
  table.dataset.live = 'connecting';
  source.addEventListener('open', () => {
    table.dataset.live = 'open';
  });
  source.addEventListener('error', () => {
    table.dataset.live = source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting';
  });
}

localTimes(document);
const table = document.querySelector<HTMLTableElement>('table[data-stream]');
if (table?.dataset.stream) follow(table, table.dataset.stream);
