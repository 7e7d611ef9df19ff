/**
 * A local setup problem the developer fixes themselves (a port in use, a missing system user):
 * `npm run dev` and `npm test` print its message as is, with no stack trace.
 */
export class LocalSetupError extends Error {
  override name = 'LocalSetupError';
}

/** For entry points (`npm run dev`, test setups): a LocalSetupError ends the process with its message alone. */
export async function explainSetupErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof LocalSetupError)) throw error;
    console.error(`\n  ${error.message}\n`);
    process.exit(1);
  }
}
