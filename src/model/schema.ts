// JSON schemas of the story model, written once with TypeBox: the HTTP layer validates requests and
// documents them in OpenAPI with these, and the CLI and importers validate with the same rules.
import { Type, type Static } from 'typebox';

const Text = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max });

export const BlockSchema = Type.Union([
  Type.Object({ type: Type.Literal('paragraph'), text: Text(20_000, 1) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('subheading'), text: Text(500, 1) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('quote'), text: Text(20_000, 1), attribution: Type.Optional(Text(300)) }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('list'), ordered: Type.Boolean(), items: Type.Array(Text(5_000, 1), { minItems: 1, maxItems: 200 }) },
    { additionalProperties: false },
  ),
]);

const NameMap = Type.Record(Type.String({ maxLength: 35 }), Text(300));

export const PersonSchema = Type.Object({ name: Text(300, 1), names: Type.Optional(NameMap), role: Type.Optional(Text(50)) }, { additionalProperties: false });

export const DatelineSchema = Type.Object(
  {
    place: Type.Optional(Text(200)),
    placeNames: Type.Optional(NameMap),
    reporter: Type.Optional(Text(300)),
    agency: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
);

export const PhotoSchema = Type.Object(
  {
    url: Text(2_000),
    caption: Type.Optional(Text(2_000)),
    credit: Type.Optional(Text(300)),
    altText: Type.Optional(Text(2_000)),
    width: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    height: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    mimeType: Type.Optional(Text(100)),
    mediaId: Type.Optional(Type.String({ pattern: '^m[0-9a-f]{32}$' })),
    renditions: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Text(100),
            href: Text(2_000),
            width: Type.Union([Type.Integer({ minimum: 1, maximum: 100_000 }), Type.Null()]),
            height: Type.Union([Type.Integer({ minimum: 1, maximum: 100_000 }), Type.Null()]),
            contentType: Text(100),
            sizeInBytes: Type.Integer({ minimum: 0 }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ProvenanceSchema = Type.Object(
  {
    sourceUrl: Type.Optional(Text(2_000)),
    source: Type.Optional(Text(200)),
    originalIds: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Text(500))),
  },
  { additionalProperties: false },
);

const contentProperties = {
  language: Type.String({ minLength: 2, maxLength: 35, description: 'BCP 47 language tag, e.g. ar, tr, en-GB' }),
  headline: Text(500, 1),
  deck: Type.Optional(Text(2_000)),
  body: Type.Array(BlockSchema, { maxItems: 2_000 }),
  byline: Type.Array(PersonSchema, { maxItems: 50 }),
  dateline: Type.Optional(DatelineSchema),
  categories: Type.Array(Text(200, 1), { maxItems: 50 }),
  keywords: Type.Array(Text(200, 1), { maxItems: 200 }),
  hashtags: Type.Array(Text(200, 1), { maxItems: 200 }),
  photos: Type.Array(PhotoSchema, { maxItems: 100 }),
  urgency: Type.Integer({ minimum: 1, maximum: 9, description: '1 flash, 2 urgent, 3 important, 4 routine, 5 special, 6 archive' }),
  embargoUntil: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  mediaType: Type.Union([Type.Literal('text'), Type.Literal('photo'), Type.Literal('video'), Type.Literal('audio'), Type.Literal('graphic')]),
  slugline: Type.Optional(Text(200)),
  provenance: Type.Optional(ProvenanceSchema),
  translationOf: Type.Optional(Text(100, 1)),
  desk: Type.Optional(
    Type.String({
      pattern: '^[a-z0-9][a-z0-9-]{0,39}$',
      description: 'the newsroom desk that owns the story (world, economy, sport …): lower-case letters, digits and hyphens, at most 40',
    }),
  ),
};

/** A complete story content. */
export const StoryContentSchema = Type.Object(contentProperties, { additionalProperties: false });

/** What a client sends to create a draft: only language and headline are required, the rest defaults. */
export const StoryDraftInputSchema = Type.Object(
  {
    ...contentProperties,
    body: Type.Optional(contentProperties.body),
    byline: Type.Optional(contentProperties.byline),
    categories: Type.Optional(contentProperties.categories),
    keywords: Type.Optional(contentProperties.keywords),
    hashtags: Type.Optional(contentProperties.hashtags),
    photos: Type.Optional(contentProperties.photos),
    urgency: Type.Optional(contentProperties.urgency),
    mediaType: Type.Optional(contentProperties.mediaType),
  },
  { additionalProperties: false },
);

/** A partial change to a story's content (PATCH, corrections). */
export const StoryChangesSchema = Type.Partial(StoryDraftInputSchema, { additionalProperties: false });

export type StoryDraftInput = Static<typeof StoryDraftInputSchema>;
export type StoryChanges = Static<typeof StoryChangesSchema>;
