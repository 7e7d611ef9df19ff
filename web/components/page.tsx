/**
 * The frame of every page: the site header, one main landmark with the page's one h1, and the
 * document title. After a navigation, focus moves to the new h1, so screen reader users hear
 * which page they are on (a full page load announces the title by itself).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/** False until the first page has rendered: that one is a page load, not a navigation. */
let navigated = false;

interface PageProps {
  /** The document title, and the h1 unless `heading` says otherwise. */
  title: string;
  heading?: string;
  /** Controls at the end of the header, such as Log out. */
  actions?: ComponentChildren;
  /** A single column for a form. */
  narrow?: boolean;
  children: ComponentChildren;
}

export function Page({ title, heading = title, actions, narrow = false, children }: PageProps) {
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · EdgeCall`;
  }, [title]);
  useEffect(() => {
    if (navigated) h1.current?.focus();
    navigated = true;
  }, []);
  return (
    <>
      <header class="site-header">
        <a class="brand" href="/">
          EdgeCall
        </a>
        {actions}
      </header>
      <main class={narrow ? 'narrow' : undefined}>
        <h1 ref={h1} tabIndex={-1}>
          {heading}
        </h1>
        {children}
      </main>
    </>
  );
}
