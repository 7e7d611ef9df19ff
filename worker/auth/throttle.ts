/**
 * The accounts API's throttling rules (counters in Postgres, see worker/http/rate-limit.ts).
 *
 * - Per IP, every attempt counts: it bounds how much scrypt work one client can make us do.
 * - Per account, only failed password checks count (login and change-password alike), so a
 *   user who knows their password is never locked out by their own successes; a success clears
 *   the count. Unknown logins are counted under the name tried, so throttling looks the same
 *   whether or not the account exists.
 * - Forgot-password counts per email address whether or not an account uses it, for the same
 *   reason, and so that nobody can flood an inbox.
 */
import { rule } from '../http/rate-limit.ts';

const MINUTE = 60;
const HOUR = 60 * MINUTE;

export const LOGIN_PER_IP = rule('login-ip', 50, 15 * MINUTE);
export const PASSWORD_FAILURES_PER_ACCOUNT = rule('password-failures', 10, 15 * MINUTE);
export const SIGNUP_PER_IP = rule('signup-ip', 10, HOUR);
export const FORGOT_PER_IP = rule('forgot-ip', 10, HOUR);
export const FORGOT_PER_EMAIL = rule('forgot-email', 3, HOUR);

/** The per-account subject of a known account. */
export const accountSubject = (userId: string) => `user:${userId}`;

/** The per-account subject of a login attempt: the account when it exists, else the name tried. */
export function loginSubject(account: { id: string } | undefined, login: string): string {
  return account ? accountSubject(account.id) : `login:${login.toLowerCase()}`;
}
