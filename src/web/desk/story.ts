// The story page of the desk: where the story stands, its details, the timeline of versions with who
// published each, a word-level diff between any two versions, its translation group, and the
// publishing acts (publish, update, correct with a public note, kill after a confirmation, lift an
// embargo) — editors and admins only; a reporter sees no buttons and gets 403 on the post.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { userActor } from '../../model/users.ts';
import { ConflictError, NotFoundError } from '../../model/errors.ts';
import { slugify } from '../../model/slug.ts';
import { directionOf, type Story, type StoryListing, type StoryVersion } from '../../model/story.ts';
import { ValidationError } from '../../model/validate.ts';
import { DIFF_LABELS, renderVersionDiff } from '../diff-view.ts';
import { html, type SafeHtml } from '../html.ts';
import { urls } from '../urls.ts';
import { csrfField, text } from '../account/forms.ts';
import { languageOf } from '../account/pages.ts';
import type { DeskContext } from './context.ts';
import { canPublish, forbidden, notFound, STORIES, storyStrings } from './editor.ts';
import { contentView, errorsByField, type FormErrors } from './story-form.ts';
import { STORY_LANGUAGES } from './story-strings.ts';

interface Shown {
  errors?: FormErrors;
  note?: string;
  translateLanguage?: string;
}

