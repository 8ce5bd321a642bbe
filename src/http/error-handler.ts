// Turns every thrown error into {"error": {code, message, details}}: 4xx for what the client sent,
// 500 only for our own faults.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_CODES, type ErrorCode } from '../shared/app-error.ts';
import { HTTP_STATUS } from './error-statuses.ts';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_error',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
};

declare module 'fastify' {
  interface FastifyReply {
    /** The code of the error this reply answers, for the audit log's refusals. */
    errorCode?: ErrorCode;
  }
}

export function sendError(reply: FastifyReply, code: ErrorCode, message: string = ERROR_CODES[code], details?: unknown) {
  reply.errorCode = code;
  return reply.status(HTTP_STATUS[code]).send({ error: details === undefined ? { code, message } : { code, message, details } });
}

export function errorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (err instanceof AppError) return sendError(reply, err.code, err.message, err.details);
  if (err.validation) {
    const details = err.validation.map((v) => ({ path: v.instancePath || '/', message: v.message ?? 'invalid' }));
    return sendError(reply, 'validation_error', `${err.validationContext ?? 'body'}${err.message.replace(/^[^ ]*/, '')}`, details);
  }
  const mapped = err.code ? FASTIFY_CODES[err.code] : undefined;
  if (mapped) return sendError(reply, mapped, err.message);
  // Body parsing and other client-side failures that Fastify flags with a 4xx status.
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return reply.status(err.statusCode).send({ error: { code: 'validation_error', message: err.message } });
  }
  request.log.error({ err }, 'request failed');
  return sendError(reply, 'internal_error');
}
