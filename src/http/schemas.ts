// TypeBox schemas shared by routes; they validate requests and generate the OpenAPI document.
import { Type, type TSchema } from '@sinclair/typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'Error' },
);

export const OneOrMany = <T extends TSchema>(item: T, max: number) => Type.Union([item, Type.Array(item, { minItems: 1, maxItems: max })]);

export const Address = Type.String({ minLength: 3, maxLength: 320 });

export const Headers = Type.Record(Type.String({ pattern: '^[A-Za-z0-9-]{1,100}$' }), Type.String({ maxLength: 2000 }), {
  maxProperties: 50,
});

export const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20 });

export const UuidParam = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const Event = Type.Object({
  id: Type.Integer(),
  event_type: Type.String(),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  created_at: Type.String({ format: 'date-time' }),
});

export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  413: ErrorBody,
  422: ErrorBody,
};
