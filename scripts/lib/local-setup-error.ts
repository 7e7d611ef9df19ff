/**
 * A local setup problem the developer fixes themselves (a port in use, a missing system user):
 * `npm run dev` and `npm test` print its message as is, with no stack trace.
 */
export class LocalSetupError extends Error {
  override name = 'LocalSetupError';
}
