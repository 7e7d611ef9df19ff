import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DevMail } from '../../protocol/dev-mail.ts';
import { type CallOptions, call, openTestDatabase, unique } from '../auth/testing.ts';
import { sendMail } from './send.ts';

const { db, close } = openTestDatabase();
afterAll(close);

const to = `box_${unique()}@example.com`;
beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  await sendMail(env, db, { to, subject: 'First', text: 'one', html: '<p>one</p>' });
  await sendMail(env, db, {
    to,
    subject: 'Second <script>alert(1)</script>',
    text: 'Reset: http://localhost/reset-password?token=abc&x=1 "then" done',
    html: '<p>two</p>',
  });
  vi.restoreAllMocks();
});

/** Where the mailbox must answer 404, like any unknown path: only DEV_MAILBOX=1 on loopback opens it. */
const CLOSED: [string, CallOptions][] = [
  ['without DEV_MAILBOX (a deployed Worker)', { env: { DEV_MAILBOX: '' } }],
  ['with DEV_MAILBOX other than 1', { env: { DEV_MAILBOX: 'true' } }],
  ['when RESEND_API_KEY is set', { env: { RESEND_API_KEY: 're_x' } }],
  ['for a public host', { origin: 'https://calls.example.com' }],
  ['for a name that merely starts like loopback', { origin: 'http://localhost.evil.example' }],
  ['for a private address', { origin: 'http://192.168.1.10:5173' }],
];

describe('GET /api/dev/mail', () => {
  it('lists mail as JSON, newest first', async () => {
    const response = await call('/api/dev/mail');
    expect(response.status).toBe(200);
    const mine = ((await response.json()) as DevMail[]).filter((mail) => mail.to === to);
    expect(mine.map((mail) => mail.subject)).toEqual(['Second <script>alert(1)</script>', 'First']);
    expect(mine[1]).toEqual({
      id: expect.any(Number),
      to,
      subject: 'First',
      text: 'one',
      html: '<p>one</p>',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it.each(CLOSED)('does not exist %s', async (_when, options) => {
    const response = await call('/api/dev/mail', options);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'No such endpoint.' } });
  });

  it.each(['http://127.0.0.1:4173', 'http://[::1]:5173', 'http://localhost:5173'])('answers at %s', async (origin) => {
    expect((await call('/api/dev/mail', { origin })).status).toBe(200);
  });
});

describe('GET /dev/mail', () => {
  it('renders the mailbox page with clickable, escaped links', async () => {
    const response = await call('/dev/mail');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const page = await response.text();
    expect(page).toContain('<h1>Dev mailbox</h1>');
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('Second &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>');
    const href = 'http://localhost/reset-password?token=abc&amp;x=1';
    expect(page).toContain(`<pre>Reset: <a href="${href}">${href}</a> &quot;then&quot; done</pre>`);
    expect(page.indexOf('Second &lt;script')).toBeLessThan(page.indexOf('>First<'));
  });

  it.each(CLOSED)('does not exist %s', async (_when, options) => {
    const response = await call('/dev/mail', options);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('Not found');
  });
});
