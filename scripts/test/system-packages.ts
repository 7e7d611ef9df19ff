/**
 * `npm test`'s first step (package.json "pretest"): the browser tests drive programs that come from
 * the system's packages, not from npm. All there: done at once. Some missing: as root with apt-get,
 * they are installed here; otherwise the run stops before any test with the exact command to run.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Debian package → a program it installs that the tests run. */
export const SYSTEM_PACKAGES: Record<string, string> = {
  chromium: 'chromium',
  'firefox-esr': 'firefox-esr',
  coturn: 'turnserver', // relay-only calls
  xvfb: 'xvfb-run', // Firefox with a window, for screen sharing
  xauth: 'xauth', // xvfb-run needs it
  iproute2: 'ip', // the Firefox call's network namespace
  'util-linux': 'unshare',
};

export interface Host {
  hasProgram(name: string): boolean;
  isRoot: boolean;
  /** Runs a command with the terminal attached; false when it fails. */
  run(command: string, args: string[]): boolean;
}

/** Installs what is missing when it can; otherwise returns the one sentence to show. */
export function ensureSystemPackages(host: Host): { ok: true } | { ok: false; message: string } {
  const missing = Object.keys(SYSTEM_PACKAGES).filter((pkg) => !host.hasProgram(SYSTEM_PACKAGES[pkg] ?? pkg));
  if (missing.length === 0) return { ok: true };
  const list = missing.join(' ');
  if (!host.hasProgram('apt-get')) {
    return {
      ok: false,
      message: `npm test needs these system packages (Debian names): ${list}. Install them with your system's package manager.`,
    };
  }
  if (!host.isRoot) {
    return {
      ok: false,
      message: `npm test needs these system packages. Install them with:\n  sudo apt-get install -y ${list}`,
    };
  }
  console.log(`npm test: installing the system packages it needs: ${list}`);
  const installed = host.run('apt-get', ['update', '-qq']) && host.run('apt-get', ['install', '-y', '-qq', ...missing]);
  return installed
    ? { ok: true }
    : { ok: false, message: `apt-get could not install ${list} (see above). Fix that, then run npm test again.` };
}

/** Programs in sbin count too: a normal user's PATH often lacks it, and `ip` lives there. */
function hasProgram(name: string): boolean {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  return dirs.some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function run(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    return true;
  } catch {
    return false;
  }
}

// Run as a script (not imported by its test).
if (process.argv[1] === import.meta.filename) {
  const result = ensureSystemPackages({ hasProgram, isRoot: process.getuid?.() === 0, run });
  if (!result.ok) {
    console.error(`\n${result.message}\n`);
    process.exit(1);
  }
}
