/**
 * Vitest global setup: a fresh database for this run with migrations applied, on the embedded
 * Postgres (reusing the one `npm run dev` runs, if any), and its settings provided to the tests.
 * Each run has its own database, so concurrent runs never see each other's rows.
 */
import type { TestProject } from 'vitest/node';
import { startLocalBackend } from '../lib/local-app.ts';
import { explainSetupErrors } from '../lib/local-setup-error.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    workerEnv: Record<string, string>;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const backend = await explainSetupErrors(
    startLocalBackend({ owner: 'npm test', database: `edgecall_test_${process.pid}`, fresh: true, reuseRunning: true }),
  );
  project.provide('workerEnv', backend.workerEnv);
  return () => backend.stop();
}
