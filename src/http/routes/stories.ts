// The newsroom API: drafts, review, translations, publishing, corrections, kills, embargo lifts, versions
// and their differences, and the desk's lists. Every act is recorded as done by the request's key.
import type { TypedApp } from '../type-provider.ts';
import { Type } from 'typebox';
import { StoryChangesSchema, StoryDraftInputSchema } from '../../model/schema.ts';
import type { Newsroom } from '../../flow/newsroom.ts';
import type { KeyRing } from '../../flow/keys.ts';
import type { Store } from '../../model/store.ts';
import type { Urgency } from '../../model/story.ts';
import { actorOf, requireRole } from '../auth.ts';
import { FORMAT_QUERY_DESCRIPTION, pickFormat, sendVersion, sendVersionList, VERSION_FORMATS } from '../negotiation.ts';

const StoryId = Type.String({ pattern: '^[0-9a-hjkmnp-tv-z]{26}$', description: 'chain id of the story' });
const IdParams = Type.Object({ id: StoryId });
const VersionParams = Type.Object({ id: StoryId, n: Type.Integer({ minimum: 1 }) });
const DiffParams = Type.Object({ id: StoryId, a: Type.Integer({ minimum: 1 }), b: Type.Integer({ minimum: 1 }) });
const security = [{ bearer: [] }];

const FormatQuery = Type.Object(
  {
    format: Type.Optional(Type.String({ maxLength: 20, description: FORMAT_QUERY_DESCRIPTION })),
  },
  { additionalProperties: true },
);

export interface StoryRouteDeps {
  baseUrl: string;
  store: Store;
  newsroom: Newsroom;
  keys: KeyRing;
}

