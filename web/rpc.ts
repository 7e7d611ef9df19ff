/**
 * The typed API client at a tenth of hono/client's weight: `rpc<ApiType>('/api')` has exactly the
 * type of `hc<ApiType>('/api')` (every path, param, body and response comes from the Worker's
 * routes), with a runtime for what a browser sends: JSON bodies, path params, query strings and
 * headers. hono/client weighed 2.5 kB gzip of the SPA's entry, mostly for what a browser cannot
 * send (a Cookie header) or the SPA does not use (forms, `$url`, `$path`, `$ws`); those throw here.
 *
 * @example
 *   const api = rpc<ApiType>('/api');
 *   await api.rooms[':id'].$get({ param: { id } }); // GET /api/rooms/<id>
 */
import type { Hono } from 'hono';
import type { hc } from 'hono/client';

// biome-ignore lint/suspicious/noExplicitAny: hono/client's own constraint on an app's type.
export type RpcClient<App extends Hono<any, any, any>> = ReturnType<typeof hc<App>>;

/** What a request method takes (the part of hono/client's arguments this client sends). */
interface RequestArgs {
  param?: Record<string, string>;
  query?: Record<string, string | string[] | undefined>;
  json?: unknown;
  header?: Record<string, string>;
  form?: unknown;
  cookie?: unknown;
}

// biome-ignore lint/suspicious/noExplicitAny: hono/client's own constraint on an app's type.
export function rpc<App extends Hono<any, any, any>>(base: string, send: typeof fetch = fetch): RpcClient<App> {
  return step(base.replace(/\/+$/, ''), [], send) as RpcClient<App>;
}

/** `api.a.b` is the path [a, b]; calling `api.a.b.$post(args)` sends the request. */
function step(base: string, path: string[], send: typeof fetch): unknown {
  return new Proxy(() => {}, {
    // Not a thenable: `await api.rooms` must not look like a promise.
    get: (_, key) => (typeof key === 'string' && key !== 'then' ? step(base, [...path, key], send) : undefined),
    apply: (_, __, [args]: [RequestArgs?]) => {
      const method = path.at(-1)?.match(/^\$(\w+)$/)?.[1];
      if (!method || method === 'url' || method === 'path' || method === 'ws') {
        throw new Error(`rpc: ${path.join('.')}() is not supported`);
      }
      return send(...request(base, path.slice(0, -1), method.toUpperCase(), args ?? {}));
    },
  });
}

function request(base: string, path: string[], method: string, args: RequestArgs): [string, RequestInit] {
  if (args.form !== undefined || args.cookie !== undefined) {
    throw new Error('rpc: no form or cookie (the browser sends its own)');
  }
  let url = `${base}/${path.join('/')}`.replace(/\/index$/, '');
  for (const [name, value] of Object.entries(args.param ?? {})) {
    url = url.replace(new RegExp(`/:${name}(?:{[^/]+})?\\??(?=/|$)`), value ? `/${encodeURIComponent(value)}` : '');
  }
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(args.query ?? {})) {
    for (const each of [value ?? []].flat()) query.append(name, each);
  }
  const search = query.toString();
  if (search) url += `?${search}`;
  const headers = new Headers(args.header);
  let body: string | undefined;
  if (args.json !== undefined) {
    body = JSON.stringify(args.json);
    headers.set('Content-Type', 'application/json');
  }
  return [url, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body }];
}
