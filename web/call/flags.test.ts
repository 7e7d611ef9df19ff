import { describe, expect, it } from 'vitest';
import { readFlags } from './flags.ts';

const store = (values: Record<string, string>) => ({ getItem: (key: string) => values[key] ?? null });

describe('call flags', () => {
  it('are off by default', () => {
    expect(readFlags('', store({}))).toEqual({ relay: false, debug: false });
    expect(readFlags('', undefined)).toEqual({ relay: false, debug: false });
  });

  it('come from the URL', () => {
    expect(readFlags('?relay=1&debug=true', store({}))).toEqual({ relay: true, debug: true });
  });

  it('come from localStorage, and the URL overrides them', () => {
    expect(readFlags('', store({ 'edgecall.relay': '1' }))).toEqual({ relay: true, debug: false });
    expect(readFlags('?relay=0', store({ 'edgecall.relay': '1' }))).toEqual({ relay: false, debug: false });
  });

  it('survive a storage that throws', () => {
    const throwing = {
      getItem: () => {
        throw new Error('blocked');
      },
    };
    expect(readFlags('?debug=1', throwing)).toEqual({ relay: false, debug: true });
  });
});
