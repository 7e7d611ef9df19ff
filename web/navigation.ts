/**
 * Where to go after logging in. `next` comes from the URL, so anyone can craft it: only a path on
 * this site is followed, never another origin (`//evil.example`, `/\evil.example`, `https://…`),
 * or a visitor could be sent from our login form to a look-alike site.
 */
export function safeNext(next: string | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

/** The Log in URL that returns to `path` afterwards (plain /login when that is Home anyway). */
export function loginFor(path: string): string {
  return path === '/' ? '/login' : `/login?next=${encodeURIComponent(path)}`;
}

/** `?next=…` to carry a pending destination from Log in to Sign up and back, or nothing. */
export function keepNext(next: string | undefined): string {
  return next ? `?next=${encodeURIComponent(safeNext(next))}` : '';
}
