/**
 * Call quality grade: good / fair / poor from round-trip time, packet loss and jitter, the three
 * numbers that decide whether people talk over each other, hear gaps, or see a frozen picture.
 *
 * Thresholds follow common practice for interactive voice and video (ITU-T G.114 puts the
 * comfortable one-way delay under 150 ms; Opus and VP8 conceal a couple of percent of loss well
 * and fall apart near ten; a jitter buffer absorbs ~30 ms unnoticed):
 *
 * | grade | RTT        | loss     | jitter    |
 * | ----- | ---------- | -------- | --------- |
 * | good  | < 150 ms   | < 2 %    | < 30 ms   |  (all three)
 * | poor  | > 400 ms   | > 8 %    | > 75 ms   |  (any one)
 * | fair  | anything in between                |
 *
 * A missing number (no RTT measured yet, no media flowing in that direction) does not count
 * against the grade; with no number at all the grade is `unknown`.
 *
 * One second of stats is a small sample (one lost packet in fifty is already 2 %), so the
 * indicator uses `QualityTracker`: it drops to a worse grade at once, so trouble shows when it
 * happens, but climbs back only after a few better seconds in a row, so it does not flicker.
 */

export type Grade = 'good' | 'fair' | 'poor' | 'unknown';

export interface QualityInput {
  rttMs: number | undefined;
  lossPercent: number | undefined;
  jitterMs: number | undefined;
}

interface Limits {
  rttMs: number;
  lossPercent: number;
  jitterMs: number;
}

/** Under every one of these is good. */
export const GOOD: Readonly<Limits> = { rttMs: 150, lossPercent: 2, jitterMs: 30 };
/** Over any one of these is poor. */
export const POOR: Readonly<Limits> = { rttMs: 400, lossPercent: 8, jitterMs: 75 };

const METRICS = ['rttMs', 'lossPercent', 'jitterMs'] as const;

export function grade(input: QualityInput): Grade {
  const known = METRICS.filter((metric) => input[metric] !== undefined);
  if (known.length === 0) return 'unknown';
  if (known.some((metric) => (input[metric] as number) > POOR[metric])) return 'poor';
  if (known.every((metric) => (input[metric] as number) < GOOD[metric])) return 'good';
  return 'fair';
}

const RANK: Readonly<Record<Grade, number>> = { unknown: 0, good: 1, fair: 2, poor: 3 };

/** Grades one sample after another with the worsen-fast, recover-slow rule above. */
export class QualityTracker {
  #current: Grade = 'unknown';
  /** Better samples in a row so far, and the worst of them (what the grade recovers to). */
  #streak = 0;
  #streakWorst: Grade = 'good';

  /** @param recoverAfter consecutive better samples needed before the grade improves */
  constructor(private readonly recoverAfter = 3) {}

  get current(): Grade {
    return this.#current;
  }

  push(input: QualityInput): Grade {
    const next = grade(input);
    if (next !== 'unknown' && this.#current !== 'unknown' && RANK[next] < RANK[this.#current]) {
      this.#streakWorst = this.#streak === 0 || RANK[next] > RANK[this.#streakWorst] ? next : this.#streakWorst;
      this.#streak += 1;
      if (this.#streak < this.recoverAfter) return this.#current;
      this.#current = this.#streakWorst;
    } else {
      this.#current = next;
    }
    this.#streak = 0;
    return this.#current;
  }
}
