// Route plugins receive the app with the TypeBox type provider: a handler's `req.body`, `req.query` and
// `req.params` get their types from the route's own schema, so no handler restates (or casts to) what the
// validator has already checked. Type-only: nothing of the provider's runtime (its validator compiler)
// is loaded; validation stays with the Ajv instances set up in app.ts.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TLiteral, type TSchemaOptions, type TUnion } from 'typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';

export type TypedApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/**
 * A union of string literals from a constant list (`DELIVERY_FORMATS`), typed as that union. TypeBox
 * infers a union's type only from a tuple, and `Array.map` returns a plain array, which would type every
 * value as `never`; the mapped tuple type below restores what map loses.
 */
type Literals<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K]> };
export function literalUnion<const T extends readonly string[]>(values: T, options?: TSchemaOptions): TUnion<Literals<T>> {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  ) as TUnion<Literals<T>>;
}
