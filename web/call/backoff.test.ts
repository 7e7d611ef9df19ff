import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

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
