// The story editor: a new story, editing a draft (a form post, and the page script's autosave with
// the revision it read — a conflict names who saved first and shows both versions), submitting for
// review, saving and publishing in one go (editors and admins only), the two previews, and the
// drag-and-drop photo upload that hands the file to the media desk.
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { userActor } from '../../model/users.ts';
import { ConflictError, NotFoundError } from '../../model/errors.ts';
import { MediaRefusedError } from '../../model/media.ts';
import { emptyContent, type Story, type StoryContent, type StoryVersion } from '../../model/story.ts';
import { ValidationError } from '../../model/validate.ts';
import { abbreviateBody } from '../abbreviate.ts';
import { clientScriptUrl } from '../client-assets.ts';
import { html, type SafeHtml } from '../html.ts';
import { languageOf } from '../account/pages.ts';
import type { DeskContext } from './context.ts';
import { contentFromForm, contentView, errorsByField, type FormErrors, type FormExtras, storyForm } from './story-form.ts';
import { STORY_STRINGS, type StoryStrings } from './story-strings.ts';

export const STORIES = '/desk/stories';

export const canPublish = (req: FastifyRequest) => req.user?.role === 'editor' || req.user?.role === 'admin';
export const storyStrings = (req: FastifyRequest) => STORY_STRINGS[languageOf(req, req.user ?? null)];

type Form = Record<string, unknown>;
type Then = 'save' | 'publish' | 'correct' | 'submit' | 'withdraw';
const THENS: Then[] = ['save', 'publish', 'correct', 'submit', 'withdraw'];

