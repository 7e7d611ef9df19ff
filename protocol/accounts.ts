/**
 * The accounts API's request bodies: one valibot schema per form, shared by the Worker (which
 * validates every request with them) and the SPA (which runs the same checks before submitting).
 * Keep this module free of server-only imports.
 *
 * Each message is written to be shown beside its field. Schemas also normalise what they accept:
 * usernames are trimmed and lower-cased, emails trimmed with a lower-cased domain, and passwords
 * NFKC-normalised (as NIST SP 800-63B advises) so the same password typed on another keyboard or
 * OS still matches. Forms are strict: an unknown field is an error, not silently dropped.
 */
import * as v from 'valibot';

export const USERNAME_PATTERN = /^[a-z0-9_]{3,32}$/;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const EMAIL_MAX = 254;
/** Reset tokens are 32 random bytes in base64url, no padding. */
export const RESET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * A sane address shape rather than RFC 5322: a local part without spaces, control characters or
 * the characters that need quoting, then a dotted domain (letters of any script allowed).
 */
const EMAIL_SHAPE =
  /^[^\s\p{C}@"(),:;<>[\\\]]{1,64}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,63}$/u;
/** Control characters have no place in a login and Postgres refuses NUL in text. */
const PRINTABLE = /^[^\p{C}]*$/u;

const lowerCaseDomain = (email: string) => {
  const at = email.lastIndexOf('@');
  return email.slice(0, at + 1) + email.slice(at + 1).toLowerCase();
};

export const Username = v.pipe(
  v.string('Enter a username'),
  v.trim(),
  v.toLowerCase(),
  v.regex(USERNAME_PATTERN, 'Username must be 3–32 characters: lowercase letters, digits or _'),
);

export const Email = v.pipe(
  v.string('Enter your email address'),
  v.trim(),
  v.nonEmpty('Enter your email address'),
  v.maxLength(EMAIL_MAX, `Email must be at most ${EMAIL_MAX} characters`),
  v.regex(EMAIL_SHAPE, 'Enter a valid email address, like name@example.com'),
  v.transform(lowerCaseDomain),
);

/** A password being chosen: the length rule applies. */
export const NewPassword = v.pipe(
  v.string('Enter a password'),
  v.normalize('NFKC'),
  v.minLength(PASSWORD_MIN, `Password must be at least ${PASSWORD_MIN} characters`),
  v.maxLength(PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters`),
);

/**
 * A password being proven: only presence is checked, so a password stored under an older rule
 * still works; the upper bound keeps hashing cheap to refuse.
 */
const ExistingPassword = v.pipe(
  v.string('Enter your password'),
  v.normalize('NFKC'),
  v.nonEmpty('Enter your password'),
  v.maxLength(PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters`),
);

const ConfirmPassword = v.pipe(v.string('Confirm your password'), v.normalize('NFKC'));

/**
 * Exactly these fields. A missing field gets its own field's message (the first schema of its
 * pipe carries it), an unknown field is named, and a body that is not an object says so.
 */
function form<const E extends v.ObjectEntries>(entries: E) {
  return v.strictObject(entries, (issue) => {
    const item = issue.path?.[0];
    // valibot takes arrays for objects; a form is never one.
    if (typeof item?.key !== 'string' || Array.isArray(item.input)) return 'Send the form as a JSON object';
    const key = item.key;
    if (issue.expected === 'never') return 'This form has no such field';
    const schema = entries[key];
    return schema && 'message' in schema && typeof schema.message === 'string'
      ? schema.message
      : 'This field is required';
  });
}

type PasswordPair = { password: string; confirmPassword: string };

/**
 * A form that sets a new password: `entries` plus `password` and `confirmPassword`. A mismatch is
 * reported on `confirmPassword` as soon as both passwords are valid on their own, so the SPA can
 * show it even while another field is still wrong.
 */
function choosingPassword<const E extends v.ObjectEntries>(entries: E) {
  const fields = form({ ...entries, password: NewPassword, confirmPassword: ConfirmPassword });
  type Fields = v.InferOutput<typeof fields>;
  const matches = v.forward(
    v.partialCheck<PasswordPair, [['password'], ['confirmPassword']], PasswordPair, string>(
      [['password'], ['confirmPassword']],
      (input) => input.password === input.confirmPassword,
      'Passwords do not match',
    ),
    ['confirmPassword'],
  );
  // Sound (every Fields has the pair), but TypeScript cannot see it through the generic E.
  return v.pipe(fields, matches as unknown as v.BaseValidation<Fields, Fields, v.PartialCheckIssue<PasswordPair>>);
}

export const SignupSchema = choosingPassword({ username: Username, email: Email });
export type SignupInput = v.InferInput<typeof SignupSchema>;
export type SignupData = v.InferOutput<typeof SignupSchema>;

export const LoginSchema = form({
  login: v.pipe(
    v.string('Enter your username or email'),
    v.trim(),
    v.nonEmpty('Enter your username or email'),
    v.maxLength(EMAIL_MAX, 'No account has a username or email that long'),
    v.regex(PRINTABLE, 'Username or email contains characters that are not allowed'),
  ),
  password: ExistingPassword,
});
export type LoginInput = v.InferInput<typeof LoginSchema>;
export type LoginData = v.InferOutput<typeof LoginSchema>;

export const ForgotPasswordSchema = form({ email: Email });
export type ForgotPasswordInput = v.InferInput<typeof ForgotPasswordSchema>;
export type ForgotPasswordData = v.InferOutput<typeof ForgotPasswordSchema>;

const INCOMPLETE_LINK = 'This reset link is incomplete: open the link from the email again';

export const ResetPasswordSchema = choosingPassword({
  token: v.pipe(v.string(INCOMPLETE_LINK), v.regex(RESET_TOKEN_PATTERN, INCOMPLETE_LINK)),
});
export type ResetPasswordInput = v.InferInput<typeof ResetPasswordSchema>;
export type ResetPasswordData = v.InferOutput<typeof ResetPasswordSchema>;

export const ChangePasswordSchema = choosingPassword({ currentPassword: ExistingPassword });
export type ChangePasswordInput = v.InferInput<typeof ChangePasswordSchema>;
export type ChangePasswordData = v.InferOutput<typeof ChangePasswordSchema>;

/** What `GET /api/auth/me`, signup and login return. */
export interface AccountView {
  id: string;
  username: string;
  email: string;
}