export function storyRoutes(app: FastifyInstance, desk: DeskContext): void {
  const staff = { preHandler: desk.guard() };
  const editors = { preHandler: desk.guard('editor', 'admin') };
  const rt = desk.rt;

  const load = async (id: string) => {
    const story = await rt.store.getStory(id);
    if (!story) throw notFound(id);
    return story;
  };

  const storyPage = async (req: FastifyRequest, reply: FastifyReply, status: number, story: Story, shown: Shown = {}) => {
    const s = storyStrings(req);
    const ui = languageOf(req, req.user ?? null);
    const versions = story.latestVersion > 0 ? await rt.newsroom.versions(story.id) : [];
    const group = await rt.store.translations(story.translationGroup);
    const q = req.query as { done?: string; from?: string; to?: string };
    const latest = versions.at(-1);
    const to = clamp(Number(q.to) || story.latestVersion, versions.length);
    const from = clamp(Number(q.from) || to - 1, versions.length);
    const diff = versions.length >= 2 && from !== to && from > 0 && to > 0 ? await rt.newsroom.diff(story.id, from, to) : null;
    const fmt = new Intl.DateTimeFormat(ui, { dateStyle: 'medium', timeStyle: 'short' });
    const when = (iso: string) => html`<time datetime="${iso}">${fmt.format(new Date(iso))}</time>`;
    const c = latest?.content ?? story.draft;
    const embargoed = story.status === 'published' && !!latest?.content.embargoUntil && Date.parse(latest.content.embargoUntil) > Date.now();
    const errors = shown.errors ?? {};
    const editor = canPublish(req);
    const done = q.done && s.done[q.done] ? s.done[q.done] : null;
    const publicPath = story.latestVersion > 0 ? urls.story({ language: c.language, slug: slugify(c.headline, c.language), id: story.id }) : null;
    const body = (csrf: string): SafeHtml => html`<h1 lang="${c.language}" dir="${directionOf(c.language)}">${story.draft.headline}</h1>
${done ? html`<p class="notice" role="status">${done}</p>` : ''}
${errors.form ? html`<p class="error" role="alert">${s.refused}: ${errors.form}</p>` : ''}
<section class="panel" aria-labelledby="state-title">
<h2 id="state-title">${s.metadata}</h2>
<dl class="facts">
<dt>${s.status}</dt><dd data-status="${story.status}">${s.statusNames[story.status]}${story.workflow === 'submitted' ? html` · ${s.statusNames.submitted}` : ''}${embargoed ? html` · ${s.embargoedUntil(fmt.format(new Date(latest!.content.embargoUntil!)))}` : ''}</dd>
<dt>${s.urgency}</dt><dd>${s.urgencyNames[c.urgency]}</dd>
<dt>${s.storyLanguage}</dt><dd>${STORY_LANGUAGES.find(([v]) => v === c.language)?.[1] ?? c.language}</dd>
${c.categories.length ? html`<dt>${s.categories}</dt><dd>${c.categories.map((x, i) => html`${i ? '، ' : ''}<bdi>${x}</bdi>`)}</dd>` : ''}
${c.desk ? html`<dt>${s.desk}</dt><dd>${c.desk}</dd>` : ''}
${c.slugline ? html`<dt>${s.slugline}</dt><dd><bdi>${c.slugline}</bdi></dd>` : ''}
<dt>${s.revision}</dt><dd>${String(story.revision)}</dd>
<dt>${s.createdBy}</dt><dd><bdi>${story.createdBy.name}</bdi> · ${when(story.createdAt)}</dd>
<dt>${s.updatedBy}</dt><dd><bdi>${story.updatedBy.name}</bdi> · ${when(story.updatedAt)}</dd>
</dl>
<p class="story-links">${story.status !== 'killed' ? html`<a href="${STORIES}/${story.id}/edit">${s.edit}</a> · ` : ''}<a href="${STORIES}/${story.id}/preview">${s.preview}</a>${publicPath ? html` · <a href="${desk.publicUrl.replace(/\/$/, '')}${publicPath}" data-public-page>${s.publicPage}</a>` : ''}</p>
</section>
${editor && story.status !== 'killed' ? actsPanel(story, embargoed, csrf, s, errors, shown.note ?? '') : ''}
<section class="panel" aria-labelledby="versions-title">
<h2 id="versions-title">${s.versions}</h2>
${
  versions.length
    ? html`<table class="versions"><caption class="skip">${s.versions}</caption>
<thead><tr><th scope="col">${s.version}</th><th scope="col">${s.kind}</th><th scope="col">${s.headline}</th><th scope="col">${s.by}</th><th scope="col">${s.at}</th></tr></thead>
<tbody>${[...versions]
        .reverse()
        .map(
          (v) =>
            html`<tr data-version="${String(v.version)}"><td>${String(v.version)}</td><td>${s.kindNames[v.kind]}${v.correctionNote ? html`<br><small dir="auto">${v.correctionNote}</small>` : ''}${v.killReason ? html`<br><small dir="auto">${v.killReason}</small>` : ''}</td><td lang="${v.content.language}" dir="auto">${v.content.headline}</td><td><bdi>${v.by.name}</bdi></td><td>${when(v.versionCreatedAt)}</td></tr>`,
        )}</tbody></table>`
    : html`<p>${s.noVersions}</p>`
}
</section>
${
  versions.length >= 2
    ? html`<section class="panel" aria-labelledby="diff-title">
<h2 id="diff-title">${s.diffTitle}</h2>
<form method="get" action="${STORIES}/${story.id}" class="diff-pick">
${versionSelect('from', s.diffFrom, versions, from)}${versionSelect('to', s.diffTo, versions, to)}
<button type="submit" class="secondary">${s.showDiff}</button>
</form>
${diff ? renderVersionDiff(diff, { language: versions[to - 1].content.language, labels: DIFF_LABELS[ui], headingLevel: 3 }) : ''}
</section>`
    : ''
}
${translationsPanel(story, group, csrf, s, errors, shown.translateLanguage ?? '')}
<section class="panel" aria-labelledby="content-title"><h2 id="content-title">${latest ? `${s.version} ${latest.version}` : s.statusNames.draft}</h2>${contentView(c)}</section>`;
    return desk.page(req, reply, status, () => story.draft.headline, body);
  };

  app.get<{ Params: { id: string } }>('/stories/:id', staff, async (req, reply) => storyPage(req, reply, 200, await load(req.params.id)));

  /** One publishing act: refusals come back on the story page next to the field they concern. */
  const act = (name: string, run: (story: Story, req: FastifyRequest) => Promise<string>, guard = editors) =>
    app.post<{ Params: { id: string } }>(`/stories/:id/${name}`, guard, async (req, reply) => {
      const story = await load(req.params.id);
      try {
        const done = await run(story, req);
        return reply
          .code(303)
          .header('location', done.startsWith('/') ? done : `${STORIES}/${story.id}?done=${done}`)
          .send();
      } catch (e) {
        if (e instanceof ValidationError || e instanceof ConflictError || e instanceof NotFoundError) {
          const errors = e instanceof ValidationError ? errorsByField(e.errors) : { form: e.message };
          if (e instanceof ValidationError && errors.form === undefined && !errors.note && !errors.reason && !errors.language) errors.form = e.message;
          if (name === 'kill') return killPage(req, reply, 400, story, errors.reason ?? errors.form ?? e.message, text(req.body, 'reason', 2000));
          return storyPage(req, reply, e instanceof ValidationError ? 400 : 409, await load(story.id), {
            errors,
            note: text(req.body, 'note', 2000),
            translateLanguage: text(req.body, 'language', 35),
          });
        }
        throw e;
      }
    });

  act('publish', async (story, req) => (await rt.newsroom.publish(story.id, userActor(req.user!))).event.kind);
  act('correct', async (story, req) => {
    const note = text(req.body, 'note', 2000);
    if (!note.trim()) throw new ValidationError([{ field: '/note', message: storyStrings(req).correctionNoteHelp }]);
    await rt.newsroom.correct(story.id, note, story.draft, userActor(req.user!));
    return 'corrected';
  });
  act('kill', async (story, req) => {
    const reason = text(req.body, 'reason', 2000);
    if (!reason.trim()) throw new ValidationError([{ field: '/reason', message: 'a kill needs a reason for subscribers' }]);
    await rt.newsroom.kill(story.id, reason, userActor(req.user!));
    return 'killed';
  });
  act('lift-embargo', async (story, req) => {
    await rt.newsroom.liftEmbargo(story.id, userActor(req.user!));
    return 'embargo-lifted';
  });
  act(
    'submit',
    async (story, req) => {
      await rt.newsroom.submit(story.id, userActor(req.user!));
      return 'submitted';
    },
    staff,
  );
  act(
    'withdraw',
    async (story, req) => {
      await rt.newsroom.withdraw(story.id, userActor(req.user!));
      return 'withdrawn';
    },
    staff,
  );
  act(
    'translate',
    async (story, req) => {
      const language = text(req.body, 'language', 35).trim();
      if (!language) throw new ValidationError([{ field: '/language', message: 'choose the language to translate into' }]);
      const t = await rt.newsroom.translate(story.id, language, userActor(req.user!));
      return `${STORIES}/${t.id}/edit?done=created`;
    },
    staff,
  );

  // The kill confirmation: says what a kill does to subscribers before anything is sent.
  const killPage = (req: FastifyRequest, reply: FastifyReply, status: number, story: Story, error: string | null, reason: string) => {
    const s = storyStrings(req);
    return desk.page(
      req,
      reply,
      status,
      () => s.killTitle,
      (csrf) => html`<h1>${s.killTitle}</h1>
<p class="story-headline" dir="auto">${story.draft.headline}</p>
<div class="panel warning" role="note"><p id="kill-warning">${s.killWarning}</p></div>
<form method="post" action="${STORIES}/${story.id}/kill" novalidate>
${csrfField(csrf)}
<div class="field${error ? ' has-error' : ''}">
<label for="f-reason">${s.killReason}</label>
<textarea id="f-reason" name="reason" rows="3" dir="auto" required aria-describedby="kill-warning${error ? ' f-reason-error' : ''}"${error ? html` aria-invalid="true"` : ''}>${reason}</textarea>
${error ? html`<p class="error" id="f-reason-error" role="alert">${error}</p>` : ''}
</div>
<p class="buttons"><button type="submit" class="danger">${s.killConfirm}</button> <a href="${STORIES}/${story.id}">${s.cancel}</a></p>
</form>`,
    );
  };

  app.get<{ Params: { id: string } }>('/stories/:id/kill', editors, async (req, reply) => {
    const story = await load(req.params.id);
    if (story.status !== 'published')
      return storyPage(req, reply, 409, story, { errors: { form: `story ${story.id} is ${story.status}; only a published story can be killed` } });
    return killPage(req, reply, 200, story, null, '');
  });

  void forbidden;
}

