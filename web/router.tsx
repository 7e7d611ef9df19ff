/**
 * The SPA's router, a few hundred bytes where a router library weighs 2 kB: the URL as state,
 * same-origin links and Back/Forward without a page load, and pages whose code loads on their
 * first visit. While that code loads, the page before it stays on screen; once the new page shows
 * after a link or `route()`, the window scrolls to the top (Back and Forward leave scrolling to the
 * browser). Focus and the document title are the page's own business (components/page.tsx).
 */
import {
  type ComponentChildren,
  type ComponentType,
  cloneElement,
  createContext,
  toChildArray,
  type VNode,
} from 'preact';
import { useContext, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { type LazyCode, lazyCode } from './lazy.ts';

export interface Location {
  /** The path without a trailing slash ('/' for the root). */
  path: string;
  query: Record<string, string>;
  /** Goes to `url` (a path on this site), adding a history entry unless `replace`. */
  route(url: string, replace?: boolean): void;
}

/** What the Router gives the page it shows (e.g. `params.id` for `/call/:id`). */
export interface RouteProps {
  path: string;
  query: Record<string, string>;
  params: Record<string, string>;
}

interface LocationState extends Location {
  /** Whether the last move added a history entry (a link, `route()`), not Back, Forward or a load. */
  pushed: boolean;
}

const LocationContext = createContext<LocationState>({ path: '/', query: {}, route: () => {}, pushed: false });

export const useLocation = (): Location => useContext(LocationContext);

const here = () => location.pathname + location.search + location.hash;

export function LocationProvider({ children }: { children: ComponentChildren }) {
  const [{ url, pushed }, moveTo] = useState({ url: here(), pushed: false });
  const route = useMemo(
    () =>
      (to: string, replace = false) => {
        history[replace ? 'replaceState' : 'pushState'](null, '', to);
        moveTo({ url: here(), pushed: !replace });
      },
    [],
  );
  useLayoutEffect(() => {
    const onClick = (event: MouseEvent) => {
      const to = sameSiteLink(event);
      if (!to) return;
      event.preventDefault();
      route(to);
    };
    const onPopState = () => moveTo({ url: here(), pushed: false });
    addEventListener('click', onClick);
    addEventListener('popstate', onPopState);
    return () => {
      removeEventListener('click', onClick);
      removeEventListener('popstate', onPopState);
    };
  }, []);
  const state = useMemo(() => {
    const { pathname, searchParams } = new URL(url, location.origin);
    return { path: pathname.replace(/\/+$/, '') || '/', query: Object.fromEntries(searchParams), route, pushed };
  }, [url]);
  return <LocationContext.Provider value={state}>{children}</LocationContext.Provider>;
}

/**
 * The path a click on a link goes to when the SPA should take it, or undefined when the browser
 * should (a modified or middle click, another origin or window, a download, an in-page `#anchor`).
 */
function sameSiteLink(event: MouseEvent): string | undefined {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
  const link = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement);
  if (!link?.href || link.origin !== location.origin || link.hasAttribute('download')) return;
  if (link.getAttribute('href')?.startsWith('#') || !/^(_self)?$/i.test(link.target)) return;
  return link.href.slice(location.origin.length);
}

/** The params of `path` when it matches `pattern` (segments, `:name` for a param), else undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const wanted = pattern.split('/').filter(Boolean);
  const given = path.split('/').filter(Boolean);
  if (wanted.length !== given.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of wanted.entries()) {
    const value = given[index] as string;
    if (!segment.startsWith(':')) {
      if (segment !== value) return undefined;
      continue;
    }
    try {
      params[segment.slice(1)] = decodeURIComponent(value);
    } catch {
      return undefined; // A malformed %-escape is no address of ours.
    }
  }
  return params;
}

/** A page whose code loads on its first visit (one chunk per page). */
export type LazyPage = ComponentType<RouteProps> & { code: LazyCode<ComponentType<RouteProps>> };

export function lazy(load: () => Promise<{ default: ComponentType<RouteProps> }>): LazyPage {
  const code = lazyCode(load);
  const Page = (props: RouteProps) => {
    const Loaded = code.loaded;
    return Loaded ? <Loaded {...props} /> : null;
  };
  return Object.assign(Page, { code });
}

/** The props of the Router's children: a route (or a guard wrapping one, see auth.tsx). */
interface RouteChildProps {
  /** A pattern for `matchPath`; the child with `default` shows when no path matches. */
  path?: string;
  default?: boolean;
  component: ComponentType<RouteProps> | LazyPage;
}

/** A page shown as it is, for everyone. */
export const Route = ({
  component: Page,
  path = '/',
  query = {},
  params = {},
}: RouteChildProps & Partial<RouteProps>) => <Page path={path} query={query} params={params} />;

/** Shows the first child whose `path` matches the location, or the `default` one. */
export function Router({ children }: { children: VNode<RouteChildProps>[] }) {
  const { path, query, pushed } = useContext(LocationContext);
  const [, codeArrived] = useReducer((count: number) => count + 1, 0);
  const shown = useRef<VNode<RouteChildProps & Partial<RouteProps>> | null>(null);

  const { next, params } = pick(toChildArray(children) as VNode<RouteChildProps>[], path);
  const code = next && 'code' in next.props.component ? next.props.component.code : undefined;
  if (code && !code.loaded) code.load().then(codeArrived, (error: unknown) => console.error(error));
  else if (next) shown.current = cloneElement(next, { path, query, params });

  const shownPath = shown.current?.props.path;
  useLayoutEffect(() => {
    if (pushed) scrollTo(0, 0);
  }, [shownPath]);
  return shown.current ?? null;
}

function pick(routes: VNode<RouteChildProps>[], path: string) {
  for (const route of routes) {
    const params = route.props.path === undefined ? undefined : matchPath(route.props.path, path);
    if (params) return { next: route, params };
  }
  return { next: routes.find((route) => route.props.default), params: {} };
}
