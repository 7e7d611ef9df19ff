/**
 * Request validation at the edge of each route, with valibot schemas shared with the SPA
 * (protocol/). Failures become 400/415 ApiErrors naming the offending field; the validated,
 * typed value flows on to the handler and, through Hono RPC, to the client.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { validator } from 'hono/validator';
import * as v from 'valibot';
import { ApiError } from './errors.ts';

/** Auth bodies are tiny; 16 KiB leaves room for any legitimate form and refuses megabyte payloads early. */
const MAX_JSON_BYTES = 16 * 1024;

const limitBody: MiddlewareHandler = bodyLimit({
  maxSize: MAX_JSON_BYTES,
  onError: () => {
    throw new ApiError(413, 'payload_too_large', `The request body must be at most ${MAX_JSON_BYTES} bytes.`);
  },
});

/**
 * The content type and the JSON syntax, checked before hono's validator, which would answer a
 * plain "bad request" for broken JSON and let any other content type through as `{}`. The parsed
 * body is cached on the request, so the validator reads it again for free.
 */
const readJson: MiddlewareHandler = async (c, next) => {
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
  try {
    await c.req.json();
  } catch (error) {
    // Only a syntax error is the sender's broken JSON; a body over the limit is bodyLimit's to answer.
    if (!(error instanceof SyntaxError)) throw error;
    throw new ApiError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
  await next();
};

/** Validates a JSON body (size, content type, syntax, then the schema). */
export function jsonBody<S extends v.GenericSchema>(schema: S) {
  return [limitBody, readJson, validator('json', (value) => parse(schema, value))] as const;
}

/** Validates the query string against a schema. */
export function query<S extends v.GenericSchema>(schema: S) {
  return validator('query', (value) => parse(schema, value));
}

/** Validates route parameters against a schema. */
export function params<S extends v.GenericSchema>(schema: S) {
  return validator('param', (value) => parse(schema, value));
}

export function parse<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input, { abortPipeEarly: true });
  if (result.success) return result.output;
  const issue = result.issues[0];
  const field = v.getDotPath(issue) ?? undefined;
  throw new ApiError(400, 'invalid_input', issue.message, field);
}