function clamp(n: number, max: number): number {
  return Math.max(1, Math.min(max, Math.trunc(n)));
}

function versionSelect(name: string, label: string, versions: StoryVersion[], value: number): SafeHtml {
  return html`<span class="field inline"><label for="diff-${name}">${label}</label>
<select id="diff-${name}" name="${name}">${versions.map((v) => html`<option value="${String(v.version)}"${v.version === value ? html` selected` : ''}>${String(v.version)}</option>`)}</select></span>`;
}

function actsPanel(story: Story, embargoed: boolean, csrf: string, s: ReturnType<typeof storyStrings>, errors: FormErrors, note: string): SafeHtml {
  const base = `${STORIES}/${story.id}`;
  const published = story.status === 'published';
  return html`<section class="panel acts" aria-labelledby="acts-title">
<h2 id="acts-title">${s.actions}</h2>
<form method="post" action="${base}/publish" class="inline">${csrfField(csrf)}<button type="submit" data-act="publish">${published ? s.update : s.publish}</button></form>
${
  published
    ? html`<form method="post" action="${base}/correct" novalidate class="correct">${csrfField(csrf)}
<div class="field${errors.note ? ' has-error' : ''}"><label for="f-note">${s.correctionNote}</label>
<input id="f-note" name="note" type="text" dir="auto" value="${note}" aria-describedby="f-note-help${errors.note ? ' f-note-error' : ''}"${errors.note ? html` aria-invalid="true"` : ''}>
<p class="help" id="f-note-help">${s.correctionNoteHelp}</p>
${errors.note ? html`<p class="error" id="f-note-error" role="alert">${errors.note}</p>` : ''}</div>
<button type="submit" data-act="correct">${s.correct}</button></form>
<p><a class="button danger" href="${base}/kill" data-act="kill">${s.kill}</a></p>`
    : ''
}
${embargoed ? html`<form method="post" action="${base}/lift-embargo" class="inline">${csrfField(csrf)}<button type="submit" data-act="lift-embargo">${s.liftEmbargo}</button></form>` : ''}
</section>`;
}

