import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { openTestDatabase, post, signUp, unique } from '../auth/testing.ts';
import { devMail } from '../db/schema.ts';
import { MailNotConfiguredError, sendMail } from './send.ts';

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

/** Everything written to the log while the spies are on, one string per call. */
function captureLogs(): string[] {
  const lines: string[] = [];
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
  }
  return lines;
}

describe('sendMail with DEV_MAILBOX=1 and no RESEND_API_KEY', () => {
  it('stores the mail in the dev mailbox and tells the log only that it arrived and where', async () => {
    const logs = captureLogs();
    const to = `dev_${unique()}@example.com`;
    await sendMail(env, db, mail(to));
    expect(await storedFor(to)).toMatchObject([{ to, subject: 'Hello', text: mail(to).text, html: '<p>Hello</p>' }]);
    expect(logs).toEqual([`[dev mail] "Hello" to ${to}: read it at /dev/mail`]);
  });
});

describe('sendMail with neither RESEND_API_KEY nor DEV_MAILBOX (a deployment without a mail provider)', () => {
  const UNCONFIGURED = { ...env, RESEND_API_KEY: '', DEV_MAILBOX: '' };

  it('throws a configuration error naming no account, and stores nothing', async () => {
    const to = `nowhere_${unique()}@example.com`;
    const failure = sendMail(UNCONFIGURED, db, mail(to));
    await expect(failure).rejects.toBeInstanceOf(MailNotConfiguredError);
    await expect(failure).rejects.toThrow('Mail is not configured: set the RESEND_API_KEY secret');
    expect(await storedFor(to)).toEqual([]);
  });

  it('forgot-password still answers 202 and logs the configuration error, not the account or link', async () => {
    const logs = captureLogs();
    const user = await signUp();
    const response = await post('/api/auth/forgot-password', { email: user.email }, { env: UNCONFIGURED });
    expect(response.status).toBe(202);
    expect(await storedFor(user.email)).toEqual([]);
    const failure = JSON.stringify({
      event: 'reset_mail_failed',
      name: 'MailNotConfiguredError',
      message: new MailNotConfiguredError().message,
    });
    expect(logs).toContain(failure);
    expect(logs.join('\n')).not.toContain(user.email);
  });
});

describe('logs', () => {
  it('never hold a mail body, a link or a token, with the dev mailbox or with Resend', async () => {
    const logs = captureLogs();
    const seen = mockResend(() => Response.json({ name: 'application_error', message: 'Down' }, { status: 500 }));
    const dev = await signUp();
    const real = await signUp();
    expect((await post('/api/auth/forgot-password', { email: dev.email })).status).toBe(202);
    expect((await post('/api/auth/forgot-password', { email: real.email }, { env: RESEND })).status).toBe(202);

    const [stored] = await storedFor(dev.email);
    const sent = (await seen[0]?.json()) as { text: string };
    const secrets = [stored?.text, sent.text].flatMap((text = '') => {
      const link = text.match(/http:\/\/\S+/)?.[0] ?? '';
      return [text, link, new URL(link).searchParams.get('token') ?? ''];
    });
    expect(secrets.every((secret) => secret.length > 20)).toBe(true);
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) for (const secret of secrets) expect(line).not.toContain(secret);
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
      'Resend refused the mail: validation_error',
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
        name: 'MailRefusedError',
        message: 'Resend refused the mail: application_error',
      }),
    );
  });
});
