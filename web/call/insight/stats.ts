/**
 * Call statistics for the stats panel and the quality indicators, from `RTCPeerConnection.getStats`.
 *
 * `computeSample(report, previous)` is pure: it reads plain stats dictionaries (an RTCStatsReport,
 * or a Map of fixtures in tests) and turns two consecutive reports into one sample: rates from
 * counter deltas, the rest from the newer report. `sampleStats(pc, onSample)` polls once a second
 * and adds the quality grades (see quality.ts). `firstFrameAt(video)` times the call setup.
 *
 * Directions: `inbound` is what we receive (it grades the remote tile); `outbound` is what we send,
 * as the peer reports it back over RTCP (remote-inbound-rtp; it grades the self tile).
 * Field names are those of the W3C "Identifiers for WebRTC's Statistics API"; times there are in
 * seconds and are converted to ms here.
 */
import { type Grade, QualityTracker } from './quality.ts';

/** What getStats resolves to; a Map of plain dictionaries keyed by id works the same. */
export type StatsReport = Pick<ReadonlyMap<string, unknown>, 'get' | 'values'>;

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

export interface DirectionStats {
  bitrateKbps: number | undefined;
  /** Of the worst stream: either one going bad is what people notice. */
  lossPercent: number | undefined;
  /** Of the audio stream when there is one: video jitter includes the spread of a frame's packets. */
  jitterMs: number | undefined;
  /** Of the largest video stream. */
  width: number | undefined;
  height: number | undefined;
  framesPerSecond: number | undefined;
  /** e.g. "VP8", "opus". */
  videoCodec: string | undefined;
  audioCodec: string | undefined;
}

export interface Route {
  /** True when media goes through a TURN server instead of straight to the peer. */
  relayed: boolean;
  localCandidateType: CandidateType | undefined;
  remoteCandidateType: CandidateType | undefined;
  /** Transport to the peer or to the TURN server: "udp", "tcp" or (to TURN) "tls". */
  protocol: string | undefined;
}

export interface StatsSample {
  /** The report's own clock, ms. */
  timestamp: number;
  rttMs: number | undefined;
  inbound: DirectionStats;
  outbound: DirectionStats;
  /** The selected candidate pair; undefined until ICE has one. */
  route: Route | undefined;
  /** 0..1 (linear) level of the received audio, for the speaking indicator. */
  remoteAudioLevel: number | undefined;
}

interface Entry {
  id: string;
  type: string;
  timestamp: number;
  kind?: 'audio' | 'video';
  mid?: string;
  codecId?: string;
  mimeType?: string;
  bytesReceived?: number;
  bytesSent?: number;
  packetsReceived?: number;
  packetsLost?: number;
  jitter?: number;
  frameWidth?: number;
  frameHeight?: number;
  framesPerSecond?: number;
  audioLevel?: number;
  roundTripTime?: number;
  fractionLost?: number;
  currentRoundTripTime?: number;
  selectedCandidatePairId?: string;
  localCandidateId?: string;
  remoteCandidateId?: string;
  state?: string;
  nominated?: boolean;
  selected?: boolean;
  candidateType?: CandidateType;
  protocol?: string;
  relayProtocol?: string;
}

const ms = (seconds: number | undefined) => (seconds === undefined ? undefined : seconds * 1000);

function entries(report: StatsReport, type: string): Entry[] {
  return [...(report.values() as Iterable<Entry>)].filter((entry) => entry.type === type);
}

function lookup(report: StatsReport | undefined, id: string | undefined): Entry | undefined {
  return id === undefined ? undefined : (report?.get(id) as Entry | undefined);
}

/**
 * The main stream of a kind: the one on the first m-line (lowest mid), since a call carries its
 * mic and camera before any extra stream (e.g. a shared screen's audio). Entries without a mid
 * (remote-inbound-rtp) go in report order.
 */
function byKind(streams: Entry[], kind: 'audio' | 'video'): Entry | undefined {
  const mid = (stream: Entry) => (stream.mid === undefined ? Number.POSITIVE_INFINITY : Number(stream.mid));
  return streams.filter((stream) => stream.kind === kind).sort((a, b) => mid(a) - mid(b))[0];
}

/** Growth of a counter between two reports; undefined when unknown or reset (a new stream). */
function delta(now: Entry, before: Entry | undefined, field: 'bytesReceived' | 'bytesSent' | 'packetsReceived') {
  const a = before?.[field];
  const b = now[field];
  return a === undefined || b === undefined || b < a ? undefined : b - a;
}

function max(values: (number | undefined)[]): number | undefined {
  const known = values.filter((value) => value !== undefined);
  return known.length === 0 ? undefined : Math.max(...known);
}

function bitrateKbps(streams: Entry[], previous: StatsReport | undefined, field: 'bytesReceived' | 'bytesSent') {
  let bits = 0;
  let measured = false;
  for (const stream of streams) {
    const before = lookup(previous, stream.id);
    const bytes = delta(stream, before, field);
    const elapsed = before ? stream.timestamp - before.timestamp : 0;
    if (bytes === undefined || elapsed <= 0) continue;
    bits += (bytes * 8) / elapsed; // bits per ms = kbit/s
    measured = true;
  }
  return measured ? bits : undefined;
}

function inboundLossPercent(stream: Entry, previous: StatsReport | undefined): number | undefined {
  const before = lookup(previous, stream.id);
  const received = delta(stream, before, 'packetsReceived');
  // packetsLost may shrink when late packets turn up after all; that is no loss in this interval.
  const lost = before ? Math.max(0, (stream.packetsLost ?? 0) - (before.packetsLost ?? 0)) : undefined;
  if (received === undefined || lost === undefined || received + lost === 0) return undefined;
  return (100 * lost) / (received + lost);
}

