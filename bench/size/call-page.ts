/**
 * Which built files the call page (/call/:id) loads, read from Vite's manifest
 * (https://vite.dev/guide/backend-integration): the entry chunk and everything it imports
 * statically, then the lazily loaded route chunks whose source lies under the call pages' folder
 * (the lobby and the call itself) with their own static imports, and the CSS of all of these (or the
 * SPA's one stylesheet, when CSS is not split per chunk).
 * Other routes' chunks, and the parts of the call loaded only when first opened (chat, stats panel),
 * are not loaded with that page and do not count. `spaFiles` lists every file, for the whole SPA's total.
 */

/** One manifest record, keyed by source path relative to the Vite root (web/). */
export interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
export type Manifest = Record<string, ManifestChunk>;

/**
 * `import`: a static import of the entry; `route import`: of a route chunk; `route`: a lazily
 * loaded chunk (a page, or a part of one loaded when first opened).
 */
export type Role = 'entry' | 'import' | 'route' | 'route import' | 'css';

export interface LoadedFile {
  file: string;
  role: Role;
  /** The source it was built from (for CSS: the chunk that pulls it in). */
  source: string;
}

/** @param routePrefix source folder of the call routes, relative to web/, e.g. "pages/call/" */
export function callPageFiles(manifest: Manifest, routePrefix: string): LoadedFile[] {
  const entry = Object.entries(manifest).find(([, chunk]) => chunk.isEntry);
  if (!entry) throw new Error('the manifest has no entry chunk');
  const files: LoadedFile[] = [];
  const seen = new Set<string>();
  const routes: string[] = [];

  const visit = (key: string, role: Role) => {
    const chunk = manifest[key];
    if (!chunk || seen.has(chunk.file)) return;
    seen.add(chunk.file);
    files.push({ file: chunk.file, role, source: key });
    for (const css of chunk.css ?? []) {
      if (!seen.has(css)) files.push({ file: css, role: 'css', source: key });
      seen.add(css);
    }
    for (const imported of chunk.imports ?? [])
      visit(imported, role === 'entry' || role === 'import' ? 'import' : 'route import');
    routes.push(...(chunk.dynamicImports ?? []).filter((dynamic) => dynamic.startsWith(routePrefix)));
  };

  visit(entry[0], 'entry');
  // A stylesheet of its own in the manifest is the whole SPA's (`cssCodeSplit: false`): index.html links it.
  for (const [key, chunk] of Object.entries(manifest)) {
    if (chunk.file.endsWith('.css') && !seen.has(chunk.file)) {
      seen.add(chunk.file);
      files.push({ file: chunk.file, role: 'css', source: key });
    }
  }
  for (let route = routes.shift(); route !== undefined; route = routes.shift()) visit(route, 'route');
  return files;
}

/** Every JS and CSS file of the SPA (every chunk of the manifest and its CSS), whatever page loads it. */
export function spaFiles(manifest: Manifest): LoadedFile[] {
  const files = new Map<string, LoadedFile>();
  for (const [source, chunk] of Object.entries(manifest)) {
    if (chunk.file.endsWith('.js') || chunk.file.endsWith('.css')) {
      const kind: Role = chunk.isDynamicEntry ? 'route' : 'import';
      const role: Role = chunk.file.endsWith('.css') ? 'css' : chunk.isEntry ? 'entry' : kind;
      if (!files.has(chunk.file)) files.set(chunk.file, { file: chunk.file, role, source });
    }
    for (const css of chunk.css ?? []) if (!files.has(css)) files.set(css, { file: css, role: 'css', source });
  }
  return [...files.values()];
}
