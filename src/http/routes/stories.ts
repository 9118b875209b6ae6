// The newsroom API: drafts, publishing, corrections, kills, versions and their differences.
import type { TypedApp } from '../type-provider.ts';
import { Type } from 'typebox';
import { StoryChangesSchema, StoryDraftInputSchema } from '../../model/schema.ts';
import type { Newsroom } from '../../flow/newsroom.ts';
import type { KeyRing } from '../../flow/keys.ts';
import type { Store } from '../../model/store.ts';
import { requireRole } from '../auth.ts';
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
      const story = await newsroom.createDraft(req.body);
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
      return newsroom.editDraft(req.params.id, revision, changes);
    },
  );

  app.post(
    '/v1/stories/:id/publish',
    {
      onRequest: editor,
      schema: { tags, security, params: IdParams, summary: 'Publish the draft as a new version (published, then updated)' },
    },
    async (req, reply) => reply.status(201).send(await newsroom.publish(req.params.id)),
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
      return reply.status(201).send(await newsroom.correct(req.params.id, note, changes ?? {}));
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
    async (req, reply) => reply.status(201).send(await newsroom.kill(req.params.id, req.body.reason)),
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
