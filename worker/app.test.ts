import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

describe('app', () => {
  it('reaches the database', async () => {
    const response = await exports.default.fetch('http://localhost/api/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const response = await exports.default.fetch('http://localhost/api/nope');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('refuses state-changing requests from another origin', async () => {
    const response = await exports.default.fetch('http://localhost/api/health', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'cross_origin' } });
  });

  it.each([
    ['an answer', 'GET', '/api/health', {}, 200],
    ['an error', 'GET', '/api/auth/me', {}, 401],
    ['an unknown path', 'GET', '/api/nope', {}, 404],
    ['a cross-origin refusal', 'POST', '/api/health', { origin: 'https://evil.example' }, 403],
  ])('marks every API response no-store: %s', async (_name, method, path, headers, status) => {
    const response = await exports.default.fetch(`http://localhost${path}`, { method, headers });
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});
