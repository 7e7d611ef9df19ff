import { afterEach, describe, expect, it, vi } from 'vitest';
import { Reconnector } from './reconnect.ts';

afterEach(() => vi.useRealTimers());

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
