/**
 * A smaller stand-in for Vite's preload helper in the SPA's build. Vite wraps every `import()` of a
 * page or panel in a helper (1 kB gzip of the entry) that loads the chunk's CSS, reads CSP nonces
 * and fires `vite:preloadError`. The SPA has one stylesheet in index.html, no CSP nonces and no
 * listener for that event, so it needs only the helper's first job: ask for the chunks a lazily
 * loaded page imports (valibot, say) side by side with the page (`<link rel="modulepreload">`),
 * not one after another. Vite hands the helper the same dependency list either way.
 */
import type { Plugin } from 'vite';

/** Vite's id for its helper module (vite/src/node/plugins/importAnalysisBuild.ts). */
const VITE_PRELOAD_HELPER = '\0vite/preload-helper.js';

export function modulePreloadOnly(): Plugin {
  let base = '/';
  let replaced = false;
  return {
    name: 'edgecall:module-preload-only',
    apply: 'build',
    enforce: 'pre',
    applyToEnvironment: (environment) => environment.config.consumer === 'client',
    configResolved(config) {
      base = config.base;
    },
    buildStart() {
      replaced = false;
    },
    load(id) {
      if (id !== VITE_PRELOAD_HELPER) return;
      replaced = true;
      return `const asked = new Set();
export const __vitePreload = (load, deps) => {
  for (const dep of deps ?? []) {
    if (asked.has(dep)) continue;
    asked.add(dep);
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.crossOrigin = ''; // as index.html's module script: the preloaded fetch is the one reused
    link.href = ${JSON.stringify(base)} + dep;
    document.head.append(link);
  }
  return load();
};`;
    },
    generateBundle(_, bundle) {
      // A Vite that renamed its helper would put the 1 kB back silently: fail the build instead.
      const lazy = Object.values(bundle).some((file) => file.type === 'chunk' && file.dynamicImports.length > 0);
      if (lazy && !replaced) this.error(`Vite's preload helper is no longer ${JSON.stringify(VITE_PRELOAD_HELPER)}`);
    },
  };
}
