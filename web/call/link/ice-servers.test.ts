import { afterEach, describe, expect, it, vi } from 'vitest';
import { type IceConfig, IceServers, refreshDelay } from './ice-servers.ts';

const NOW = 1_000_000_000_000;
const turn = (expiresAt: number): IceConfig => ({
  iceServers: [{ urls: 'turn:127.0.0.1:3478', username: `${expiresAt}:u`, credential: 'c' }],
  expiresAt,
  relay: true,
});

afterEach(() => vi.useRealTimers());

describe('refreshDelay', () => {
  it('refreshes a minute before expiry for long-lived credentials', () => {
    expect(refreshDelay(NOW + 3600_000, NOW)).toBe(3540_000);
  });
  it('refreshes at 80 % of a short life', () => {
    expect(refreshDelay(NOW + 100_000, NOW)).toBe(80_000);
    expect(refreshDelay(NOW + 200_000, NOW)).toBe(160_000);
  });
  it('never loops on expired credentials', () => {
    expect(refreshDelay(NOW - 5000, NOW)).toBe(10_000);
  });
});

describe('IceServers', () => {
  it('fetches before expiry and announces each new set', async () => {
    vi.useFakeTimers({ now: NOW });
    let calls = 0;
    const ice = new IceServers(
      async () => turn(Date.now() + 3600_000 + calls++),
      () => {},
    );
    ice.ensureFresh();
    const seen: IceConfig[] = [];
    ice.on('change', (config) => seen.push(config));
    expect((await ice.ready).relay).toBe(true);
    await vi.advanceTimersByTimeAsync(3539_000);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toBe(2);
    expect(seen).toHaveLength(2);
    expect(ice.config?.expiresAt).toBe(NOW + 3540_000 + 3600_000 + 1);
    ice.stop();
  });

  it('goes on without servers when the fetch fails, keeps the last good set, and retries', async () => {
    vi.useFakeTimers({ now: NOW });
    const results = [new Error('offline'), turn(NOW + 3600_000), new Error('offline again')];
    const ice = new IceServers(
      async () => {
        const next = results.shift();
        if (next instanceof Error || !next) throw next ?? new Error('no more');
        return next;
      },
      () => {},
    );
    ice.ensureFresh();
    expect(await ice.ready).toMatchObject({ iceServers: [], relay: false });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(ice.config?.relay).toBe(true);
    await vi.advanceTimersByTimeAsync(3600_000);
    expect(ice.config?.relay).toBe(true);
    ice.stop();
  });

  it('refreshes on demand, and counts the next refresh from then', async () => {
    vi.useFakeTimers({ now: NOW });
    const load = vi.fn(async () => turn(Date.now() + 100_000));
    const ice = new IceServers(load, () => {});
    ice.ensureFresh();
    await ice.ready;
    await vi.advanceTimersByTimeAsync(50_000);
    expect((await ice.refresh()).expiresAt).toBe(NOW + 150_000);
    await vi.advanceTimersByTimeAsync(79_999);
    expect(load).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(load).toHaveBeenCalledTimes(3);
    ice.stop();
  });

  it('shares a fetch already running, so refreshes asked for during an outage never pile up', async () => {
    vi.useFakeTimers({ now: NOW });
    let answer: (() => void) | undefined;
    const load = vi.fn(() => new Promise<IceConfig>((resolve) => (answer = () => resolve(turn(Date.now() + 100_000)))));
    const ice = new IceServers(load, () => {});
    ice.ensureFresh();
    const refreshes = [ice.refresh(), ice.refresh()];
    expect(load).toHaveBeenCalledTimes(1);
    answer?.();
    await Promise.all([ice.ready, ...refreshes]);
    await vi.advanceTimersByTimeAsync(80_000);
    answer?.();
    await vi.advanceTimersByTimeAsync(80_000);
    answer?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(load).toHaveBeenCalledTimes(3); // one refresh loop: at 80 s and at 160 s
    ice.stop();
  });

  it('stops fetching when stopped', async () => {
    vi.useFakeTimers({ now: NOW });
    const load = vi.fn(async () => turn(NOW + 100_000));
    const ice = new IceServers(load, () => {});
    ice.ensureFresh();
    await ice.ready;
    ice.stop();
    await vi.advanceTimersByTimeAsync(1_000_000);
    expect(load).toHaveBeenCalledTimes(1);
  });
});
