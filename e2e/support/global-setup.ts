/**
 * Vitest global setup of the "browser" project: one app server for the whole run, its origin
 * provided to every test as `inject('baseURL')`. Runs before the root setup and is torn down after
 * it, so when it starts the embedded Postgres itself, the root setup reuses that cluster.
 */
import type { TestProject } from 'vitest/node';
import { explainSetupErrors } from '../../scripts/lib/local-setup-error.ts';
import { startAppServer } from './app-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the app under test, e.g. http://127.0.0.1:41234. */
    baseURL: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const app = await explainSetupErrors(
    startAppServer({ owner: 'npm test (browser)', database: `edgecall_e2e_${process.pid}` }),
  );
  project.provide('baseURL', app.url);
  return () => app.stop();
}
