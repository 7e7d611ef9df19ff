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
});
