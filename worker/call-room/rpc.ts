/**
 * What the Worker may call on a room through its binding (`env.ROOMS`), besides the WebSocket
 * handoff (handoff.ts). Declared apart from the CallRoom class so that the Worker's bindings
 * (env.ts) are typed without importing the Durable Object, which itself needs those bindings:
 * no import cycle. CallRoom implements it, so the two cannot drift apart.
 */
import type { MediaState } from '../../protocol/signaling.ts';

export interface CallRoomRpc extends Rpc.DurableObjectBranded {
  /** Who is in the call now (live, joined sockets): the lobby shows it before the user joins. */
  present(): Promise<{ username: string; media: MediaState }[]>;
  /** Whether the user has an open socket here, in the lobby or seated (TURN credentials need one). */
  hasSocket(userId: string): Promise<boolean>;
}
