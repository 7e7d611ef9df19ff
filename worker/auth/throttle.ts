/**
 * The accounts API's throttling rules (counters in Postgres, see worker/http/rate-limit.ts). Every
 * attempt is counted before the work it guards, in one statement, so requests sent at once cannot
 * slip past a limit; the count decides whether the work happens at all.
 *
 * - Per IP (an IPv6 client by its /64), every attempt counts: it bounds how much scrypt work one
 *   client can make us do.
 * - Per account, every password check counts (login and change-password alike) and a success
 *   clears the count, so a user who knows their password is never locked out by their own
 *   successes. Unknown logins are counted under the name tried, so throttling looks the same
 *   whether or not the account exists.
 * - Per user, password changes count on their own: each costs two scrypts.
 * - Forgot-password counts per email address whether or not an account uses it, for the same
 *   reason, and so that nobody can flood an inbox.
 */
import { rule } from '../http/rate-limit.ts';

const MINUTE = 60;
const HOUR = 60 * MINUTE;

export const LOGIN_PER_IP = rule('login-ip', 50, 15 * MINUTE);
export const PASSWORD_CHECKS_PER_ACCOUNT = rule('password-checks', 10, 15 * MINUTE);
export const CHANGE_PASSWORD_PER_USER = rule('change-password-user', 5, HOUR);
export const SIGNUP_PER_IP = rule('signup-ip', 10, HOUR);
export const FORGOT_PER_IP = rule('forgot-ip', 10, HOUR);
export const FORGOT_PER_EMAIL = rule('forgot-email', 3, HOUR);

/** The per-account subject of a known account. */
export const accountSubject = (userId: string) => `user:${userId}`;

/** The per-account subject of a login attempt: the account when it exists, else the name tried. */
export function loginSubject(account: { id: string } | undefined, login: string): string {
  return account ? accountSubject(account.id) : `login:${login.toLowerCase()}`;
}
