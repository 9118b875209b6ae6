// Page script of the desk's story editor (src/web/desk/editor.ts). It works with the rich body editor
// that the 'editor' script mounts, defaults the embargo's time zone to the editor's own, saves
// the draft after a pause (the desk's autosave endpoint, with the revision it read; a conflict shows
// who saved first and both versions, and autosave stops until the editor chooses), and uploads photos
// dropped on the page to the media desk, showing each asset's state until it can be used.
import type { StoryEditor } from './editor.ts';

// The rich editor is its own page script ('editor'), loaded by the page beside this one; importing it
// by its address (not bundling it in) keeps one copy and keeps the two bundles apart.
const editorSrc = document.querySelector<HTMLScriptElement>('script[data-editor]')?.src;
const editors: Map<string, StoryEditor> = editorSrc ? ((await import(editorSrc)) as { editors: Map<string, StoryEditor> }).editors : new Map();

const form = document.querySelector<HTMLFormElement>('#story-form');
const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';

// The embargo's zone defaults to the editor's own, unless the story already has one.
const zone = document.querySelector<HTMLSelectElement>('#f-timeZone');
if (zone && !zone.dataset.chosen) {
  const mine = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if ([...zone.options].some((o) => o.value === mine)) zone.value = mine;
}

const storyId = form?.dataset.storyId ?? '';
const status = document.querySelector<HTMLElement>('#autosave-status');
const conflictBox = document.querySelector<HTMLElement>('#conflict');
let timer: ReturnType<typeof setTimeout> | undefined;
let saving = false;
let again = false;
let inConflict = Boolean(conflictBox?.querySelector('.conflict'));
const PAUSE_MS = 1200;

function say(key: 'idle' | 'saving' | 'saved' | 'failed', time?: string): void {
  if (!status) return;
  status.textContent = (status.dataset[key] ?? '').replace('{time}', time ?? '');
  status.dataset.state = key;
}

function formBody(): URLSearchParams {
  const data = new FormData(form!);
  data.delete('act');
  const params = new URLSearchParams();
  for (const [k, v] of data) if (typeof v === 'string') params.append(k, v);
  return params;
}

async function autosave(): Promise<void> {
  if (!form || !storyId || inConflict) return;
  if (saving) {
    again = true;
    return;
  }
  saving = true;
  say('saving');
  try {
    const r = await fetch(`/desk/stories/${encodeURIComponent(storyId)}/autosave`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf, accept: 'application/json' },
      body: formBody(),
      credentials: 'same-origin',
    });
    const answer = (await r.json().catch(() => ({}))) as { revision?: number; updatedAt?: string; html?: string };
    const revision = form.querySelector<HTMLInputElement>('input[name="revision"]')!;
    if (r.ok) {
      revision.value = String(answer.revision);
      say('saved', new Date(answer.updatedAt ?? Date.now()).toLocaleTimeString(document.documentElement.lang));
    } else if (r.status === 409 && answer.html) {
      // Someone saved first: show both versions; nothing is saved until the editor chooses. "Keep mine"
      // posts the form at their revision, knowingly.
      inConflict = true;
      conflictBox!.innerHTML = answer.html;
      revision.value = String(answer.revision);
      say('idle');
      conflictBox!.querySelector<HTMLElement>('h2')?.setAttribute('tabindex', '-1');
      conflictBox!.querySelector<HTMLElement>('h2')?.focus();
    } else {
      say('failed');
      if (answer && typeof (answer as { errors?: unknown }).errors === 'object') showErrors((answer as { errors: Record<string, string> }).errors);
      return;
    }
    showErrors({});
  } catch {
    say('failed');
  } finally {
    saving = false;
    if (again) {
      again = false;
      schedule();
    }
  }
}

/** The server's refusals of an autosave, each next to its field (as the server renders them after a post). */
function showErrors(errors: Record<string, string>): void {
  for (const old of form!.querySelectorAll('[data-autosave-error]')) old.remove();
  for (const el of form!.querySelectorAll('[data-autosave-invalid]')) {
    el.removeAttribute('aria-invalid');
    el.removeAttribute('data-autosave-invalid');
  }
  for (const [name, message] of Object.entries(errors)) {
    const input = form!.querySelector<HTMLElement>(name === 'body' ? '#story-body' : `#f-${CSS.escape(name)}`);
    const p = document.createElement('p');
    p.className = 'error';
    p.dataset.autosaveError = '';
    p.setAttribute('role', 'alert');
    p.textContent = message;
    if (input) {
      document.getElementById(`f-${name}-error`)?.remove();
      p.id = `f-${name}-error`;
      input.setAttribute('aria-invalid', 'true');
      input.dataset.autosaveInvalid = '';
      (input.closest('.field, fieldset') ?? input).append(p);
    } else form!.prepend(p);
  }
}

