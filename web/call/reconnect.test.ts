import { describe, expect, it } from 'vitest';
import { backoffDelay, shouldReconnect } from './reconnect.ts';

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
  ] as const)('%s → %s', (reason, expected) => expect(shouldReconnect(reason)).toBe(expected));
});
