// TypeBox schemas shared by routes; they validate requests and generate the OpenAPI document.
import { Type, type TSchema } from '@sinclair/typebox';
import { AppError, ERROR_CODES, type ErrorCode } from '../shared/app-error.ts';
import { IDEMPOTENCY_KEY_TTL_HOURS } from '../sending/index.ts';
import { WALK_LIMIT } from '../store/bounded-walk.ts';

// The codes are listed in the OpenAPI document so clients can switch on them.
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.Unsafe<ErrorCode>({ type: 'string', enum: Object.keys(ERROR_CODES) }),
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

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({
    minLength: 1,
    maxLength: 256,
    description: `A retry with the same key within ${IDEMPOTENCY_KEY_TTL_HOURS} hours replays the first response (another body: 422 idempotency_key_reused); after that the key is forgotten.`,
  })),
});

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
  415: ErrorBody,
  422: ErrorBody,
  500: ErrorBody,
};

/** Query-string integers arrive as text and types are not coerced (see build-server): parse here. */
/**
 * The OpenAPI description of a list page whose filters are partly checked on a bounded read
 * (store/bounded-walk.ts): what `what` names may come back short, with a next_cursor all the same.
 */
export const pagedListDescription = (rows: string, what: string) =>
  `Pages of at most \`limit\` ${rows}; follow \`next_cursor\` until it is null. A page reads at most ` +
  `${WALK_LIMIT.toLocaleString('en-US')} ${rows} to check ${what}, so such a page can hold fewer than \`limit\`, even none, ` +
  'and still have a `next_cursor`.';

export const LimitParam = Type.String({ pattern: '^[0-9]{1,3}$', description: 'Page size, 1 to 100 (default 20).' });

export function parseLimit(value: string | undefined, fallback = 20): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isSafeInteger(n) || n < 1 || n > 100) throw new AppError('validation_error', 'limit must be an integer from 1 to 100');
  return n;
}
