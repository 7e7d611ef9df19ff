/**
 * The attack the safety code exists for, played for real: a signaling server that lies. Alice's
 * room socket is rewritten in flight (Playwright's `routeWebSocket`): every `signal` between Alice
 * and Bob goes to Mallory instead, a third browser page with two RTCPeerConnections of its own, one
 * facing each of them, that relays the media between the two. Alice and Bob each get a working,
 * encrypted call (frames both ways), but each with Mallory's certificate: the DTLS fingerprints
 * they check came from the same lying signaling. Only the safety code shows it: the two differ.
 *
 * Order: Alice opens the room and waits; Bob joins with his offer, which the room hands to Alice
 * (that is, to Mallory). Mallory answers Bob as if she were Alice, through Alice's own socket, and
 * offers to Alice as if she were Bob, with the app's media plan (three transceivers: mic, camera,
 * screen audio) and its chat channel.
 */
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newUserPage } from './support/browser.ts';
import { type Caller, callStats, expectGrowing, framesOf, micEnergy, newCaller } from './support/call.ts';
import { readSafetyCode } from './support/safety.ts';

/** What travels in a `signal` (protocol/signaling.ts SignalSchema; e2e/ is type-checked apart from web/). */
type Signal =
  | { kind: 'description'; description: RTCSessionDescriptionInit }
  | { kind: 'candidate'; candidate: RTCIceCandidateInit };
type Side = 'alice' | 'bob';

declare global {
  interface Window {
    mallory: {
      /** A signal from `side`, for the peer connection facing them. */
      receive(side: Side, signal: Signal): Promise<void>;
      /** Makes the offer to Alice (as Bob). */
      offerTo(side: Side): Promise<void>;
      state(): Record<Side, { connection: RTCPeerConnectionState; fingerprint: string | undefined }>;
    };
    /** Exposed by the test: Mallory sends a signal towards `side`. */
    malloryOut(side: Side, signal: Signal): Promise<void>;
  }
}

/** Runs in Mallory's page: two peer connections bridged, slot by slot, each the other's relay. */
function installMallory() {
  const chains: Record<Side, Promise<unknown>> = { alice: Promise.resolve(), bob: Promise.resolve() };
  const make = (side: Side) => {
    const pc = new RTCPeerConnection();
    pc.onicecandidate = ({ candidate }) => {
      if (candidate) void window.malloryOut(side, { kind: 'candidate', candidate: candidate.toJSON() });
    };
    return pc;
  };
  const pcs: Record<Side, RTCPeerConnection> = { alice: make('alice'), bob: make('bob') };
  // Facing Alice, Mallory is the offerer: the app's media plan and its pre-negotiated chat channel.
  for (const kind of ['audio', 'video', 'audio']) pcs.alice.addTransceiver(kind, { direction: 'sendrecv' });
  pcs.alice.createDataChannel('chat', { negotiated: true, id: 0 });
  const audio = new AudioContext();
  /**
   * A received track, made sendable: Chromium sends no received audio track on another connection
   * as it is, so audio goes through Web Audio (the element, muted, makes the track deliver samples).
   */
  const relayable = (track: MediaStreamTrack) => {
    if (track.kind !== 'audio') return track;
    const stream = new MediaStream([track]);
    const element = new Audio();
    element.muted = true;
    element.srcObject = stream;
    void element.play();
    const destination = audio.createMediaStreamDestination();
    audio.createMediaStreamSource(stream).connect(destination);
    return destination.stream.getAudioTracks()[0] ?? null;
  };
  /** What arrives from one side goes out to the other, once both have their three transceivers. */
  const bridge = async () => {
    const [toAlice, toBob] = [pcs.alice.getTransceivers(), pcs.bob.getTransceivers()];
    if (toBob.length < 3) return;
    void audio.resume();
    for (const [index, transceiver] of toBob.entries()) {
      transceiver.direction = 'sendrecv';
      const fromAlice = toAlice[index]?.receiver.track;
      await transceiver.sender.replaceTrack(fromAlice ? relayable(fromAlice) : null);
      await toAlice[index]?.sender.replaceTrack(relayable(transceiver.receiver.track));
    }
  };
  const send = (side: Side, description: RTCSessionDescription | null) =>
    description && window.malloryOut(side, { kind: 'description', description: description.toJSON() });
  const queue = (side: Side, step: () => Promise<unknown>) => {
    chains[side] = chains[side].then(step, step);
    return chains[side] as Promise<void>;
  };
  const fingerprint = (pc: RTCPeerConnection) => pc.localDescription?.sdp.match(/a=fingerprint:\S+ (\S+)/)?.[1];
  window.mallory = {
    receive: (side, signal) =>
      queue(side, async () => {
        const pc = pcs[side];
        if (signal.kind === 'candidate') return pc.addIceCandidate(signal.candidate);
        await pc.setRemoteDescription(signal.description);
        if (signal.description.type !== 'offer') return;
        await bridge();
        await pc.setLocalDescription();
        await send(side, pc.localDescription);
      }),
    offerTo: (side) =>
      queue(side, async () => {
        await pcs[side].setLocalDescription();
        await send(side, pcs[side].localDescription);
      }),
    state: () => ({
      alice: { connection: pcs.alice.connectionState, fingerprint: fingerprint(pcs.alice) },
      bob: { connection: pcs.bob.connectionState, fingerprint: fingerprint(pcs.bob) },
    }),
  };
}

