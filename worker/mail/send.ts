/**
 * Outgoing mail. With RESEND_API_KEY set it goes out through Resend's SDK. Without it, mail is kept
 * in the dev mailbox (the `dev_mail` table, listed at /dev/mail) only when DEV_MAILBOX says so
 * (`npm run dev`, tests); anywhere else sending fails, so a deployment without a mail provider
 * never stores anyone's reset link where it could be read.
 *
 * Logs never hold a body, a link or a token: the dev terminal only hears that a mail arrived.
 */
import { Resend } from 'resend';
import type { Database } from '../db/client.ts';
import { devMail } from '../db/schema.ts';
import type { Env } from '../env.ts';
import { LoggableError } from '../http/errors.ts';

export interface Mail {
  to: string;
  subject: string;
  /** Plain-text part: what text-only clients show. */
  text: string;
  /** HTML part; everything interpolated into it must already be escaped. */
  html: string;
}

/** Thrown when there is neither a provider nor a dev mailbox; its message names no account. */
export class MailNotConfiguredError extends LoggableError {
  constructor() {
    super('Mail is not configured: set the RESEND_API_KEY secret (DEV_MAILBOX=1 is for local development only)');
    this.name = 'MailNotConfiguredError';
  }
}

/**
 * Resend's refusal, by its error code only (e.g. `validation_error`): its message may quote the
 * recipient's address, which must not reach the logs.
 */
export class MailRefusedError extends LoggableError {
  constructor(code: string) {
    super(`Resend refused the mail: ${code}`);
    this.name = 'MailRefusedError';
  }
}

/** The dev mailbox is on only when DEV_MAILBOX is "1" and no provider is configured. */
export const devMailboxEnabled = (env: Pick<Env, 'DEV_MAILBOX' | 'RESEND_API_KEY'>): boolean =>
  env.DEV_MAILBOX === '1' && !env.RESEND_API_KEY;

/** Sends (or, in local development, stores) one mail; throws if it cannot go anywhere. */
export async function sendMail(env: Env, db: Pick<Database, 'insert'>, mail: Mail): Promise<void> {
  if (env.RESEND_API_KEY) {
    // The SDK reports API errors in its result rather than throwing.
    const { error } = await new Resend(env.RESEND_API_KEY).emails.send({ from: env.MAIL_FROM, ...mail });
    if (error) throw new MailRefusedError(error.name);
    return;
  }
  if (!devMailboxEnabled(env)) throw new MailNotConfiguredError();
  await db.insert(devMail).values(mail);
  console.log(`[dev mail] "${mail.subject}" to ${mail.to}: read it at /dev/mail`);
}
