import { describe, expect, it } from 'vitest';
import { loginFor, safeNext } from './navigation.ts';

describe('safeNext', () => {
  it('follows paths on this site', () => {
    expect(safeNext('/call/abc?x=1')).toBe('/call/abc?x=1');
    expect(safeNext('/')).toBe('/');
  });

  it('goes Home for anything else', () => {
    for (const next of [undefined, '', 'call/abc', '//evil.example', '/\\evil.example', 'https://evil.example']) {
      expect(safeNext(next)).toBe('/');
    }
  });
});

describe('loginFor', () => {
  it('carries the path to return to', () => {
    expect(loginFor('/call/abc?x=1')).toBe('/login?next=%2Fcall%2Fabc%3Fx%3D1');
    expect(loginFor('/')).toBe('/login');
  });
});