let browser: Browser;
let alice: Caller;
let bob: Caller;
let mallory: Page;
/** Signals Mallory rewrote or made, by direction, to show the rewriting happened. */
const rewritten = { fromAlice: 0, fromBob: 0, toAlice: 0, toBob: 0 };

/**
 * Alice's room socket, rewritten: her signals go to Mallory's side facing her, Bob's (as the room
 * relays them to her) to Mallory's side facing him; Mallory's own go out as if from each of them.
 */
function interceptAlice(page: Page): Promise<void> {
  return page.routeWebSocket(/\/api\/rooms\/[\w-]+\/ws$/, (ws: WebSocketRoute) => {
    const server = ws.connectToServer();
    let bobPeerId: string | undefined;
    ws.onMessage((frame) => {
      const message = parse(frame);
      if (message?.type !== 'signal') return server.send(frame);
      rewritten.fromAlice += 1;
      void mallory.evaluate((signal) => window.mallory.receive('alice', signal), message.signal as Signal);
    });
    server.onMessage((frame) => {
      const message = parse(frame);
      if (message?.type === 'signal') {
        rewritten.fromBob += 1;
        void mallory.evaluate((signal) => window.mallory.receive('bob', signal), message.signal as Signal);
        return;
      }
      ws.send(frame);
      if (message?.type === 'peer-joined') {
        bobPeerId = (message.peer as { peerId: string }).peerId;
        void mallory.evaluate(() => window.mallory.offerTo('alice'));
      }
    });
    outbound = (side, signal) => {
      rewritten[side === 'alice' ? 'toAlice' : 'toBob'] += 1;
      if (side === 'alice') ws.send(JSON.stringify({ type: 'signal', from: bobPeerId, signal }));
      else server.send(JSON.stringify({ type: 'signal', signal }));
    };
  });
}

let outbound: (side: Side, signal: Signal) => void = () => {
  throw new Error('Mallory spoke before Alice had a socket');
};

function parse(frame: string | Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(frame.toString());
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // ping / pong
  }
}

beforeAll(async () => {
  browser = await launchBrowser();
  alice = await newCaller(browser, 'alice');
  bob = await newCaller(browser, 'bob');
  mallory = await newUserPage(browser);
  // Relaying media on a loaded machine: each click and page load may wait long.
  for (const page of [alice.page, bob.page, mallory]) page.context().setDefaultTimeout(60_000);
  await mallory.exposeFunction('malloryOut', (side: Side, signal: Signal) => outbound(side, signal));
  await mallory.evaluate(installMallory);
  await interceptAlice(alice.page);
});

afterAll(async () => {
  await browser?.close();
});

describe('a man in the middle, put there by the signaling', () => {
  it('relays a working call, and the two safety codes differ', async () => {
    const room = await alice.startCall();
    await bob.join(room);
    for (const side of [alice, bob]) {
      await expect
        .poll(async () => (await callStats(side.page))?.connectionState, { timeout: 30_000 })
        .toBe('connected');
    }
    await expect
      .poll(async () => Object.values(await mallory.evaluate(() => window.mallory.state())).map((s) => s.connection))
      .toEqual(['connected', 'connected']);
    // The call works: pictures and sound both ways, all of it through Mallory.
    // Generous: relayed media is decoded and encoded again on a loaded machine.
    for (const side of [alice, bob]) {
      await expectGrowing(side.page, framesOf, 0, 45_000);
      await expectGrowing(side.page, micEnergy, 0.001, 45_000); // the other side's beep, not just silence
    }
    expect(rewritten.fromAlice).toBeGreaterThan(0);
    expect(rewritten.fromBob).toBeGreaterThan(0);
    expect(rewritten.toAlice).toBeGreaterThan(0);
    expect(rewritten.toBob).toBeGreaterThan(0);

    // Each of them is connected to Mallory: the certificate each checks is hers.
    const { alice: facingAlice, bob: facingBob } = await mallory.evaluate(() => window.mallory.state());
    expect(await remoteFingerprint(alice.page)).toBe(facingAlice.fingerprint);
    expect(await remoteFingerprint(bob.page)).toBe(facingBob.fingerprint);

    const aliceSees = await readSafetyCode(alice.page);
    const bobSees = await readSafetyCode(bob.page);
    expect(aliceSees).not.toBe(bobSees);
  });
});

/** The fingerprint of the certificate the page's current connection was given by the other end. */
function remoteFingerprint(page: Page): Promise<string | undefined> {
  return page.evaluate(
    () =>
      window.__peerConnections
        .filter((pc) => pc.connectionState !== 'closed')
        .at(-1)
        ?.remoteDescription?.sdp.match(/a=fingerprint:\S+ (\S+)/)?.[1],
  );
}
