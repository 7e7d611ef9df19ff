/**
 * Helpers for call tests in real Chromium: people in their own browser contexts joining a room
 * through the real lobby, and what their browsers actually receive, read from WebRTC itself.
 *
 * The app keeps its RTCPeerConnection private, so an init script (run before the app's code in
 * every page, reloads included) records each one the page creates on `window.__peerConnections`.
 * Stats come from the newest one that is not closed.
 *
 * @example
 *   const alice = await newCaller(browser, 'alice');
 *   const room = await alice.startCall();           // New call → lobby → Join call
 *   const bob = await newCaller(browser, 'bob');
 *   await bob.join(room);
 *   await expectFlowing(bob.page, 'video');          // bytes and decoded frames grow
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { newSignedInPage, type TestUser } from './accounts.ts';

declare global {
  interface Window {
    __peerConnections: RTCPeerConnection[];
  }
}

/** Runs in the page before the app: keeps a reference to every RTCPeerConnection made. */
export function recordPeerConnections() {
  const Native = window.RTCPeerConnection;
  const made: RTCPeerConnection[] = [];
  window.__peerConnections = made;
  window.RTCPeerConnection = class extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      made.push(this);
    }
  };
}

export interface Caller {
  page: Page;
  user: TestUser;
  /** Home → "New call" → lobby → "Join call"; returns the room's URL. */
  startCall(query?: string): Promise<string>;
  /** Opens a room link, waits for the devices, does `prepare` in the lobby, clicks "Join call". */
  join(roomUrl: string, prepare?: (page: Page) => Promise<unknown>): Promise<void>;
}

export async function newCaller(browser: Browser, name: string, options: BrowserContextOptions = {}): Promise<Caller> {
  const { page, user } = await newSignedInPage(browser, name, options);
  await page.addInitScript(recordPeerConnections);
  const caller: Caller = {
    page,
    user,
    async startCall(query = '') {
      await page.getByRole('button', { name: 'New call' }).click();
      await page.waitForURL(/\/call\/[\w-]{16}$/);
      const url = `${page.url()}${query}`;
      // Reopen with the query (and the init script, which only runs on navigation).
      await caller.join(url);
      return url.replace(query, '');
    },
    async join(roomUrl, prepare) {
      await page.goto(roomUrl);
      const join = page.getByRole('button', { name: 'Join call' });
      await expect.poll(() => join.isEnabled()).toBe(true);
      await prepare?.(page);
      await join.click();
    },
  };
  return caller;
}

export interface InboundStream {
  kind: 'audio' | 'video';
  bytesReceived: number;
  packetsReceived: number;
  framesDecoded: number | undefined;
  frameWidth: number | undefined;
  frameHeight: number | undefined;
  totalAudioEnergy: number | undefined;
}

export interface CallStats {
  connectionState: RTCPeerConnectionState;
  /** Inbound RTP streams by mid: 0 mic, 1 camera/screen, 2 screen audio (web/call/link/media-slots.ts). */
  inbound: Record<string, InboundStream>;
  localCandidateType: string | undefined;
  remoteCandidateType: string | undefined;
  /** Types of every local candidate gathered (relay-only calls must have only 'relay'). */
  localCandidateTypes: string[];
}

/** The fields of RTCStats entries read here (each entry type has some of them). */
interface StatsEntry {
  id: string;
  type: string;
  mid?: string;
  kind?: 'audio' | 'video';
  bytesReceived?: number;
  packetsReceived?: number;
  framesDecoded?: number;
  frameWidth?: number;
  frameHeight?: number;
  totalAudioEnergy?: number;
  selectedCandidatePairId?: string;
  localCandidateId?: string;
  remoteCandidateId?: string;
  candidateType?: string;
}

/** Reads a page's call stats: `callStats` for Playwright's pages, `() => page.evaluate(readCallStats)` elsewhere. */
export type StatsReader = () => Promise<CallStats | undefined>;

export function callStats(page: Page): Promise<CallStats | undefined> {
  return page.evaluate(readCallStats);
}

