/**
 * "Your password was changed": mailed to the account after a password change or a reset, so an
 * owner whose password was changed by someone else hears about it. It says when, and what to do,
 * and carries no link at all: nothing in it changes anything, and a mail that teaches people to
 * click account links from mail would make phishing easier.
 */
import { html } from 'hono/html';
import { inBackground } from '../db/background.ts';
import type { Env } from '../env.ts';
import { type Mail, sendMail } from '../mail/send.ts';
import { findById } from './users.ts';

export type PasswordChange = 'changed' | 'reset';

/** Mails the notice to the user's address; meant for `waitUntil` (db/background.ts). */
export function mailPasswordChanged(env: Env, userId: string, how: PasswordChange, at: Date): Promise<void> {
  return inBackground(env, 'password_changed_mail_failed', async (db) => {
    const account = await findById(db, userId);
    if (account) await sendMail(env, db, await passwordChangedMail(account.email, account.username, how, at));
  });
}

async function passwordChangedMail(to: string, username: string, how: PasswordChange, at: Date): Promise<Mail> {
  const when = at.toUTCString().replace('GMT', 'UTC');
  const what =
    how === 'reset'
      ? 'The password of your EdgeCall account was reset with a link sent to this address'
      : 'The password of your EdgeCall account was changed from a signed-in device';
  const others = how === 'reset' ? 'Every device was signed out.' : 'Every other device was signed out.';
  const ifNotYou = [
    'If this was you, there is nothing to do.',
    'If it was not you, someone else knows your password or can read your mail: secure this mailbox first,',
    'then open EdgeCall yourself (not from a link in a mail), choose "Forgot your password?" on the Log in',
    'page and set a new password. That signs out every device, including theirs.',
  ];
  const text = [`Hi ${username},`, '', `${what} on ${when}. ${others}`, '', ...ifNotYou].join('\n');
  const body = await html`<!doctype html>
<html lang="en">
<body style="font-family: system-ui, sans-serif; line-height: 1.5">
<p>Hi ${username},</p>
<p>${what} on ${when}. ${others}</p>
<p>${ifNotYou.join(' ')}</p>
</body>
</html>`;
  return { to, subject: 'Your password was changed', text, html: body.toString() };
}