function codecName(report: StatsReport, streams: Entry[], kind: 'audio' | 'video') {
  return lookup(report, byKind(streams, kind)?.codecId)?.mimeType?.split('/')[1];
}

function largestVideo(streams: Entry[]): Entry | undefined {
  const area = (stream: Entry) => (stream.frameWidth ?? 0) * (stream.frameHeight ?? 0);
  return streams.filter((stream) => stream.kind === 'video' && area(stream) > 0).sort((a, b) => area(b) - area(a))[0];
}

/** The per-direction numbers: `streams` carry bytes, frames and codecs, `feedback` the jitter. */
function direction(
  report: StatsReport,
  streams: Entry[],
  feedback: Entry[],
  rates: Pick<DirectionStats, 'bitrateKbps' | 'lossPercent'>,
): DirectionStats {
  const video = largestVideo(streams);
  return {
    ...rates,
    jitterMs: ms(byKind(feedback, 'audio')?.jitter ?? byKind(feedback, 'video')?.jitter),
    width: video?.frameWidth,
    height: video?.frameHeight,
    framesPerSecond: video?.framesPerSecond,
    videoCodec: codecName(report, streams, 'video'),
    audioCodec: codecName(report, streams, 'audio'),
  };
}

/** The pair ICE is using: the transport names it (Chromium, Safari); Firefox flags it `selected`. */
function selectedPair(report: StatsReport): Entry | undefined {
  for (const transport of entries(report, 'transport')) {
    const pair = lookup(report, transport.selectedCandidatePairId);
    if (pair) return pair;
  }
  const pairs = entries(report, 'candidate-pair');
  return pairs.find((pair) => pair.selected) ?? pairs.find((pair) => pair.nominated && pair.state === 'succeeded');
}

function route(report: StatsReport, pair: Entry | undefined): Route | undefined {
  if (!pair) return undefined;
  const local = lookup(report, pair.localCandidateId);
  const remote = lookup(report, pair.remoteCandidateId);
  return {
    relayed: local?.candidateType === 'relay' || remote?.candidateType === 'relay',
    localCandidateType: local?.candidateType,
    remoteCandidateType: remote?.candidateType,
    protocol: local?.candidateType === 'relay' ? (local.relayProtocol ?? local.protocol) : local?.protocol,
  };
}

/** One sample from the newest report and the one before it (rates and loss need both). */
export function computeSample(report: StatsReport, previous: StatsReport | undefined): StatsSample {
  const all = [...(report.values() as Iterable<Entry>)];
  const inbound = all.filter((entry) => entry.type === 'inbound-rtp');
  const outbound = all.filter((entry) => entry.type === 'outbound-rtp');
  const remoteInbound = all.filter((entry) => entry.type === 'remote-inbound-rtp');
  const pair = selectedPair(report);
  const outboundLoss = max(remoteInbound.map((stream) => stream.fractionLost));
  return {
    timestamp: max(all.map((entry) => entry.timestamp)) ?? 0,
    rttMs: ms(pair?.currentRoundTripTime ?? max(remoteInbound.map((stream) => stream.roundTripTime))),
    inbound: direction(report, inbound, inbound, {
      bitrateKbps: bitrateKbps(inbound, previous, 'bytesReceived'),
      lossPercent: max(inbound.map((stream) => inboundLossPercent(stream, previous))),
    }),
    outbound: direction(report, outbound, remoteInbound, {
      bitrateKbps: bitrateKbps(outbound, previous, 'bytesSent'),
      lossPercent: outboundLoss === undefined ? undefined : outboundLoss * 100,
    }),
    route: route(report, pair),
    remoteAudioLevel: byKind(inbound, 'audio')?.audioLevel,
  };
}

export interface GradedSample extends StatsSample {
  /** `inbound` for the remote tile, `outbound` for the self tile. */
  quality: { inbound: Grade; outbound: Grade };
}

/**
 * Polls `getStats` every `intervalMs` and hands each graded sample to `onSample` until the
 * returned stop function is called. Polls are chained, never overlapping, so a slow getStats on
 * a busy phone delays the next sample instead of piling up.
 */
export function sampleStats(
  pc: Pick<RTCPeerConnection, 'getStats'>,
  onSample: (sample: GradedSample) => void,
  intervalMs = 1000,
): () => void {
  const trackers = { inbound: new QualityTracker(), outbound: new QualityTracker() };
  let previous: StatsReport | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const poll = async () => {
    const report = await pc.getStats().catch(() => undefined);
    if (stopped) return;
    if (report) {
      const sample = computeSample(report, previous);
      previous = report;
      const grade = (stats: DirectionStats) => ({ rttMs: sample.rttMs, ...stats });
      onSample({
        ...sample,
        quality: {
          inbound: trackers.inbound.push(grade(sample.inbound)),
          outbound: trackers.outbound.push(grade(sample.outbound)),
        },
      });
    }
    timer = setTimeout(poll, intervalMs);
  };
  void poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * When the first frame of whatever plays in `video` from now on reaches the screen, on the
 * `performance.now()` clock: the end point of the call setup time (join → first remote frame).
 * `requestVideoFrameCallback` fires per composited frame; `loadeddata` proved unreliable for
 * WebRTC streams. Rejects with the signal's reason if aborted first.
 */
export function firstFrameAt(video: HTMLVideoElement, signal?: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const handle = video.requestVideoFrameCallback((_now, metadata) => {
      signal?.removeEventListener('abort', abort);
      resolve(metadata.presentationTime);
    });
    const abort = () => {
      video.cancelVideoFrameCallback(handle);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}
