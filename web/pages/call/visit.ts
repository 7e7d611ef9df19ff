/**
 * A call visit: everything one visit to /call/:id needs, made once per visit and shared by the
 * lobby and the call screen (not to be confused with a login session, worker/auth/): the user's
 * media, the ICE servers (fetched while the user is still in the lobby, as soon as the room socket
 * is open, so joining does not wait for them), the call engine, wired to the app's API client,
 * and the chat, whose history outlives each peer connection (a reload on the other side makes a
 * new one). This browser's DTLS certificate starts loading at once, beside the camera and the ICE
 * servers (once per page: certificate-store.ts), and the safety check follows the call.
 *
 * A call ringing this tab (web/line/ringing.tsx) makes its room's visit ahead (`warmVisit`): the
 * room socket, the ICE servers and the offer, and the connection to the caller, standing by
 * (protocol/signaling.ts, Standby); on screen, the camera for the dialog's preview, but no
 * microphone, and nothing sent, before Accept. Accept on a visit that stands by
 * (`answerOnStandby`) starts the devices and joins on that connection in the click,
 * then opens the call page, which takes that visit (`takeVisit`) and tells the line it answered
 * once the room seated it: the room and the line name the same tab.
 */
import { api, call } from '../../api.ts';
import { CallEngine } from '../../call/call.ts';
import { Chat } from '../../call/chat/chat.ts';
import { type CallFlags, pageFlags } from '../../call/flags.ts';
import { CallInsight } from '../../call/insight/insight.ts';
import { type IceConfig, IceServers } from '../../call/link/ice-servers.ts';
import { createLog } from '../../call/log.ts';
import { LocalMedia } from '../../call/media/local-media.ts';
import { pageCertificate } from '../../call/safety/certificate-store.ts';
import { SafetyCheck } from '../../call/safety/safety-check.ts';
import { VerifiedDevices } from '../../call/safety/verified-devices.ts';
import { roomSocketUrl } from '../../call/signaling/room-socket.ts';

export interface CallVisit {
  roomId: string;
  flags: CallFlags;
  media: LocalMedia;
  engine: CallEngine;
  chat: Chat;
  /** Stats, quality and speaking, from joining on. */
  insight: CallInsight;
  /** The safety code's state: the certificates in use, and whether the other person is verified. */
  safety: SafetyCheck;
  /** Leaves for good: hangs up if in a call, releases every device and timer. */
  dispose(): void;
}

/** `ownUserId`: the signed-in user, whose verified contacts the safety check reads. */
export function createCallVisit(roomId: string, ownUserId: string): CallVisit {
  const flags = pageFlags();
  const media = new LocalMedia();
  const ice = new IceServers(() => loadIceConfig(roomId), createLog('ice', flags.debug));
  const certificate = pageCertificate();
  const socketUrl = roomSocketUrl(location.origin, roomId);
  const engine = new CallEngine({ media, ice, flags, socketUrl, certificate });
  const chat = new Chat();
  let leaveChat: (() => void) | undefined;
  const offPeerConnection = engine.on('peer-connection', (pc) => {
    leaveChat?.();
    leaveChat = chat.follow(pc);
  });
  const insight = new CallInsight({ engine, media });
  const safety = new SafetyCheck({ engine, devices: new VerifiedDevices(ownUserId) });
  // One panel at a time: the chat and the safety code take the same place.
  const offPanels = [
    chat.events.on('change', () => chat.panelOpen && safety.setPanelOpen(false)),
    safety.on('change', ({ panelOpen }) => panelOpen && chat.setPanelOpen(false)),
  ];
  return {
    roomId,
    flags,
    media,
    engine,
    chat,
    insight,
    safety,
    dispose() {
      offPeerConnection();
      for (const off of offPanels) off();
      leaveChat?.();
      leaveChat = undefined;
      engine.hangUp();
      insight.dispose();
      safety.dispose();
      media.stop();
      ice.stop();
    },
  };
}

/** Visits made while a call rings, by room, until the call page takes them or the ring ends. */
const warm = new Map<string, CallVisit>();

/** Rooms whose ring this tab accepted on its standby connection, until the call page takes the visit. */
const answering = new Set<string>();

export interface WarmVisit {
  /** The camera previewed in the incoming-call dialog, when this tab is on screen. */
  preview: LocalMedia | undefined;
  /** Lets go of the visit, unless the call page took it. */
  release(): void;
}

/**
 * Readies a ringing call's room. A tab on screen also opens the camera (not the microphone) for
 * the dialog's preview, as the lobby would: Accept then sends a picture at once, where opening
 * the camera in the click kept the caller waiting for it.
 */
export function warmVisit(roomId: string, ownUserId: string): WarmVisit {
  const visit = warm.get(roomId) ?? createCallVisit(roomId, ownUserId);
  warm.set(roomId, visit);
  void visit.engine.standBy();
  const onScreen = document.visibilityState === 'visible';
  if (onScreen) void visit.media.setCamera(true);
  return { preview: onScreen ? visit.media : undefined, release: () => dropWarmVisit(roomId) };
}

/**
 * Accept, when this tab stands by in the room: the call page answers (seat first, then the line).
 * False when it does not (yet): then Accept goes to the line first, as without a standby.
 */
export function answerOnStandby(roomId: string): boolean {
  const visit = warm.get(roomId);
  if (!visit?.engine.standingBy) return false;
  answering.add(roomId);
  // In the click itself: the microphone starts (the previewed camera stays) and the seat is asked
  // for while the call page renders.
  void visit.media.start({ mic: true, camera: true });
  void visit.engine.join({ mic: true, camera: true, screen: false });
  return true;
}

/** The ringing call's visit made ahead for this room, or a new one; `answering`: see `answerOnStandby`. */
export function takeVisit(roomId: string, ownUserId: string): { visit: CallVisit; answering: boolean } {
  const visit = warm.get(roomId);
  warm.delete(roomId);
  const accepted = answering.delete(roomId);
  return visit ? { visit, answering: accepted } : { visit: createCallVisit(roomId, ownUserId), answering: false };
}

export function dropWarmVisit(roomId: string): void {
  answering.delete(roomId);
  warm.get(roomId)?.dispose();
  warm.delete(roomId);
}

async function loadIceConfig(room: string): Promise<IceConfig> {
  const result = await call(api['turn-credentials'].$get({ query: { room } }));
  if (!result.ok) throw new Error(result.error.message);
  const { iceServers, expiresAt, relay } = result.data;
  return { iceServers, expiresAt: Date.parse(expiresAt), relay };
}
