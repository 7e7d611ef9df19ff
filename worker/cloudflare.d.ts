// Project-specific parameters for the Workers runtime types (what `wrangler types` would generate):
// they type `env` and `exports` from `cloudflare:workers`, in the Worker and in its tests.
type WorkerEnv = import('./env.ts').Env;

declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import('./index.ts');
  }
  interface Env extends WorkerEnv {}
}
