/** `npm test` installs the system packages it needs, or says exactly how to. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ensureSystemPackages, type Host, SYSTEM_PACKAGES } from './system-packages.ts';

const programs = Object.values(SYSTEM_PACKAGES);

/** A machine that has `present` (plus apt-get unless told otherwise) and records what is run on it. */
function machine(options: { present: string[]; isRoot: boolean; aptGet?: boolean; failing?: string }) {
  const ran: string[] = [];
  const host: Host = {
    hasProgram: (name) => (name === 'apt-get' ? options.aptGet !== false : options.present.includes(name)),
    isRoot: options.isRoot,
    run(command, args) {
      ran.push([command, ...args].join(' '));
      return args[0] !== options.failing;
    },
  };
  return { host, ran };
}

describe('the test command’s system packages', () => {
  it('does nothing when everything is there', () => {
    const { host, ran } = machine({ present: programs, isRoot: true });
    expect(ensureSystemPackages(host)).toEqual({ ok: true });
    expect(ran).toEqual([]);
  });

  it('installs only what is missing as root, after refreshing the package lists', () => {
    const { host, ran } = machine({
      present: programs.filter((p) => p !== 'turnserver' && p !== 'xauth'),
      isRoot: true,
    });
    expect(ensureSystemPackages(host)).toEqual({ ok: true });
    expect(ran).toEqual(['apt-get update -qq', 'apt-get install -y -qq coturn xauth']);
  });

  it('stops with the exact command for a normal user', () => {
    const { host, ran } = machine({ present: ['chromium'], isRoot: false });
    const result = ensureSystemPackages(host);
    expect(result).toEqual({
      ok: false,
      message:
        'npm test needs these system packages. Install them with:\n' +
        '  sudo apt-get install -y firefox-esr coturn xvfb xauth iproute2 util-linux',
    });
    expect(ran).toEqual([]);
  });

  it('says so plainly when apt-get fails, or when there is no apt-get', () => {
    const failing = machine({ present: [], isRoot: true, failing: 'install' });
    expect(ensureSystemPackages(failing.host)).toMatchObject({
      ok: false,
      message: /apt-get could not install chromium/,
    });
    const noApt = machine({ present: programs.slice(1), isRoot: true, aptGet: false });
    expect(ensureSystemPackages(noApt.host)).toEqual({
      ok: false,
      message:
        "npm test needs these system packages (Debian names): chromium. Install them with your system's package manager.",
    });
    expect(noApt.ran).toEqual([]);
  });

  it('passes on this machine, where the packages are installed', async () => {
    const run = promisify(execFile);
    await expect(run(process.execPath, ['--import', 'tsx', 'scripts/test/system-packages.ts'])).resolves.toMatchObject({
      stdout: '',
    });
  });
});
