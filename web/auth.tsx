/**
 * Who is signed in, for every page: asked once from GET /api/auth/me, then set by the Log in and
 * Sign up pages and cleared by Log out. Two route wrappers act on it, so pages never check it
 * themselves: `SignedIn` sends a signed-out visitor to Log in with `?next=` to come back, and
 * `SignedOut` (Log in, Sign up) sends a signed-in one on to `next`. A successful login therefore
 * only has to set the user.
 */
import { type ComponentChildren, type ComponentType, createContext } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import type { AccountView } from '../protocol/accounts.ts';
import { api, call } from './api.ts';
import { loginFor, safeNext } from './navigation.ts';
import { type RouteProps, useLocation } from './router.tsx';

export type User = AccountView;

export interface Auth {
  /** `undefined` until GET /api/auth/me answers, `null` when signed out. */
  user: User | null | undefined;
  setUser(user: User | null): void;
}

const AuthContext = createContext<Auth>({ user: undefined, setUser: () => {} });

export const useAuth = (): Auth => useContext(AuthContext);

export function AuthProvider({ children }: { children: ComponentChildren }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  useEffect(() => {
    void call(api.auth.me.$get()).then((result) => {
      // A login that finished first knows better than this older answer.
      setUser((current) => (current === undefined ? (result.ok ? result.data : null) : current));
    });
  }, []);
  const auth = useMemo(() => ({ user, setUser }), [user]);
  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}

/**
 * The guards read `path` and `query` from their props, not from useLocation(): while the next
 * page's code loads, the Router keeps showing this route, and the location has already moved on.
 */
interface GuardProps extends Partial<RouteProps> {
  component: ComponentType<RouteProps>;
}

/** A page for signed-in users only. */
export function SignedIn({ component: Page, path = '/', query = {}, params = {} }: GuardProps) {
  const { user } = useAuth();
  const search = new URLSearchParams(query).toString();
  useRedirect(user === null ? loginFor(search ? `${path}?${search}` : path) : undefined);
  return user ? <Page path={path} query={query} params={params} /> : <Waiting />;
}

/** A page for signed-out visitors (Log in, Sign up); a signed-in user goes on to `?next=`. */
export function SignedOut({ component: Page, path = '/', query = {}, params = {} }: GuardProps) {
  const { user } = useAuth();
  const away = user ? safeNext(query.next) : undefined;
  useRedirect(away);
  return away ? <Waiting /> : <Page path={path} query={query} params={params} />;
}

function useRedirect(to: string | undefined): void {
  const { route } = useLocation();
  useEffect(() => {
    // Replace: Back should not return to a page that would only redirect again.
    if (to) route(to, true);
  }, [to]);
}

const Waiting = () => (
  <p class="waiting" role="status">
    Loading…
  </p>
);
