/** What a JSON route answers to a body it cannot use, before its schema is even consulted. */
import { Hono } from 'hono';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { handleError } from './errors.ts';
import { jsonBody } from './validate.ts';

const app = new Hono()
  .post('/', ...jsonBody(v.strictObject({ name: v.string() })), (c) => c.json(c.req.valid('json')))
  .onError(handleError);

const post = (body: BodyInit, contentType?: string) =>
  app.request('/', { method: 'POST', body, headers: contentType ? { 'content-type': contentType } : {} });

async function expectError(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(await response.json()).toMatchObject({ error: { code, message: expect.any(String) } });
}

describe('jsonBody', () => {
  it('passes a valid body on, typed', async () => {
    const response = await post('{"name":"Ada"}', 'application/json; charset=utf-8');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ name: 'Ada' });
  });

  it('names broken JSON as such', async () => {
    for (const body of ['{', '{"name":', 'not json', '\u0000', '{"name":"Ada"}}']) {
      await expectError(await post(body, 'application/json'), 400, 'invalid_json');
    }
  });

  it('refuses other content types, or none', async () => {
    for (const contentType of [undefined, 'text/plain', 'application/jsonp', 'application/x-www-form-urlencoded']) {
      await expectError(await post('{"name":"Ada"}', contentType), 415, 'unsupported_media_type');
    }
  });

  it('refuses an oversized body, announced or streamed', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(64 * 1024) });
    await expectError(await post(big, 'application/json'), 413, 'payload_too_large');
    const stream = new Blob([big]).stream();
    await expectError(
      await app.request('/', {
        method: 'POST',
        body: stream,
        headers: { 'content-type': 'application/json' },
        duplex: 'half',
      } as RequestInit),
      413,
      'payload_too_large',
    );
  });

  it('checks the schema last, naming the field', async () => {
    const response = await post('{"name":42}', 'application/json');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_input', field: 'name' } });
  });
});
