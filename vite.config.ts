import { cloudflare } from '@cloudflare/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { modulePreloadOnly } from './scripts/lib/preload-helper.ts';

/**
 * Secrets a local `npm run dev` may take from the shell (e.g. a local coturn's TURN_SECRET). wrangler
 * only loads the secrets wrangler.toml marks as required, and a deployed Worker must not require these,
 * so the dev server passes them itself. Never in a build: nothing here can end up in deployed config.
 */
const OPTIONAL_DEV_SECRETS = ['TURN_SECRET', 'TURN_KEY_API_TOKEN'];

function devSecrets(): Record<string, string> {
  return Object.fromEntries(
    OPTIONAL_DEV_SECRETS.flatMap((name) => (process.env[name] ? [[name, process.env[name] as string]] : [])),
  );
}

/**
 * The pages made of account forms (log in, sign up, forgot and reset password, Account) share their
 * form code and schemas: one chunk for all of them weighs less than six small ones, and whoever
 * opens one usually opens another.
 */
const ACCOUNT_FORM_PAGES =
  /\/web\/(pages\/(login|signup|forgot-password|reset-password|account\/[a-z-]+)|components\/(form|field|submit-button))\.tsx?$|\/protocol\/accounts\.ts$/;

/**
 * What every visit runs or nearly always needs, in one file beside the entry: Preact, the app shell
 * (router, API client, signed-in user, page frame), valibot (the form pages and the call page
 * both check with it), and everything else the entry imports statically (the user line, a call
 * link's early room socket, the preload helper), so the entry itself is the few lines of main.tsx.
 * Left to itself the bundler made three files of them; one compresses better, and files that
 * import each other's exports by name pay for the names on both sides. Call outcomes and verified
 * devices join them too: a few hundred bytes that Home, the call page or the ringing dialog need
 * would otherwise be two more files, each with its own gzip overhead and import lists.
 * Home has a chunk of its own: with its contacts and call history it is 2.5 kB that a call link
 * opened cold must not wait for.
 */
const APP_SHELL = new RegExp(
  [
    /\/node_modules\/(preact|valibot)\//,
    /\/web\/(app|auth|router|lazy|api|rpc|navigation)\.tsx?$/,
    /\/web\/components\/page\.tsx$/,
    /\/web\/line\/(line-state|user-line|calling)\.tsx?$/,
    /\/web\/pages\/home\/contacts-line\.ts$/,
    /\/web\/call\/signaling\/room-socket\.ts$/,
    /\/web\/call\/safety\/verified-devices\.ts$/,
    /\/protocol\/(rooms|calls)\.ts$/,
    // Vite's id for the helper behind lazy imports (see scripts/lib/preload-helper.ts).
    /^\0vite\/preload-helper\.js$/,
  ]
    .map((pattern) => pattern.source)
    .join('|'),
);

export default defineConfig(({ command, isPreview }) => ({
  root: 'web',
  publicDir: 'public',
  build: { outDir: '../dist', emptyOutDir: true },
  environments: {
    // The SPA's build only; the Worker's is left as the Cloudflare plugin makes it.
    client: {
      build: {
        // Every browser EdgeCall supports preloads modules itself: no polyfill in the entry.
        modulePreload: { polyfill: false },
        // One stylesheet (3 kB gzip) for the whole SPA instead of one per chunk: smaller in sum, and
        // a lazily loaded panel's styles are there before its code arrives.
        cssCodeSplit: false,
        rolldownOptions: {
          // valibot's builders (`v.object(...)`, imported as `v`) have no side effects: a schema the
          // SPA never reads (a shared file's ClientMessageSchema, say) is left out of its chunk.
          treeshake: { manualPureFunctions: ['v'] },
          output: {
            codeSplitting: {
              // Only the modules named: what they import stays where the bundler puts it.
              includeDependenciesRecursively: false,
              groups: [
                { name: 'app', test: APP_SHELL },
                { name: 'account-forms', test: ACCOUNT_FORM_PAGES },
              ],
            },
          },
        },
      },
    },
  },
  plugins: [
    preact(),
    // Chunks a lazy page imports are fetched beside it, without Vite's 1 kB helper (see its file).
    modulePreloadOnly(),
    cloudflare({
      configPath: '../wrangler.toml',
      persistState: { path: '../.wrangler/state' },
      config: (worker) => (command === 'serve' && !isPreview ? { vars: { ...worker.vars, ...devSecrets() } } : {}),
    }),
  ],
  server: { port: Number(process.env.PORT ?? 5173), strictPort: true },
  preview: { port: Number(process.env.PORT ?? 4173), strictPort: true },
}));
