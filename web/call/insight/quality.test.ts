import { describe, expect, it } from 'vitest';
import { grade, QualityTracker } from './quality.ts';

const sample = (rttMs?: number, lossPercent?: number, jitterMs?: number) => ({ rttMs, lossPercent, jitterMs });

describe('grade', () => {
  it('is good only when every known number is under the good limit', () => {
    expect(grade(sample(40, 0, 5))).toBe('good');
    expect(grade(sample(149, 1.9, 29))).toBe('good');
    expect(grade(sample(150, 0, 5))).toBe('fair');
    expect(grade(sample(40, 2, 5))).toBe('fair');
    expect(grade(sample(40, 0, 30))).toBe('fair');
  });

  it('is poor when any one number is over the poor limit', () => {
    expect(grade(sample(401, 0, 0))).toBe('poor');
    expect(grade(sample(20, 8.5, 0))).toBe('poor');
    expect(grade(sample(20, 0, 76))).toBe('poor');
    expect(grade(sample(400, 8, 75))).toBe('fair');
  });

  it('ignores missing numbers, and knows nothing without any', () => {
    expect(grade(sample(30))).toBe('good');
    expect(grade(sample(undefined, 12))).toBe('poor');
    expect(grade(sample())).toBe('unknown');
  });
});

describe('QualityTracker', () => {
  const good = sample(20, 0, 5);
  const fair = sample(200, 0, 5);
  const poor = sample(20, 20, 5);

  it('drops to a worse grade at once', () => {
    const tracker = new QualityTracker();
    expect(tracker.push(good)).toBe('good');
    expect(tracker.push(poor)).toBe('poor');
  });

  it('recovers only after enough better samples in a row, to the worst of them', () => {
    const tracker = new QualityTracker(3);
    tracker.push(poor);
    expect(tracker.push(good)).toBe('poor');
    expect(tracker.push(fair)).toBe('poor');
    expect(tracker.push(good)).toBe('fair');
    expect(tracker.push(good)).toBe('fair');
    expect(tracker.push(good)).toBe('fair');
    expect(tracker.push(good)).toBe('good');
  });

  it('starts the streak over when a sample is not better', () => {
    const tracker = new QualityTracker(2);
    tracker.push(fair);
    tracker.push(good);
    expect(tracker.push(fair)).toBe('fair');
    expect(tracker.push(good)).toBe('fair');
    expect(tracker.push(good)).toBe('good');
  });

  it('follows unknown immediately both ways', () => {
    const tracker = new QualityTracker();
    tracker.push(poor);
    expect(tracker.push(sample())).toBe('unknown');
    expect(tracker.push(good)).toBe('good');
    expect(tracker.current).toBe('good');
  });
});
