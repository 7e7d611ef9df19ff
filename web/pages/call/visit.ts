/**
 * A call visit: everything one visit to /call/:id needs, made once per visit and shared by the
 * lobby and the call screen (not to be confused with a login session, worker/auth/): the user's
 * media, the ICE servers (fetched while the user is still in the lobby, as soon as the room socket
 * is open, so joining does not wait for them), the call engine, wired to the app's API client,
 * and the chat, whose history outlives each peer connection (a reload on the other side makes a
 * new one).
 *
 * A call ringing this tab (web/line/ringing.tsx) makes its room's visit ahead (`warmVisit`): the
 * room socket, the ICE servers and the offer, but no camera or microphone before Accept. The call
 * page Accept opens takes that visit (`takeVisit`) and only has to join.
 */
import { api, call } from '../../api.ts';
import { CallEngine } from '../../call/call.ts';
import { Chat } from '../../call/chat/chat.ts';
import { type CallFlags, pageFlags } from '../../call/flags.ts';
import { CallInsight } from '../../call/insight/insight.ts';
import { type IceConfig, IceServers } from '../../call/link/ice-servers.ts';
import { createLog } from '../../call/log.ts';
import { LocalMedia } from '../../call/media/local-media.ts';
import { roomSocketUrl } from '../../call/signaling/client.ts';

export interface CallVisit {
  roomId: string;
  flags: CallFlags;
  media: LocalMedia;
  engine: CallEngine;
  chat: Chat;
  /** Stats, quality and speaking, from joining on. */
  insight: CallInsight;
  /** Leaves for good: hangs up if in a call, releases every device and timer. */
  dispose(): void;
}

export function createCallVisit(roomId: string): CallVisit {
  const flags = pageFlags();
  const media = new LocalMedia();
  const ice = new IceServers(() => loadIceConfig(roomId), createLog('ice', flags.debug));
  const engine = new CallEngine({ media, ice, flags, socketUrl: roomSocketUrl(location.origin, roomId) });
  const chat = new Chat();
  let leaveChat: (() => void) | undefined;
  const offPeerConnection = engine.on('peer-connection', (pc) => {
    leaveChat?.();
    leaveChat = chat.follow(pc);
  });
  const insight = new CallInsight({ engine, media });
  return {
    roomId,
    flags,
    media,
    engine,
    chat,
    insight,
    dispose() {
      offPeerConnection();
      leaveChat?.();
      leaveChat = undefined;
      engine.hangUp();
      insight.dispose();
      media.stop();
      ice.stop();
    },
  };
}

/** Visits made while a call rings, by room, until the call page takes them or the ring ends. */
const warm = new Map<string, CallVisit>();

/** Readies a ringing call's room; the returned function lets go of it unless the page took it. */
export function warmVisit(roomId: string): () => void {
  const visit = warm.get(roomId) ?? createCallVisit(roomId);
  warm.set(roomId, visit);
  void visit.engine.prepare();
  return () => dropWarmVisit(roomId);
}

/** The ringing call's visit made ahead for this room, or a new one. */
export function takeVisit(roomId: string): CallVisit {
  const visit = warm.get(roomId);
  warm.delete(roomId);
  return visit ?? createCallVisit(roomId);
}

export function dropWarmVisit(roomId: string): void {
  warm.get(roomId)?.dispose();
  warm.delete(roomId);
}

async function loadIceConfig(room: string): Promise<IceConfig> {
  const result = await call(api['turn-credentials'].$get({ query: { room } }));
  if (!result.ok) throw new Error(result.error.message);
  const { iceServers, expiresAt, relay } = result.data;
  return { iceServers, expiresAt: Date.parse(expiresAt), relay };
}
