/**
 * What a close of the room socket means for this side: the room's close codes
 * (protocol/signaling.ts, CloseCode) as reasons the engine acts on, and which of them are retried.
 */
import { CloseCode } from '../../../protocol/signaling.ts';

export type CloseReason =
  | 'normal'
  | 'room-full'
  | 'replaced'
  | 'unsupported-version'
  | 'rate-limited'
  | 'refused'
  | 'session-ended'
  | 'too-many-sockets'
  | 'lobby-timeout'
  | 'answered-elsewhere'
  | 'lost';

export function closeReason(code: number): CloseReason {
  switch (code) {
    case CloseCode.Normal:
      return 'normal';
    case CloseCode.RoomFull:
      return 'room-full';
    case CloseCode.Replaced:
      return 'replaced';
    case CloseCode.UnsupportedVersion:
      return 'unsupported-version';
    case CloseCode.RateLimited:
      return 'rate-limited';
    case CloseCode.SessionEnded:
      return 'session-ended';
    case CloseCode.TooManySockets:
      return 'too-many-sockets';
    case CloseCode.LobbyTimeout:
      return 'lobby-timeout';
    case CloseCode.AnsweredElsewhere:
      return 'answered-elsewhere';
    case CloseCode.PolicyViolation:
    case CloseCode.MessageTooBig:
      return 'refused';
    default:
      // 1006 (no close frame), 1001 (server going away), 1011 (the room could not check the
      // session) and anything unknown: the line dropped.
      return 'lost';
  }
}

/**
 * A dropped line (1006, 1001, 1011, the room's 4004 `Stale`, a close we did not ask for) is
 * retried. Room full, replaced by another tab, another protocol version, refused, session ended,
 * too many sockets: the same socket would get the same answer, or two tabs would take the seat
 * from each other forever. A lobby closed for never joining is reopened by `join`, not by a retry.
 */
export function shouldReconnect(reason: CloseReason): boolean {
  return reason === 'lost' || reason === 'normal';
}
