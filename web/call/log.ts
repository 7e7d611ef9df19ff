/**
 * The call engine's debug log (the `debug` switch, flags.ts): each part narrates its steps under
 * its own scope, and nothing is printed, or formatted, when debugging is off.
 */
export type Log = (message: string, ...detail: unknown[]) => void;

/** A debug logger that prints `[call:scope] …` when debugging is on, and costs nothing when off. */
export function createLog(scope: string, enabled: boolean): Log {
  if (!enabled) return () => {};
  return (message, ...detail) => console.debug(`[call:${scope}] ${message}`, ...detail);
}
