import { describe, expect, it } from 'vitest';
import type { CallState } from '../../call/call-state.ts';
import { callStatus, relayNeededText } from './call-status.ts';

const inCall: CallState = {
  phase: 'in-call',
  peer: {
    peerId: 'a1',
    userId: 'u-a',
    username: 'alice',
    media: { mic: true, camera: true, screen: false },
    presence: 'here',
  },
  connection: 'connected',
  signaling: 'open',
  ended: undefined,
  relayOnly: false,
  reconnecting: false,
  relayNeeded: false,
};
const peer = inCall.peer as NonNullable<CallState['peer']>;

describe('call status', () => {
  it('says nothing while the call runs', () => {
    expect(callStatus(inCall)).toBe('');
  });

  it('says "Reconnecting…" while a broken connection is restarted', () => {
    expect(callStatus({ ...inCall, connection: 'disconnected', reconnecting: true })).toBe('Reconnecting…');
  });

  it('says plainly that a relay is needed when ICE failed without one', () => {
    const state: CallState = { ...inCall, connection: 'failed', reconnecting: true, relayNeeded: true };
    expect(callStatus(state)).toBe(relayNeededText('alice'));
    expect(relayNeededText('alice')).toContain('relay (TURN) server');
  });

  it('says the connection to the peer is lost only when their media stopped too', () => {
    const gone = { ...peer, presence: 'lost' as const };
    expect(callStatus({ ...inCall, peer: gone })).toBe('');
    expect(callStatus({ ...inCall, peer: gone, connection: 'disconnected' })).toBe(
      'Connection to alice lost. Waiting for them to come back.',
    );
  });

  it('says our own room connection is being restored, with the call going on', () => {
    expect(callStatus({ ...inCall, signaling: 'lost' })).toBe(
      'Lost the connection to the room, reconnecting: the call goes on meanwhile.',
    );
  });
});
