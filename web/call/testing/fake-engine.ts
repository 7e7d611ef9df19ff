/**
 * A call engine (../call.ts) on fakes, for its unit tests: the user's media as plain state, a
 * FakeSocket per socket it opens (the test plays the room), and plain-object links that record
 * what they were told, and the media they were given whenever tracks went on their senders.
 */
import { CallEngine } from '../call.ts';
import { Emitter } from '../emitter.ts';
import { IceServers } from '../link/ice-servers.ts';
import type { LinkOptions } from '../link/link.ts';
import type { LocalMediaState } from '../media/local-media.ts';
import type { SocketLike } from '../signaling/client.ts';
import { FakeSocket } from './fake-socket.ts';

export const track = (kind: string) => ({ kind, id: `${kind}-1` }) as MediaStreamTrack;

/** LocalMedia's surface, with the user's devices as plain state. */
export function fakeMedia() {
  const events = new Emitter<{ change: LocalMediaState }>();
  const media = {
    state: {
      mic: track('audio'),
      micOn: true,
      camera: track('video'),
      screen: undefined,
      facing: undefined,
      devices: { cameras: [], mics: [], speakers: [] },
      micId: undefined,
      cameraId: undefined,
      speakerId: undefined,
      problems: {},
      starting: false,
    } as LocalMediaState,
    stopped: false,
    on: events.on.bind(events),
    stop: () => {
      media.stopped = true;
    },
    change(patch: Partial<LocalMediaState>) {
      media.state = { ...media.state, ...patch };
      events.emit('change', media.state);
    },
  };
  return media;
}

export interface FakeLink {
  options: LinkOptions;
  pc: { -readonly [K in 'connectionState' | 'signalingState' | 'localDescription']: RTCPeerConnection[K] };
  signals: unknown[];
  sent: LocalMediaState[];
  restarts: RTCIceServer[][];
  /** How often it was asked to offer again. */
  offeredAgain: number;
  closed: boolean;
  /** Plays the browser: the connection moves to `state`. */
  become(state: RTCPeerConnectionState): void;
}

export function makeEngine({
  relay = false,
  certificate,
}: {
  relay?: boolean;
  certificate?: Promise<RTCCertificate>;
} = {}) {
  const sockets: FakeSocket[] = [];
  const links: FakeLink[] = [];
  const media = fakeMedia();
  let fetches = 0;
  const fetched = () => fetches;
  const ice = new IceServers(
    async () => {
      fetches += 1;
      // As the server does: credentials only for a user with a socket open in the room.
      if (sockets.at(-1)?.readyState !== 1) throw new Error('403 not_in_room');
      return { iceServers: [{ urls: `turn:fetch-${fetches}` }], expiresAt: Date.now() + 3600_000, relay };
    },
    () => {},
  );
  const engine = new CallEngine({
    media,
    ice,
    flags: { relay: true, debug: false },
    socketUrl: 'ws://test/api/rooms/r/ws',
    certificate,
    openSocket: () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket as unknown as SocketLike;
    },
    createLink: (options) => {
      const link: FakeLink = {
        options,
        // What an offering link's connection looks like once its offer is set.
        pc: {
          connectionState: 'new',
          signalingState: options.offer ? 'have-local-offer' : 'stable',
          localDescription: options.offer
            ? ({ type: 'offer', sdp: 'v=0 with candidates' } as RTCSessionDescription)
            : null,
        },
        signals: [],
        sent: [],
        restarts: [],
        offeredAgain: 0,
        closed: false,
        become(state) {
          link.pc.connectionState = state;
          // Connected means the offer was answered.
          if (state === 'connected') link.pc.signalingState = 'stable';
          options.onConnectionState(state);
        },
      };
      links.push(link);
      return {
        pc: link.pc as RTCPeerConnection,
        remote: undefined,
        setPolite: () => {},
        handle: async (signal) => void link.signals.push(signal),
        setIceServers: () => {},
        restartIce: async (iceServers) => void link.restarts.push(iceServers),
        offerAgain: async () => {
          link.offeredAgain += 1;
        },
        sendTracks: async () => void link.sent.push(options.media()),
        close: () => {
          link.closed = true;
        },
      };
    },
  });
  return { engine, sockets, links, media, ice, fetched };
}