function translationsPanel(
  story: Story,
  group: StoryListing[],
  csrf: string,
  s: ReturnType<typeof storyStrings>,
  errors: FormErrors,
  chosen: string,
): SafeHtml {
  const taken = new Set(group.filter((g) => g.status !== 'killed').map((g) => g.language.split('-')[0]));
  const options = STORY_LANGUAGES.filter(([v]) => !taken.has(v));
  const others = group.filter((g) => g.id !== story.id);
  return html`<section class="panel" aria-labelledby="translations-title">
<h2 id="translations-title">${s.translations}</h2>
${
  others.length
    ? html`<ul class="translations">${group.map(
        (g) =>
          html`<li data-translation="${g.language}">${g.id === story.id ? html`<strong lang="${g.language}" dir="auto">${g.headline}</strong>` : html`<a href="${STORIES}/${g.id}" lang="${g.language}" dir="auto">${g.headline}</a>`} (${STORY_LANGUAGES.find(([v]) => v === g.language)?.[1] ?? g.language}, ${s.statusNames[g.listStatus] ?? g.listStatus})${g.id === story.translationGroup ? html` · ${s.original}` : ''}</li>`,
      )}</ul>`
    : html`<p>${s.noTranslations}</p>`
}
${
  story.status !== 'killed' && options.length
    ? html`<form method="post" action="${STORIES}/${story.id}/translate" class="translate">${csrfField(csrf)}
<div class="field${errors.language ? ' has-error' : ''}"><label for="f-translate-language">${s.translateInto}</label>
<select id="f-translate-language" name="language"${errors.language ? html` aria-invalid="true" aria-describedby="f-translate-language-error"` : ''}>${options.map(
        ([v, name]) => html`<option value="${v}" lang="${v}"${v === chosen ? html` selected` : ''}>${name}</option>`,
      )}</select>${errors.language ? html`<p class="error" id="f-translate-language-error" role="alert">${errors.language}</p>` : ''}</div>
<button type="submit" class="secondary">${s.translate}</button></form>`
    : ''
}
</section>`;
}
