// Pieces the portal's pages share: a wire row, urgency and kind marks, times a page script shows in the
// reader's own time zone. Each story's text carries its own language and direction, whatever the
// interface language is.
import type { FlowItem } from '../../model/story.ts';
import { directionOf } from '../../model/story.ts';
import { html, type SafeHtml } from '../html.ts';
import { PORTAL } from './layout.ts';
import type { PortalStrings } from './strings.ts';

/** A time: UTC on the server, rewritten by the page script in the reader's time zone. */
export function timeOf(iso: string): SafeHtml {
  const d = new Date(iso);
  const text = Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return html`<time datetime="${iso}" data-local>${text}</time>`;
}

export function urgencyMark(urgency: number, t: PortalStrings): SafeHtml {
  const name = t.urgencies[String(urgency)] ?? String(urgency);
  return html`<span class="urgency u${String(urgency)}" data-urgency="${String(urgency)}">${name}</span>`;
}

/** True while the item's version is under an embargo not yet lifted (only subscribers with embargo rights get it then). */
export function underEmbargo(item: FlowItem, now = Date.now()): string | null {
  const until = item.version.content.embargoUntil;
  if (item.event.kind === 'embargo-lifted' || item.event.kind === 'killed' || !until) return null;
  return Date.parse(until) > now ? until : null;
}

export function embargoBanner(until: string, t: PortalStrings): SafeHtml {
  const [before, after] = t.embargoedUntil('\u0000').split('\u0000');
  return html`<p class="embargo" role="note" data-embargo="${until}"><strong>${before}${timeOf(until)}${after}</strong></p>`;
}

/** One line of the wire: urgency, what happened (new, correction, withdrawn …), headline, time. */
export function wireRow(item: FlowItem, t: PortalStrings, now = Date.now()): SafeHtml {
  const { event, version } = item;
  const c = version.content;
  const embargo = underEmbargo(item, now);
  return html`<li class="wire-row kind-${event.kind}" data-seq="${String(event.seq)}" data-story="${event.storyId}" data-urgency="${String(event.urgency)}">
  <div class="marks">${urgencyMark(event.urgency, t)} <span class="kind" data-kind="${event.kind}">${t.kinds[event.kind]}</span> ${timeOf(event.at)}</div>
  <a class="headline" href="${PORTAL}/stories/${event.storyId}" lang="${c.language}" dir="${directionOf(c.language)}">${c.headline}</a>
  ${event.kind === 'killed' && version.killReason ? html`<p class="kill-reason" lang="${c.language}" dir="auto">${version.killReason}</p>` : ''}
  ${event.kind === 'corrected' && version.correctionNote ? html`<p class="correction-note" lang="${c.language}" dir="auto">${version.correctionNote}</p>` : ''}
  ${embargo ? embargoBanner(embargo, t) : ''}
</li>`;
}
