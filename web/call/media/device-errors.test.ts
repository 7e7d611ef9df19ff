import { describe, expect, it } from 'vitest';
import { describeProblem, problemKind } from './device-errors.ts';

const error = (name: string) => new DOMException('x', name);

describe('device errors', () => {
  it.each([
    ['NotAllowedError', 'denied'],
    ['SecurityError', 'denied'],
    ['NotReadableError', 'busy'],
    ['AbortError', 'busy'],
    ['NotFoundError', 'missing'],
    ['OverconstrainedError', 'missing'],
    ['TypeError', 'unknown'],
  ])('%s → %s', (name, kind) => expect(problemKind(error(name))).toBe(kind));

  it('classifies non-errors as unknown', () => {
    expect(problemKind('oops')).toBe('unknown');
    expect(problemKind(undefined)).toBe('unknown');
  });

  it('tells how to fix each problem, per device', () => {
    expect(describeProblem('camera', error('NotAllowedError')).message).toMatch(/Camera access is blocked.*allow/);
    expect(describeProblem('microphone', error('NotReadableError')).message).toMatch(/microphone is in use.*Close/);
    expect(describeProblem('camera', error('NotFoundError')).message).toMatch(/No camera was found. Plug one in/);
    expect(describeProblem('screen', error('NotAllowedError'))).toMatchObject({ device: 'screen', kind: 'denied' });
  });

  it('never gives two kinds the same message', () => {
    for (const device of ['camera', 'microphone', 'screen'] as const) {
      const messages = ['NotAllowedError', 'NotReadableError', 'NotFoundError', 'Other'].map(
        (name) => describeProblem(device, error(name)).message,
      );
      expect(new Set(messages).size).toBe(4);
    }
  });
});
