import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DISCONNECTED_GRACE_MS, IceRestarts } from './ice-restarts.ts';

let restarts: number;
let reachable: boolean;
let policy: IceRestarts;

beforeEach(() => {
  vi.useFakeTimers();
  restarts = 0;
  reachable = true;
  policy = new IceRestarts({
    canRestart: () => reachable,
    restart: () => {
      restarts += 1;
    },
  });
});

afterEach(() => {
  policy.stop();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('ICE restarts', () => {
  it('leaves a short disconnection to ICE itself', () => {
    policy.onConnectionState('disconnected');
    vi.advanceTimersByTime(DISCONNECTED_GRACE_MS - 1);
    policy.onConnectionState('connected');
    vi.advanceTimersByTime(60_000);
    expect(restarts).toBe(0);
  });

  it('restarts after a disconnection that lasts, and at once on failed', () => {
    policy.onConnectionState('disconnected');
    vi.advanceTimersByTime(DISCONNECTED_GRACE_MS);
    expect(restarts).toBe(1);
    policy.onConnectionState('connected');
    policy.onConnectionState('failed');
    expect(restarts).toBe(2);
  });

  it('tries again, less and less often, while the connection stays down', () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    policy.onConnectionState('failed');
    // Failures of the restart itself do not restart again at once.
    policy.onConnectionState('failed');
    expect(restarts).toBe(1);
    vi.advanceTimersByTime(8_500);
    expect(restarts).toBe(2);
    vi.advanceTimersByTime(8_500);
    expect(restarts).toBe(2);
    vi.advanceTimersByTime(500);
    expect(restarts).toBe(3);
    policy.onConnectionState('connected');
    vi.advanceTimersByTime(60_000);
    expect(restarts).toBe(3);
  });

  it('waits for signaling and the peer, then restarts at once', () => {
    reachable = false;
    policy.onConnectionState('failed');
    vi.advanceTimersByTime(60_000);
    expect(restarts).toBe(0);
    policy.resume();
    expect(restarts).toBe(0);
    reachable = true;
    policy.resume();
    expect(restarts).toBe(1);
    policy.resume();
    expect(restarts).toBe(1);
  });
});