export function editorRoutes(app: FastifyInstance, desk: DeskContext): void {
  const staff = { preHandler: desk.guard() };
  const rt = desk.rt;

  const editorPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    o: {
      story?: Story;
      content: StoryContent;
      extras: Partial<FormExtras>;
      errors?: FormErrors;
      original?: StoryContent | null;
      conflict?: SafeHtml;
    },
  ) => {
    const s = storyStrings(req);
    const ui = languageOf(req, req.user ?? null);
    const st = o.story;
    const errors = o.errors ?? {};
    return desk.page(
      req,
      reply,
      status,
      () => (st ? `${s.editStory}: ${st.draft.headline}` : s.newStory),
      (csrf) => html`<div class="editor-page${o.original ? ' side-by-side' : ''}">
<div class="editor-main">
<h1>${st ? s.editStory : s.newStory}</h1>
${st ? html`<p class="story-links"><a href="${STORIES}/${st.id}">${st.draft.headline}</a> · <a href="${STORIES}/${st.id}/preview">${s.preview}</a></p>` : ''}
${Object.keys(errors).length ? html`<p class="error" role="alert">${s.fixErrors}</p>` : ''}
<div id="conflict" aria-live="polite">${o.conflict ?? ''}</div>
${st ? html`<p id="autosave-status" class="help" role="status" data-idle="${s.autosaveIdle}" data-saving="${s.autosaving}" data-saved="${s.autosaved('{time}')}" data-failed="${s.autosaveFailed}">${s.autosaveIdle}</p>` : ''}
${storyForm({
  action: st ? `${STORIES}/${st.id}/edit` : `${STORIES}/new`,
  content: o.content,
  extras: { ...o.extras, revision: o.extras.revision ?? st?.revision ?? 0 },
  errors,
  csrf,
  s,
  ui,
  canPublish: canPublish(req),
  story: st ? { id: st.id, status: st.status, latestVersion: st.latestVersion, workflow: st.workflow } : undefined,
})}
${uploadArea(s)}
</div>
${o.original ? html`<aside class="original" aria-labelledby="original-title"><h2 id="original-title">${s.original}</h2>${contentView(o.original)}</aside>` : ''}
</div>
<script type="module" src="${clientScriptUrl('editor')}" data-editor></script>
<script type="module" src="${clientScriptUrl('story-editor-page')}"></script>`,
    );
  };

  const originalOf = async (story: Story): Promise<StoryContent | null> => {
    const id = story.draft.translationOf;
    if (!id) return null;
    const o = await rt.store.getStory(id);
    if (!o) return null;
    return o.latestVersion > 0 ? ((await rt.store.getVersion(id, o.latestVersion))?.content ?? o.draft) : o.draft;
  };

  app.get('/stories/new', staff, async (req, reply) => {
    const ui = languageOf(req, req.user ?? null);
    return editorPage(req, reply, 200, { content: emptyContent(ui), extras: {} });
  });

  app.post('/stories/new', staff, async (req, reply) => {
    const form = (req.body ?? {}) as Form;
    const then = thenOf(form);
    if ((then === 'publish' || then === 'correct') && !canPublish(req)) return forbidden(req, reply, desk);
    let content: StoryContent;
    let extras: FormExtras;
    try {
      ({ content, extras } = contentFromForm(form, null));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return editorPage(req, reply, 400, { content: echo(form), extras: extrasOf(form), errors: errorsByField(e.errors) });
    }
    let story: Story;
    try {
      story = await rt.newsroom.createDraft(content, userActor(req.user!));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return editorPage(req, reply, 400, { content, extras, errors: errorsByField(e.errors) });
    }
    if (then === 'save') return reply.code(303).header('location', `${STORIES}/${story.id}/edit?done=created`).send();
    return afterSave(req, reply, story, then, extras, content);
  });

  app.get<{ Params: { id: string }; Querystring: { done?: string } }>('/stories/:id/edit', staff, async (req, reply) => {
    const story = await rt.store.getStory(req.params.id);
    if (!story) throw notFound(req.params.id);
    return editorPage(req, reply, 200, { story, content: story.draft, extras: { revision: story.revision }, original: await originalOf(story) });
  });

  /** Saves the posted form as the draft; a conflict or a refusal re-renders the editor with the form as sent. */
  const save = async (req: FastifyRequest, _reply: FastifyReply, id: string, form: Form) => {
    const story = await rt.store.getStory(id);
    if (!story) throw notFound(id);
    let parsed: { content: StoryContent; extras: FormExtras };
    try {
      parsed = contentFromForm(form, story.draft);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return { refused: { status: 400, story, content: echo(form, story.draft), extras: extrasOf(form), errors: errorsByField(e.errors) } };
    }
    try {
      const saved = await rt.newsroom.editDraft(id, parsed.extras.revision, parsed.content, userActor(req.user!));
      return { saved, parsed };
    } catch (e) {
      if (e instanceof ValidationError) return { refused: { status: 400, story, ...parsed, errors: errorsByField(e.errors) } };
      if (e instanceof ConflictError && typeof e.details.revision === 'number') {
        const current = (await rt.store.getStory(id))!;
        return { conflict: { story: current, mine: parsed.content, extras: parsed.extras } };
      }
      // A killed story is not edited any more: said above the form, nothing stored.
      if (e instanceof ConflictError) return { refused: { status: 409, story, ...parsed, errors: { form: e.message } as FormErrors } };
      throw e;
    }
  };

  const conflictPanel = (req: FastifyRequest, story: Story, mine: StoryContent): SafeHtml => {
    const s = storyStrings(req);
    const when = new Intl.DateTimeFormat(languageOf(req, req.user ?? null), { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(story.updatedAt));
    return html`<section class="panel conflict" role="alert" aria-labelledby="conflict-title" data-revision="${String(story.revision)}" data-updated-by="${story.updatedBy.name}">
<h2 id="conflict-title">${s.conflictTitle}</h2>
<p>${s.conflict(story.updatedBy.name, when)}</p>
<div class="compare">
<section aria-labelledby="theirs-title" class="theirs"><h3 id="theirs-title">${s.theirs} (<bdi>${story.updatedBy.name}</bdi>)</h3>${contentView(story.draft, { headingLevel: 3 })}</section>
<section aria-labelledby="mine-title" class="mine"><h3 id="mine-title">${s.mine}</h3>${contentView(mine, { headingLevel: 3 })}</section>
</div>
<p class="buttons"><a class="button" href="${STORIES}/${story.id}/edit" data-act="take-theirs">${s.takeTheirs}</a>
<button type="submit" form="story-form" name="act" value="save" data-act="keep-mine" class="secondary">${s.keepMine}</button></p>
</section>`;
  };

  app.post<{ Params: { id: string } }>('/stories/:id/edit', staff, async (req, reply) => {
    const form = (req.body ?? {}) as Form;
    const then = thenOf(form);
    if ((then === 'publish' || then === 'correct') && !canPublish(req)) return forbidden(req, reply, desk);
    const out = await save(req, reply, req.params.id, form);
    if (out.refused) return editorPage(req, reply, out.refused.status, { ...out.refused, original: await originalOf(out.refused.story) });
    if (out.conflict) {
      const { story, mine, extras } = out.conflict;
      // The form keeps the editor's text; its revision is now theirs, so "keep mine" overwrites knowingly.
      return editorPage(req, reply, 409, {
        story,
        content: mine,
        extras: { ...extras, revision: story.revision },
        conflict: conflictPanel(req, story, mine),
        original: await originalOf(story),
      });
    }
    return afterSave(req, reply, out.saved, then, out.parsed.extras, out.parsed.content);
  });

  // The page script's autosave: the same form, answered in JSON.
  app.post<{ Params: { id: string } }>('/stories/:id/autosave', staff, async (req, reply) => {
    const form = (req.body ?? {}) as Form;
    const out = await save(req, reply, req.params.id, form);
    if (out.refused) return reply.code(out.refused.status).send({ errors: out.refused.errors });
    if (out.conflict) {
      const { story, mine } = out.conflict;
      return reply.code(409).send({
        revision: story.revision,
        updatedBy: story.updatedBy.name,
        updatedAt: story.updatedAt,
        html: conflictPanel(req, story, mine).value,
      });
    }
    return { revision: out.saved.revision, updatedAt: out.saved.updatedAt };
  });

  /** After a save: the act the editor asked for, then the story page with a notice (or the refusal next to its field). */
  const afterSave = async (req: FastifyRequest, reply: FastifyReply, story: Story, then: Then, extras: FormExtras, content: StoryContent) => {
    const by = userActor(req.user!);
    const go = (done: string) => reply.code(303).header('location', `${STORIES}/${story.id}?done=${done}`).send();
    try {
      switch (then) {
        case 'save':
          return reply.code(303).header('location', `${STORIES}/${story.id}/edit?done=saved`).send();
        case 'submit':
          await rt.newsroom.submit(story.id, by);
          return go('submitted');
        case 'withdraw':
          await rt.newsroom.withdraw(story.id, by);
          return go('withdrawn');
        case 'publish': {
          const item = await rt.newsroom.publish(story.id, by);
          return go(item.event.kind);
        }
        case 'correct': {
          const fresh = (await rt.store.getStory(story.id))!;
          await rt.newsroom.correct(story.id, extras.note, fresh.draft, by);
          return go('corrected');
        }
      }
    } catch (e) {
      if (e instanceof ValidationError || e instanceof ConflictError) {
        const fresh = (await rt.store.getStory(story.id)) ?? story;
        const errors = e instanceof ValidationError ? errorsByField(e.errors) : { form: e.message };
        return editorPage(req, reply, e instanceof ValidationError ? 400 : 409, {
          story: fresh,
          content,
          extras: { ...extras, revision: fresh.revision },
          errors,
          original: await originalOf(fresh),
        });
      }
      throw e;
    }
  };

  // Both renderings of the draft: the public site's abbreviated part, and the whole story subscribers get.
  app.get<{ Params: { id: string } }>('/stories/:id/preview', staff, async (req, reply) => {
    const story = await rt.store.getStory(req.params.id);
    if (!story) throw notFound(req.params.id);
    const s = storyStrings(req);
    const c = story.draft;
    const { blocks, truncated } = abbreviateBody(c.body, c.language);
    return desk.page(
      req,
      reply,
      200,
      () => `${s.previewTitle}: ${c.headline}`,
      () => html`<h1>${s.previewTitle}</h1>
<p><a href="${STORIES}/${story.id}/edit">${s.edit}</a> · <a href="${STORIES}/${story.id}">${c.headline}</a></p>
<div class="previews">
<section class="panel preview-public" aria-labelledby="pv-public"><h2 id="pv-public">${s.previewPublic}</h2>${contentView(c, { blocks, truncatedNote: truncated ? s.readMore : undefined })}</section>
<section class="panel preview-subscribers" aria-labelledby="pv-subs"><h2 id="pv-subs">${s.previewSubscribers}</h2>${contentView(c)}</section>
</div>`,
    );
  });

  // Drag-and-drop upload (issue #14): the raw file as the body, handed to the media desk; JSON back.
  app.register(async (upload) => {
    upload.addContentTypeParser(/^(image\/|application\/octet-stream)/, (_req, payload, done) => done(null, payload));
    upload.post<{ Querystring: { filename?: string } }>(
      '/stories/media',
      { preHandler: desk.guard(), bodyLimit: rt.media.opts.maxBytes },
      async (req, reply) => {
        const body = req.body as Readable | undefined;
        if (!body || typeof body.pipe !== 'function') {
          return reply.code(415).send({ error: 'send the image file itself as the body (Content-Type image/*)' });
        }
        try {
          const { asset, created } = await rt.media.ingest(body, (req.query.filename ?? '').slice(0, 255) || null);
          return reply.code(created ? 201 : 200).send(assetJson(asset));
        } catch (e) {
          if (e instanceof MediaRefusedError) return reply.code(e.status).send({ error: e.message });
          throw e;
        }
      },
    );
    // The photo as the desk shows it (staff may see an asset before any story is published).
    upload.get<{ Params: { asset: string } }>('/stories/media/:asset/image', { preHandler: desk.guard() }, async (req, reply) => {
      const a = await rt.media.asset(req.params.asset);
      // The small rendition (640 px) is enough for the editor's photo list; the original only while none is made yet.
      const r =
        a &&
        ['small-webp', 'small-jpeg', 'thumbnail-webp', 'thumbnail-jpeg', 'preview-jpeg', 'original']
          .map((n) => a.renditions.find((x) => x.name === n))
          .find(Boolean);
      if (!a || !r?.contentType.startsWith('image/')) return reply.code(404).send({ error: `no image for media asset ${req.params.asset}` });
      const { key } = await rt.media.authorise(a.id, r.name, { role: 'staff' });
      return reply
        .header('content-type', r.contentType)
        .header('cache-control', 'private, max-age=300')
        .send(await rt.media.files.read(key));
    });
    upload.get<{ Params: { asset: string } }>('/stories/media/:asset', { preHandler: desk.guard() }, async (req, reply) => {
      const a = await rt.media.asset(req.params.asset);
      if (!a) return reply.code(404).send({ error: `no media asset ${req.params.asset}` });
      return assetJson(a);
    });
  });
}