function schedule(): void {
  if (!storyId) return;
  clearTimeout(timer);
  timer = setTimeout(() => void autosave(), PAUSE_MS);
}

if (form && storyId) {
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  const ed = editors.get('story-body');
  ed?.editor.on('update', schedule);
  // A real submit replaces autosave; one in flight is waited for, so the post carries the revision it made.
  form.addEventListener('submit', (e) => {
    clearTimeout(timer);
    if (!saving) return;
    e.preventDefault();
    const submitter = e.submitter as HTMLButtonElement | null;
    const retry = setInterval(() => {
      if (saving) return;
      clearInterval(retry);
      form.requestSubmit(submitter ?? undefined);
    }, 50);
  });
}

// Uploads: drop a file on the zone (or choose one); the asset's state shows until it is ready to use.
const zoneEl = document.querySelector<HTMLElement>('#drop-zone');
const fileInput = document.querySelector<HTMLInputElement>('#upload-file');
const list = document.querySelector<HTMLUListElement>('#uploads');
const uploadSection = document.querySelector<HTMLElement>('section.upload');
const states = JSON.parse(uploadSection?.dataset.states || '{}') as Record<string, string>;

interface AssetAnswer {
  id?: string;
  state?: string;
  error?: string | null;
  caption?: string | null;
  credit?: string | null;
}

function usePhoto(a: AssetAnswer): void {
  if (!form || !a.id) return;
  const sets = [...form.querySelectorAll<HTMLFieldSetElement>('fieldset.photo')];
  const free = sets.find(
    (f) => !f.querySelector<HTMLInputElement>('input[name$="-url"]')!.value && !f.querySelector<HTMLInputElement>('input[name$="-mediaId"]')!.value,
  );
  const target = free ?? sets[sets.length - 1];
  target.querySelector<HTMLInputElement>('input[name$="-mediaId"]')!.value = a.id;
  const caption = target.querySelector<HTMLInputElement>('input[name$="-caption"]')!;
  const credit = target.querySelector<HTMLInputElement>('input[name$="-credit"]')!;
  if (!caption.value && a.caption) caption.value = a.caption;
  if (!credit.value && a.credit) credit.value = a.credit;
  let ref = target.querySelector<HTMLElement>('.media-ref');
  if (!ref) {
    ref = document.createElement('p');
    ref.className = 'media-ref';
    target.querySelector('legend')!.after(ref);
  }
  ref.textContent = a.id;
  schedule();
}

async function upload(file: File): Promise<void> {
  if (!list) return;
  const li = document.createElement('li');
  const name = document.createElement('bdi');
  name.textContent = file.name;
  const state = document.createElement('span');
  state.className = 'upload-state';
  state.textContent = ` — ${states.uploading ?? '…'}`;
  li.append(name, state);
  list.append(li);
  try {
    const r = await fetch(`/desk/stories/media?filename=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'content-type': file.type || 'application/octet-stream', 'x-csrf-token': csrf },
      body: file,
      credentials: 'same-origin',
    });
    let a = (await r.json().catch(() => ({}))) as AssetAnswer;
    if (!r.ok || !a.id) {
      state.textContent = ` — ${states.failed ?? 'failed'}: ${(a as { error?: string }).error ?? r.status}`;
      return;
    }
    li.dataset.asset = a.id;
    for (let i = 0; i < 120 && (a.state === 'queued' || a.state === 'running'); i++) {
      state.textContent = ` — ${states[a.state] ?? a.state}`;
      await new Promise((res) => setTimeout(res, 500));
      a = (await (await fetch(`/desk/stories/media/${encodeURIComponent(a.id!)}`, { credentials: 'same-origin' })).json()) as AssetAnswer;
    }
    state.textContent = ` — ${states[a.state ?? 'failed'] ?? a.state}${a.error ? `: ${a.error}` : ''}`;
    li.dataset.state = a.state ?? '';
    if (a.state === 'done') {
      const use = document.createElement('button');
      use.type = 'button';
      use.className = 'secondary';
      use.textContent = uploadSection?.dataset.use ?? 'Use';
      use.addEventListener('click', () => usePhoto(a));
      li.append(' ', use);
    }
  } catch {
    state.textContent = ` — ${states.failed ?? 'failed'}`;
  }
}

if (zoneEl && fileInput) {
  zoneEl.addEventListener('dragover', (e) => {
    e.preventDefault();
    zoneEl.classList.add('over');
  });
  zoneEl.addEventListener('dragleave', () => zoneEl.classList.remove('over'));
  zoneEl.addEventListener('drop', (e) => {
    e.preventDefault();
    zoneEl.classList.remove('over');
    for (const f of e.dataTransfer?.files ?? []) void upload(f);
  });
  fileInput.addEventListener('change', () => {
    for (const f of fileInput.files ?? []) void upload(f);
    fileInput.value = '';
  });
}