export async function storyRoutes(app: TypedApp, { baseUrl, store, newsroom, keys }: StoryRouteDeps): Promise<void> {
  const editor = requireRole(keys, 'editor');
  const tags = ['newsroom'];

  app.post(
    '/v1/stories',
    {
      onRequest: editor,
      schema: { tags, security, summary: 'Create a draft story', body: StoryDraftInputSchema },
    },
    async (req, reply) => {
      const story = await newsroom.createDraft(req.body, actorOf(req));
      return reply.status(201).header('location', `/v1/stories/${story.id}`).send(story);
    },
  );

  app.get(
    '/v1/stories',
    {
      onRequest: editor,
      schema: {
        tags,
        security,
        summary: 'List stories, newest first',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('killed')])),
            language: Type.Optional(Type.String({ maxLength: 35 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
            before: Type.Optional(StoryId),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const q = req.query;
      const stories = await store.listStories(q);
      return { stories, next: stories.length === (q.limit ?? 50) ? stories[stories.length - 1]?.id : null };
    },
  );

  app.get(
    '/v1/stories/:id',
    {
      onRequest: editor,
      schema: {
        tags,
        security,
        params: IdParams,
        querystring: FormatQuery,
        summary: 'Read a story with its draft (json), or its latest published version in a standard format (Accept or ?format=)',
      },
    },
    async (req, reply) => {
      const story = await newsroom.story(req.params.id);
      // json is the editable story with its draft; any other format is what subscribers get: the latest version.
      if (pickFormat(req, VERSION_FORMATS, 'json') === 'json') return story;
      return sendVersion(req, reply, await newsroom.latestVersion(story), baseUrl);
    },
  );

  app.patch(
    '/v1/stories/:id',
    {
      onRequest: editor,
      schema: {
        tags,
        security,
        params: IdParams,
        summary: 'Edit the draft (optimistic concurrency: send the revision you edited; 409 if someone was first)',
        body: Type.Object({ ...StoryChangesSchema.properties, revision: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
      },
    },
    async (req) => {
      const { revision, ...changes } = req.body;
      return newsroom.editDraft(req.params.id, revision, changes, actorOf(req));
    },
  );

  app.post(
    '/v1/stories/:id/publish',
    {
      onRequest: editor,
      schema: { tags, security, params: IdParams, summary: 'Publish the draft as a new version (published, then updated)' },
    },
    async (req, reply) => reply.status(201).send(await newsroom.publish(req.params.id, actorOf(req))),
  );

  app.post(
    '/v1/stories/:id/submit',
    {
      onRequest: editor,
      schema: { tags, security, params: IdParams, summary: "Submit the draft for review: it joins the editors' queue until published or withdrawn" },
    },
    async (req) => newsroom.submit(req.params.id, actorOf(req)),
  );

  app.post(
    '/v1/stories/:id/withdraw',
    {
      onRequest: editor,
      schema: { tags, security, params: IdParams, summary: 'Take a submitted draft back out of the review queue' },
    },
    async (req) => newsroom.withdraw(req.params.id, actorOf(req)),
  );

  app.post(
    '/v1/stories/:id/translate',
    {
      onRequest: editor,
      schema: {
        tags,
        security,
        params: IdParams,
        summary: "Start a translation: a new draft in another language in the story's translation group (text copied for the translator)",
        body: Type.Object(
          { language: Type.String({ minLength: 2, maxLength: 35, description: 'BCP 47 tag of the translation' }) },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const story = await newsroom.translate(req.params.id, req.body.language, actorOf(req));
      return reply.status(201).header('location', `/v1/stories/${story.id}`).send(story);
    },
  );

  app.get(
    '/v1/stories/:id/translations',
    {
      onRequest: editor,
      schema: { tags, security, params: IdParams, summary: "The stories of this story's translation group, the original first" },
    },
    async (req) => ({ stories: await newsroom.translations(req.params.id) }),
  );

  app.post(
    '/v1/stories/:id/lift-embargo',
    {
      onRequest: editor,
      schema: { tags, security, params: IdParams, summary: 'Lift the embargo now: subscribers without embargo rights receive the story' },
    },
    async (req, reply) => reply.status(201).send(await newsroom.liftEmbargo(req.params.id, actorOf(req))),
  );

  app.get(
    '/v1/desk/stories',
    {
      onRequest: editor,
      schema: {
        tags,
        security,
        summary: 'The desk story list: newest change first, by list status, language and desk (keyset pages: pass `next` as `after`)',
        querystring: Type.Object(
          {
            status: Type.Optional(
              Type.Union([Type.Literal('draft'), Type.Literal('submitted'), Type.Literal('published'), Type.Literal('embargoed'), Type.Literal('killed')]),
            ),
            language: Type.Optional(Type.String({ maxLength: 35 })),
            desk: Type.Optional(Type.String({ maxLength: 40 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            after: Type.Optional(Type.String({ maxLength: 100, pattern: '^[0-9T:.+Z-]{10,40}~[0-9a-z]{1,40}$' })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => store.storyList(req.query),
  );

  app.get(
    '/v1/desk/wire',
    {
      onRequest: editor,
      schema: {
        tags,
        security,
        summary: 'The wire monitor: log events newest first with headline and who did it (keyset pages: pass `next` as `before`)',
        querystring: Type.Object(
          {
            language: Type.Optional(Type.String({ maxLength: 35 })),
            category: Type.Optional(Type.String({ maxLength: 200 })),
            urgency: Type.Optional(Type.Integer({ minimum: 1, maximum: 9 })),
            kind: Type.Optional(
              Type.Union([
                Type.Literal('published'),
                Type.Literal('updated'),
                Type.Literal('corrected'),
                Type.Literal('killed'),
                Type.Literal('embargo-lifted'),
              ]),
            ),
            embargoed: Type.Optional(Type.Boolean()),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            before: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => store.wire({ ...req.query, urgency: req.query.urgency as Urgency | undefined }),
  );

  app.post(
    '/v1/stories/:id/correct',
    {
      onRequest: editor,
      schema: {
        tags,
        security,
        params: IdParams,
        summary: 'Publish a correction with a public note',
        body: Type.Object(
          { note: Type.String({ minLength: 1, maxLength: 2_000 }), changes: Type.Optional(StoryChangesSchema) },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const { note, changes } = req.body;
      return reply.status(201).send(await newsroom.correct(req.params.id, note, changes ?? {}, actorOf(req)));
    },
  );

  app.post(
    '/v1/stories/:id/kill',
    {
      onRequest: editor,
      schema: {
        tags,
        security,
        params: IdParams,
        summary: 'Withdraw the story; subscribers must remove every version',
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2_000 }) }, { additionalProperties: false }),
      },
    },
    async (req, reply) => reply.status(201).send(await newsroom.kill(req.params.id, req.body.reason, actorOf(req))),
  );

  app.get(
    '/v1/stories/:id/versions',
    {
      onRequest: editor,
      schema: { tags, security, params: IdParams, querystring: FormatQuery, summary: 'All published versions of a story (json, ninjs, ninjs2 or atom)' },
    },
    async (req, reply) => {
      const { id } = req.params;
      const versions = await newsroom.versions(id);
      return sendVersionList(req, reply, versions, baseUrl, {
        id: `${baseUrl}/v1/stories/${id}/versions`,
        title: versions[versions.length - 1]?.content.headline ?? id,
        link: `${baseUrl}/v1/stories/${id}/versions`,
      });
    },
  );

  app.get(
    '/v1/stories/:id/versions/:n',
    {
      onRequest: editor,
      schema: {
        tags,
        security,
        params: VersionParams,
        querystring: FormatQuery,
        summary: 'One published version, in any supported format (Accept or ?format=)',
      },
    },
    async (req, reply) => {
      const { id, n } = req.params;
      return sendVersion(req, reply, await newsroom.version(id, n), baseUrl);
    },
  );

  app.get(
    '/v1/stories/:id/versions/:a/diff/:b',
    {
      onRequest: editor,
      schema: { tags, security, params: DiffParams, summary: 'Word-level difference between two versions' },
    },
    async (req) => {
      const { id, a, b } = req.params;
      return newsroom.diff(id, a, b);
    },
  );
}
