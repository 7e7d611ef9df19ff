/**
 * The password-reset mail: a plain-text and an HTML part (everything interpolated is escaped),
 * sent after the forgot-password response. Doing the lookup, the token and the mail in the
 * background makes that response take the same time whether or not the account exists.
 */
import { html } from 'hono/html';
import { inBackground } from '../db/background.ts';
import type { Env } from '../env.ts';
import { type Mail, sendMail } from '../mail/send.ts';
import { audit } from './audit.ts';
import { issueResetToken, RESET_TOKEN_MINUTES } from './reset.ts';
import { findByEmail } from './users.ts';

/**
 * Mails a reset link if an account uses `email`; meant for `waitUntil` (db/background.ts).
 * Links point at APP_URL, or at the request's origin when APP_URL is empty.
 */
export function mailResetLink(env: Env, email: string, requestOrigin: string, ip?: string): Promise<void> {
  return inBackground(env, 'reset_mail_failed', async (db) => {
    const account = await findByEmail(db, email);
    if (!account) return;
    const token = await issueResetToken(db, account.id);
    audit({ event: 'reset_requested', userId: account.id }, ip);
    const link = `${(env.APP_URL || requestOrigin).replace(/\/+$/, '')}/reset-password?token=${token}`;
    await sendMail(env, db, await resetMail(account.email, account.username, link));
  });
}

async function resetMail(to: string, username: string, link: string): Promise<Mail> {
  const text = [
    `Hi ${username},`,
    '',
    'Someone (hopefully you) asked to reset the password of your EdgeCall account.',
    `Open this link within ${RESET_TOKEN_MINUTES} minutes to choose a new password; it works once:`,
    '',
    link,
    '',
    'If you did not ask for this, ignore this mail: your password stays as it is.',
  ].join('\n');
  const body = await html`<!doctype html>
<html lang="en">
<body style="font-family: system-ui, sans-serif; line-height: 1.5">
<p>Hi ${username},</p>
<p>Someone (hopefully you) asked to reset the password of your EdgeCall account.
Open this link within ${RESET_TOKEN_MINUTES} minutes to choose a new password; it works once:</p>
<p><a href="${link}">Reset your password</a></p>
<p style="overflow-wrap: anywhere">${link}</p>
<p>If you did not ask for this, ignore this mail: your password stays as it is.</p>
</body>
</html>`;
  return { to, subject: 'Reset your EdgeCall password', text, html: body.toString() };
}
