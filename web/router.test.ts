import { describe, expect, it } from 'vitest';
import { callPath } from '../protocol/rooms.ts';
import { matchPath } from './router.tsx';

describe('matchPath', () => {
  it('matches segment by segment, with a param for each :name', () => {
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/account', '/account')).toEqual({});
    expect(matchPath(callPath(':id'), callPath('AbCdEfGhIjKlMnOp'))).toEqual({ id: 'AbCdEfGhIjKlMnOp' });
  });

  it('matches no other path', () => {
    for (const path of ['/', '/call', '/call/a/b', '/calls/a', '/account/x']) {
      expect(matchPath(callPath(':id'), path)).toBeUndefined();
    }
    expect(matchPath('/', '/account')).toBeUndefined();
  });

  it('decodes a param, and refuses one that is not valid percent-encoding', () => {
    expect(matchPath('/call/:id', '/call/a%20b')).toEqual({ id: 'a b' });
    expect(matchPath('/call/:id', '/call/%E0%A4%A')).toBeUndefined();
  });
});
