/**
 * Outgoing mail. With RESEND_API_KEY set it goes out through Resend's SDK; without it (local
 * development, tests) it lands in the dev mailbox: the `dev_mail` table, listed at /dev/mail, and
 * printed to the Worker's log (the `npm run dev` terminal) so its links are one click away.
 */
import { Resend } from 'resend';
import type { Database } from '../db/client.ts';
import { devMail } from '../db/schema.ts';
import type { Env } from '../env.ts';

export interface Mail {
  to: string;
  subject: string;
  /** Plain-text part: what text-only clients show, and what the dev log prints. */
  text: string;
  /** HTML part; everything interpolated into it must already be escaped. */
  html: string;
}

/** Sends (or, without a provider, stores) one mail; throws if the provider refuses it. */
export async function sendMail(env: Env, db: Pick<Database, 'insert'>, mail: Mail): Promise<void> {
  if (env.RESEND_API_KEY) {
    // The SDK reports API errors in its result rather than throwing.
    const { error } = await new Resend(env.RESEND_API_KEY).emails.send({ from: env.MAIL_FROM, ...mail });
    if (error) throw new Error(`Resend refused the mail: ${error.name}: ${error.message}`);
    return;
  }
  await db.insert(devMail).values(mail);
  console.log(`[dev mail] to ${mail.to}: ${mail.subject}\n${mail.text}\n(listed at /dev/mail)`);
}
