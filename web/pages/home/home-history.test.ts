/** How Home's recent calls word a call's outcome and length. */
import { describe, expect, it } from 'vitest';
import { CALL_OUTCOMES, MISSED_OUTCOMES } from '../../../protocol/calls.ts';
import { formatDuration, outcomeWord } from './home-history.tsx';

describe('outcomeWord', () => {
  it('calls every unanswered incoming call missed, and says how an outgoing one ended', () => {
    for (const outcome of MISSED_OUTCOMES) expect(outcomeWord({ direction: 'incoming', outcome })).toBe('Missed');
    expect(outcomeWord({ direction: 'incoming', outcome: 'declined' })).toBe('Declined');
    expect(outcomeWord({ direction: 'incoming', outcome: 'answered' })).toBe('Answered');
    const outgoing = CALL_OUTCOMES.map((outcome) => outcomeWord({ direction: 'outgoing', outcome }));
    expect(outgoing).toEqual(['Ringing', 'Answered', 'Declined', 'Cancelled', 'No answer', 'Busy', 'Offline']);
  });
});

describe('formatDuration', () => {
  it('reads m:ss under an hour and h:mm:ss past it', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(9)).toBe('0:09');
    expect(formatDuration(91)).toBe('1:31');
    expect(formatDuration(3599)).toBe('59:59');
    expect(formatDuration(3600)).toBe('1:00:00');
    expect(formatDuration(36_061)).toBe('10:01:01');
  });
});
