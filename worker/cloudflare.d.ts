// Project-specific parameters for the Workers runtime types (what `wrangler types` would generate):
// they type `env` and `exports` from `cloudflare:workers`, in the Worker and in its tests.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import('./index.ts');
  }
  interface Env extends import('./env.ts').Env {}
}
