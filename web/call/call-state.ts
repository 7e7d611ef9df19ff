/**
 * What the call engine (call.ts) shows of a call: its phase, the other person, the connections,
 * and why it ended, which for a closed room socket (signaling/close-reason.ts) is decided here.
 */
import type { Peer } from '../../protocol/signaling.ts';
import type { LinkState } from './link/call-links.ts';
import type { CloseReason } from './signaling/close-reason.ts';

export type CallPhase = 'idle' | 'joining' | 'waiting' | 'in-call' | 'ended';

/** Why a call ended for this side. */
export type CallEnd =
  | 'hung-up'
  | 'room-full'
  | 'replaced'
  | 'unsupported-version'
  | 'refused'
  | 'signed-out'
  | 'too-many-sockets'
  /** Another tab of this user answered the ring this one stood by for. */
  | 'answered-elsewhere';

export interface RemotePeer extends Peer {
  /** `left`: said bye; `lost`: their connection to the room dropped (they may come back). */
  presence: 'here' | 'left' | 'lost';
}

export interface CallState extends LinkState {
  phase: CallPhase;
  /** The other person, also after they left (so the UI can say who). */
  peer: RemotePeer | undefined;
  /** The room connection: 'lost' when it dropped unexpectedly. */
  signaling: 'connecting' | 'open' | 'lost';
  ended: CallEnd | undefined;
  /** Media forced through TURN (the relay switch, flags.ts). */
  relayOnly: boolean;
}

/** The closes that end the call; after the others the engine goes on (see call.ts). */
export type EndingClose = Exclude<CloseReason, 'normal' | 'lost' | 'lobby-timeout'>;

export function callEndOf(reason: EndingClose): CallEnd {
  switch (reason) {
    case 'room-full':
    case 'replaced':
    case 'unsupported-version':
    case 'too-many-sockets':
    case 'answered-elsewhere':
      return reason;
    case 'refused':
    case 'rate-limited':
      return 'refused';
    case 'session-ended':
      return 'signed-out';
    default:
      return reason satisfies never;
  }
}
