import fc from 'fast-check';
import { Hono } from 'hono';
import { hc } from 'hono/client';
import { describe, expect, it } from 'vitest';
import { rpc } from './rpc.ts';

/** Routes shaped like the Worker's: nested paths, a path param, methods with and without a body. */
const app = new Hono()
  .get('/rooms', (c) => c.json({ rooms: [] }))
  .post('/rooms', (c) => c.json({ id: 'x' }, 201))
  .get('/rooms/:id', (c) => c.json({ id: c.req.param('id') }))
  .delete('/auth/sessions/:id', (c) => c.body(null, 204))
  .post('/auth/forgot-password', (c) => c.body(null, 204));

interface Sent {
  url: string;
  method: string;
  headers: [string, string][];
  body: unknown;
}

/** A fetch that answers nothing and records what it was asked to send. */
function recorder(): { sent: Sent[]; send: typeof fetch } {
  const sent: Sent[] = [];
  const send = async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: [...new Headers(init?.headers).entries()],
      body: init?.body,
    });
    return new Response(null, { status: 204 });
  };
  return { sent, send: send as typeof fetch };
}

describe('rpc: the typed API client', () => {
  it('sends what hono/client sends, for every kind of request the SPA makes', async () => {
    const ids = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
    const json = fc.record({ email: fc.string(), remember: fc.boolean(), count: fc.integer() });
    await fc.assert(
      fc.asyncProperty(ids, json, async (id, body) => {
        const ours = recorder();
        const theirs = recorder();
        for (const { send, api } of [
          { send: ours, api: rpc<typeof app>('/api', ours.send) },
          { send: theirs, api: hc<typeof app>('/api', { fetch: theirs.send }) },
        ]) {
          await api.rooms.$get();
          await api.rooms.$post();
          await api.rooms[':id'].$get({ param: { id } });
          await api.auth.sessions[':id'].$delete({ param: { id } });
          await api.auth['forgot-password'].$post({ json: body } as never);
          expect(send.sent).toHaveLength(5);
        }
        expect(ours.sent).toEqual(theirs.sent);
      }),
      { numRuns: 200 },
    );
  });

  it('sends query strings as hono/client does, a list as repeated keys', async () => {
    const ours = recorder();
    const theirs = recorder();
    const query = { q: 'a b&c', tag: ['x', 'y'], none: undefined };
    await rpc<typeof app>('/api/', ours.send).rooms.$get({ query } as never);
    await hc<typeof app>('/api/', { fetch: theirs.send }).rooms.$get({ query } as never);
    expect(ours.sent).toEqual(theirs.sent);
    expect(ours.sent[0]?.url).toBe('/api/rooms?q=a+b%26c&tag=x&tag=y');
  });

  it('escapes a path param, so it stays one segment of the path', async () => {
    const { sent, send } = recorder();
    await rpc<typeof app>('/api', send).rooms[':id'].$get({ param: { id: '../auth/me?x' } });
    expect(sent[0]?.url).toBe('/api/rooms/..%2Fauth%2Fme%3Fx');
  });

  it('refuses what it does not send, instead of dropping it', () => {
    const { send } = recorder();
    const api = rpc<typeof app>('/api', send);
    expect(() => api.rooms.$get({ form: { a: '1' } } as never)).toThrow(/no form or cookie/);
    expect(() => api.rooms.$get({ cookie: { a: '1' } } as never)).toThrow(/no form or cookie/);
    expect(() => api.rooms.$url()).toThrow(/not supported/);
    expect(() => (api.rooms as unknown as () => void)()).toThrow(/not supported/);
  });

  it('is not mistaken for a promise', async () => {
    const api = rpc<typeof app>('/api', recorder().send);
    expect(typeof (await Promise.resolve(api.rooms))).toBe('function');
  });
});
