import { describe, expect, it } from 'vitest';
import { keepNext, loginFor, safeNext } from './navigation.ts';

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

describe('keepNext', () => {
  it('carries a safe destination from Log in to Sign up, and nothing when there is none', () => {
    expect(keepNext('/call/abc')).toBe('?next=%2Fcall%2Fabc');
    expect(keepNext('//evil.example')).toBe('?next=%2F');
    expect(keepNext(undefined)).toBe('');
  });
});
