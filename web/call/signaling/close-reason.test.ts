import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../../protocol/signaling.ts';
import { closeReason, shouldReconnect } from './close-reason.ts';

describe('closeReason', () => {
  it.each([
    [CloseCode.Normal, 'normal'],
    [CloseCode.RoomFull, 'room-full'],
    [CloseCode.Replaced, 'replaced'],
    [CloseCode.UnsupportedVersion, 'unsupported-version'],
    [CloseCode.RateLimited, 'rate-limited'],
    [CloseCode.SessionEnded, 'session-ended'],
    [CloseCode.TooManySockets, 'too-many-sockets'],
    [CloseCode.LobbyTimeout, 'lobby-timeout'],
    [CloseCode.Unavailable, 'lost'],
    [CloseCode.PolicyViolation, 'refused'],
    [CloseCode.MessageTooBig, 'refused'],
    [1006, 'lost'],
    [1001, 'lost'],
  ])('%i → %s', (code, reason) => expect(closeReason(code)).toBe(reason));
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
    ['session-ended', false],
    ['too-many-sockets', false],
    ['lobby-timeout', false],
  ] as const)('%s → %s', (reason, expected) => expect(shouldReconnect(reason)).toBe(expected));
});
