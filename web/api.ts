/**
 * The typed API client (rpc.ts): every path, body and success response comes from the Worker's
 * routes (`ApiType`, a type-only import, so no server code reaches the bundle). `call()` turns a request
 * into a result the UI can show: the data, or the server's `{ code, message, field? }` error.
 *
 * @example
 *   const result = await call(api.auth.login.$post({ json: { login, password } }));
 *   if (!result.ok) showBeside(result.error.field, result.error.message);
 */
import type { ClientResponse } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';
import type { ApiErrorBody } from '../protocol/errors.ts';
import type { ApiType } from '../worker/app.ts';
import { rpc } from './rpc.ts';

export const api = rpc<ApiType>('/api');

export type ApiError = ApiErrorBody['error'];
export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** The body type of a response's success statuses. */
type SuccessData<R> = R extends ClientResponse<infer T, infer S> ? (S extends SuccessStatusCode ? T : never) : never;

const UNREACHABLE: ApiError = {
  code: 'network',
  message: 'Could not reach EdgeCall. Check your connection and try again.',
};

export async function call<R extends ClientResponse<unknown, number>>(
  request: Promise<R>,
): Promise<ApiResult<SuccessData<R>>> {
  let response: R;
  try {
    response = await request;
  } catch {
    return { ok: false, error: UNREACHABLE };
  }
  const body = await readJson(response);
  if (response.ok) return { ok: true, data: body as SuccessData<R> };
  return { ok: false, error: isErrorBody(body) ? body.error : unexpected(response.status) };
}

/** JSON, or undefined for an empty body (204) or one that is not JSON (a proxy's error page). */
async function readJson(response: ClientResponse<unknown, number>): Promise<unknown> {
  const text = await response.text().catch(() => '');
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  const error = (body as ApiErrorBody | undefined)?.error;
  return typeof error?.message === 'string' && typeof error.code === 'string';
}

const unexpected = (status: number): ApiError => ({
  code: 'unexpected',
  message: `Something went wrong (HTTP ${status}). Please try again.`,
});
