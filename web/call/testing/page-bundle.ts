/**
 * For tests that run an engine module inside a real browser page: the module bundled in memory
 * as a script that puts its exports on `window[name]`, ready for `page.addScriptTag({ content })`.
 */
import { build, type Rolldown } from 'vite';

export async function bundleForPage(entry: URL, name: string): Promise<string> {
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    build: { write: false, minify: false, lib: { entry: entry.pathname, formats: ['iife'], name } },
  })) as Rolldown.RolldownOutput[];
  const code = output[0]?.output[0]?.code;
  if (!code) throw new Error(`bundling ${entry.pathname} gave no code`);
  return code;
}