function assetJson(a: { id: string; state: string; error?: string | null; metadata?: { caption?: string | null; credit?: string | null } | null }) {
  return { id: a.id, state: a.state, error: a.error ?? null, caption: a.metadata?.caption ?? null, credit: a.metadata?.credit ?? null };
}

function uploadArea(s: StoryStrings): SafeHtml {
  return html`<section class="panel upload" aria-labelledby="upload-title" data-states="${JSON.stringify(s.uploadState)}" data-use="${s.uploadUse}">
<h2 id="upload-title">${s.uploadTitle}</h2>
<div class="drop-zone" id="drop-zone"><p>${s.uploadHelp}</p>
<label for="upload-file">${s.uploadChoose}</label>
<input id="upload-file" type="file" accept="image/*"></div>
<ul id="uploads" aria-live="polite"></ul>
</section>`;
}

function thenOf(form: Form): Then {
  const v = typeof form.act === 'string' ? form.act : 'save';
  return (THENS as string[]).includes(v) ? (v as Then) : 'save';
}

/** The form's values as sent, for re-rendering after a refusal (nothing the model refused is stored). */
function echo(form: Form, base?: StoryContent): StoryContent {
  const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
  let body = base?.body ?? [];
  try {
    const parsed = JSON.parse(str('body') || 'null');
    if (Array.isArray(parsed)) body = parsed.filter((b) => b && typeof b === 'object' && typeof b.type === 'string');
  } catch {
    /* the body field is shown as it was */
  }
  const cats = Array.isArray(form.categories) ? form.categories.filter((c) => typeof c === 'string') : str('categories') ? [str('categories')] : [];
  return {
    ...(base ?? emptyContent()),
    language: str('language') || base?.language || 'en',
    headline: str('headline'),
    deck: str('deck'),
    body,
    byline: str('byline')
      .split('\n')
      .filter((x) => x.trim())
      .map((name) => ({ name: name.trim() })),
    dateline: { place: str('place'), reporter: str('reporter'), agency: str('agency') },
    categories: cats,
    keywords: str('keywords').split(',').filter(Boolean),
    hashtags: str('hashtags').split(',').filter(Boolean),
    urgency: (Number(str('urgency')) || 4) as StoryContent['urgency'],
    slugline: str('slugline'),
    desk: str('desk'),
    photos: base?.photos ?? [],
  };
}

function extrasOf(form: Form): Partial<FormExtras> {
  const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
  return { revision: Number(str('revision')) || 0, timeZone: str('timeZone') || 'UTC', embargoLocal: str('embargo'), note: str('note') };
}

export function notFound(id: string): Error {
  return Object.assign(new NotFoundError(`no story ${id}`), { statusCode: 404 });
}

export function forbidden(req: FastifyRequest, reply: FastifyReply, desk: DeskContext) {
  const s = storyStrings(req);
  return desk.page(
    req,
    reply,
    403,
    (t) => t.forbiddenTitle,
    (_csrf, t) => html`<h1>${t.forbiddenTitle}</h1><p>${s.editorsOnly}</p>`,
  );
}

export type { StoryVersion };
