/**
 * What a settled ring says to each side, on the caller's "Calling <name>…" screen and on the call
 * page a callee's Accept opened (protocol/calls.ts lists the outcomes).
 */
import type { CallView } from '../../protocol/user-line.ts';

/** Why this ring did not become a call here; undefined while it rings, or when it is ours to join. */
export function ringEndedText(call: CallView): string | undefined {
  const name = call.other.username;
  if (call.direction === 'outgoing') {
    switch (call.outcome) {
      case 'declined':
        return `${name} declined`;
      case 'no_answer':
        return 'No answer';
      case 'busy':
        return `${name} is busy`;
      case 'offline':
        return `${name} is offline`;
      case 'cancelled':
        return 'Call cancelled';
      case 'failed':
        return 'The call could not be made. Try again.';
      default:
        return undefined;
    }
  }
  switch (call.outcome) {
    case 'answered':
      return call.answeredHere ? undefined : 'Answered on another device';
    case 'ringing':
      return undefined;
    case 'declined':
      return 'Call declined';
    case 'failed':
      return 'The call could not be made';
    default:
      return `Missed call from ${name}`;
  }
}