/** Runs in the page (any engine): the stats of its newest peer connection that is not closed. */
export async function readCallStats(): Promise<CallStats | undefined> {
  const pc = window.__peerConnections.filter((p) => p.connectionState !== 'closed').at(-1);
  if (!pc) return undefined;
  const all: StatsEntry[] = [];
  (await pc.getStats()).forEach((entry: StatsEntry) => {
    all.push(entry);
  });
  const byId = new Map(all.map((entry) => [entry.id, entry]));
  const inbound: Record<string, InboundStream> = {};
  let pairId: string | undefined;
  for (const s of all) {
    if (s.type === 'inbound-rtp' && s.mid !== undefined && s.kind) {
      inbound[s.mid] = {
        kind: s.kind,
        bytesReceived: s.bytesReceived ?? 0,
        packetsReceived: s.packetsReceived ?? 0,
        framesDecoded: s.framesDecoded,
        frameWidth: s.frameWidth,
        frameHeight: s.frameHeight,
        totalAudioEnergy: s.totalAudioEnergy,
      };
    }
    if (s.type === 'transport') pairId = s.selectedCandidatePairId;
  }
  const pair = pairId ? byId.get(pairId) : undefined;
  const type = (id: string | undefined) => (id ? byId.get(id)?.candidateType : undefined);
  return {
    connectionState: pc.connectionState,
    inbound,
    localCandidateType: type(pair?.localCandidateId),
    remoteCandidateType: type(pair?.remoteCandidateId),
    localCandidateTypes: all.filter((s) => s.type === 'local-candidate').map((s) => s.candidateType ?? '?'),
  };
}

/** Waits until the page's call is connected, then checks it runs through TURN only, relay to relay. */
export async function expectRelayOnly(page: Page): Promise<void> {
  await expect.poll(async () => (await callStats(page))?.connectionState, { timeout: 20_000 }).toBe('connected');
  const stats = await callStats(page);
  expect(stats?.localCandidateType).toBe('relay');
  expect(stats?.remoteCandidateType).toBe('relay');
  expect(new Set(stats?.localCandidateTypes)).toEqual(new Set(['relay']));
}

type Measure = (stats: CallStats) => number | undefined;

/** How much a measure grows over `ms` (undefined while there is nothing to measure). */
export async function growth(page: Page | StatsReader, measure: Measure, ms = 1500): Promise<number | undefined> {
  const read = typeof page === 'function' ? page : () => callStats(page);
  const before = await read();
  await sleep(ms);
  const after = await read();
  const [a, b] = [before && measure(before), after && measure(after)];
  return a === undefined || b === undefined ? undefined : b - a;
}

export const bytesOf =
  (mid: string): Measure =>
  (stats) =>
    stats.inbound[mid]?.bytesReceived;
export const packetsOf =
  (mid: string): Measure =>
  (stats) =>
    stats.inbound[mid]?.packetsReceived;
export const framesOf: Measure = (stats) => stats.inbound['1']?.framesDecoded;
export const micEnergy: Measure = (stats) => stats.inbound['0']?.totalAudioEnergy;

/** Waits until a measure grows by more than `min` over a short window. */
export async function expectGrowing(
  page: Page | StatsReader,
  measure: Measure,
  min = 0,
  timeout = 20_000,
): Promise<void> {
  await expect.poll(() => growth(page, measure).then((g) => g ?? -1), { timeout, interval: 0 }).toBeGreaterThan(min);
}

/** The remote <video>'s picture size and how many frames it presents in a second. */
export function remoteVideo(page: Page): Promise<{ width: number; height: number; frames: number }> {
  return page.locator('.tile.remote video').evaluate(
    (video: HTMLVideoElement) =>
      new Promise((resolve) => {
        let frames = 0;
        const count = () => {
          frames += 1;
          video.requestVideoFrameCallback(count);
        };
        video.requestVideoFrameCallback(count);
        setTimeout(() => resolve({ width: video.videoWidth, height: video.videoHeight, frames }), 1000);
      }),
  );
}

/**
 * Waits until the remote video shows moving pictures of the given size. Generous: on a busy
 * 2-core machine the sender's encoder scales a camera down (balanced degradation) and takes its
 * time to climb back to full size once the load, e.g. a shared screen, is gone.
 */
export async function expectRemotePicture(page: Page, size?: { width: number; height: number }): Promise<void> {
  await expect
    .poll(
      async () => {
        const video = await remoteVideo(page).catch(() => undefined);
        if (!video || video.frames < 3) return 'no frames';
        return size ? `${video.width}x${video.height}` : 'moving';
      },
      { timeout: 45_000, interval: 0 },
    )
    .toBe(size ? `${size.width}x${size.height}` : 'moving');
}

/**
 * The current connection's local SDP. Mute, camera, device and screen changes must leave it
 * untouched: they are replaceTrack on a fixed media plan, never a renegotiation.
 */
export function localSdp(page: Page): Promise<string | undefined> {
  return page.evaluate(
    () => window.__peerConnections.filter((p) => p.connectionState !== 'closed').at(-1)?.localDescription?.sdp,
  );
}

/** The deviceId of the camera in the self view (the screen while sharing). */
export function selfVideoDevice(page: Page): Promise<string | undefined> {
  return page
    .locator('.tile.self video')
    .evaluate(
      (video: HTMLVideoElement) => (video.srcObject as MediaStream).getVideoTracks()[0]?.getSettings().deviceId,
    );
}

/** The text of the remote tile's live region. */
export const remoteStatus = (page: Page) => page.locator('.tile.remote [role="status"]');
