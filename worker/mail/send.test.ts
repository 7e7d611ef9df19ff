import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { openTestDatabase, post, signUp, unique } from '../auth/testing.ts';
import { devMail } from '../db/schema.ts';
import { sendMail } from './send.ts';

const { db, close } = openTestDatabase();
afterAll(close);
afterEach(() => vi.restoreAllMocks());

const RESEND = { ...env, RESEND_API_KEY: 're_test_key', MAIL_FROM: 'EdgeCall <no-reply@calls.example>' };
const mail = (to: string) => ({ to, subject: 'Hello', text: 'Open https://x.example/a?b=1', html: '<p>Hello</p>' });

/**
 * Answers requests to Resend's API with `answer` and records them; every other fetch passes
 * through (the database driver must keep working).
 */
function mockResend(answer: () => Response): Request[] {
  const seen: Request[] = [];
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith('https://api.resend.com/')) return realFetch(input, init);
    seen.push(request);
    return answer();
  });
  return seen;
}

const storedFor = (to: string) => db.select().from(devMail).where(eq(devMail.to, to));

describe('sendMail without RESEND_API_KEY', () => {
  it('stores the mail in the dev mailbox and prints it with its links', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const to = `dev_${unique()}@example.com`;
    await sendMail(env, db, mail(to));
    expect(await storedFor(to)).toMatchObject([{ to, subject: 'Hello', text: mail(to).text, html: '<p>Hello</p>' }]);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('https://x.example/a?b=1'));
  });
});

describe('sendMail with RESEND_API_KEY', () => {
  it('posts the mail to Resend with the key and MAIL_FROM, and stores nothing', async () => {
    const seen = mockResend(() => Response.json({ id: 'email_123' }));
    const to = `real_${unique()}@example.com`;
    await sendMail(RESEND, db, mail(to));

    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('https://api.resend.com/emails');
    expect(request?.headers.get('authorization')).toBe('Bearer re_test_key');
    expect(await request?.json()).toMatchObject({
      from: 'EdgeCall <no-reply@calls.example>',
      to,
      subject: 'Hello',
      text: mail(to).text,
      html: '<p>Hello</p>',
    });
    expect(await storedFor(to)).toEqual([]);
  });

  it('throws when Resend refuses the mail', async () => {
    mockResend(() =>
      Response.json({ name: 'validation_error', message: 'Invalid `to` field.', statusCode: 422 }, { status: 422 }),
    );
    await expect(sendMail(RESEND, db, mail('x@example.com'))).rejects.toThrow(
      'Resend refused the mail: validation_error: Invalid `to` field.',
    );
  });
});

describe('forgot-password with Resend', () => {
  it('sends the reset mail through Resend', async () => {
    const seen = mockResend(() => Response.json({ id: 'email_123' }));
    const user = await signUp();
    expect((await post('/api/auth/forgot-password', { email: user.email }, { env: RESEND })).status).toBe(202);
    const body = (await seen[0]?.json()) as { to: string; text: string; html: string };
    expect(body.to).toBe(user.email);
    expect(body.text).toMatch(/http:\/\/localhost\/reset-password\?token=[\w-]{43}/);
    expect(body.html).toContain('<a href="http://localhost/reset-password?token=');
  });

  it('still answers 202 when Resend fails, and logs the failure', async () => {
    mockResend(() => Response.json({ name: 'application_error', message: 'Down' }, { status: 500 }));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const user = await signUp();
    const response = await post('/api/auth/forgot-password', { email: user.email }, { env: RESEND });
    expect(response.status).toBe(202);
    expect(logged).toHaveBeenCalledWith(
      JSON.stringify({
        event: 'reset_mail_failed',
        message: 'Error: Resend refused the mail: application_error: Down',
      }),
    );
  });
});
