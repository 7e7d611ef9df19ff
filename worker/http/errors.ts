/**
 * Every API error leaves as `{ error: { code, message, field? } }` with a 4xx status, from one place.
 * Unexpected exceptions are logged and become a bare 500 that never carries a stack.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(status, { message });
  }
}

export function errorBody(code: string, message: string, field?: string): ApiErrorBody {
  return { error: field === undefined ? { code, message } : { code, message, field } };
}

export function handleError(error: Error, c: Context): Response {
  if (error instanceof ApiError) {
    return c.json(errorBody(error.code, error.message, error.field), error.status, error.headers);
  }
  if (error instanceof HTTPException) {
    // Hono's own (e.g. body-limit's 413) are client errors with a plain message.
    const status = error.status;
    return c.json(
      errorBody(status === 413 ? 'payload_too_large' : 'bad_request', error.message || 'Bad request'),
      status,
    );
  }
  console.error(JSON.stringify({ event: 'unhandled_error', path: c.req.path, message: String(error) }));
  return c.json(errorBody('internal', 'Something went wrong on our side. Please try again.'), 500);
}

export function notFound(c: Context): Response {
  return c.json(errorBody('not_found', 'No such endpoint.'), 404);
}
