import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, Reconnector, shouldReconnect } from './reconnect.ts';

afterEach(() => vi.useRealTimers());

describe('backoffDelay', () => {
  it('doubles its range with each attempt, half of it random', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, () => 1))).toEqual([500, 1000, 2000, 4000]);
  });

  it('never waits more than 15 s, however many attempts failed', () => {
    expect(backoffDelay(50, () => 1)).toBe(15_000);
    expect(backoffDelay(50, () => 0)).toBe(7_500);
  });
});

describe('shouldReconnect', () => {
  it.each([
    ['lost', true],
    ['normal', true],
    ['room-full', false],
    ['replaced', false],
    ['unsupported-version', false],
    ['refused', false],
    ['rate-limited', false],
    ['session-ended', false],
    ['too-many-sockets', false],
    ['lobby-timeout', false],
  ] as const)('%s → %s', (reason, expected) => expect(shouldReconnect(reason)).toBe(expected));
});

describe('Reconnector', () => {
  function reconnector() {
    vi.useFakeTimers();
    const network = new EventTarget();
    const retries: number[] = [];
    const reconnect = new Reconnector(
      () => retries.push(Date.now()),
      () => 1,
      network,
    );
    return { reconnect, network, retries };
  }

  it('retries once per schedule, after the delay', () => {
    const { reconnect, retries } = reconnector();
    expect(reconnect.schedule()).toBe(500);
    vi.advanceTimersByTime(499);
    expect(retries).toHaveLength(0);
    vi.advanceTimersByTime(1);
    vi.advanceTimersByTime(60_000);
    expect(retries).toHaveLength(1);
  });

  it('retries at once when the network comes back, and only once', () => {
    const { reconnect, network, retries } = reconnector();
    for (let attempt = 0; attempt < 6; attempt++) reconnect.schedule(); // a long outage: 15 s to wait
    network.dispatchEvent(new Event('online'));
    expect(retries).toHaveLength(1);
    network.dispatchEvent(new Event('online'));
    vi.advanceTimersByTime(60_000);
    expect(retries).toHaveLength(1);
  });

  it('ignores the network once stopped', () => {
    const { reconnect, network, retries } = reconnector();
    reconnect.schedule();
    reconnect.stop();
    network.dispatchEvent(new Event('online'));
    vi.advanceTimersByTime(60_000);
    expect(retries).toHaveLength(0);
  });
});
