/**
 * The stats panel's words and numbers: a stats sample (stats.ts) as short, human-readable values.
 * Anything not measured yet reads "—" rather than a misleading zero.
 */
import type { CandidateType, DirectionStats, Route, StatsSample } from '../../call/insight/stats.ts';

export const NOT_MEASURED = '—';

const known =
  <T>(format: (value: T) => string) =>
  (value: T | undefined): string =>
    value === undefined ? NOT_MEASURED : format(value);

const milliseconds = known((ms: number) => `${Math.round(ms)} ms`);
const percent = known((value: number) => `${value.toFixed(1)} %`);
export const bitrate = known((kbps: number) =>
  kbps < 1000 ? `${Math.round(kbps)} kbit/s` : `${(kbps / 1000).toFixed(1)} Mbit/s`,
);
const frameRate = known((fps: number) => `${Math.round(fps)} fps`);

function resolution({ width, height }: Pick<DirectionStats, 'width' | 'height'>): string {
  return width === undefined || height === undefined ? NOT_MEASURED : `${width}×${height}`;
}

/** What each ICE candidate type means, for people who have not read RFC 8445. */
const CANDIDATES: Readonly<Record<CandidateType, string>> = {
  host: 'host (a local address)',
  srflx: 'srflx (public address, via STUN)',
  prflx: 'prflx (found while connecting)',
  relay: 'relay (a TURN server)',
};

export const candidate = known((type: CandidateType) => CANDIDATES[type]);

/** "direct (UDP)", or "relayed (TURN, TCP)" when media goes through a TURN server. */
export const route = known(({ relayed, protocol }: Route) => {
  const transport = protocol?.toUpperCase();
  if (relayed) return transport ? `relayed (TURN, ${transport})` : 'relayed (TURN)';
  return transport ? `direct (${transport})` : 'direct';
});

/** "VP8 / opus": the video and audio codecs of a direction. */
export function codecs({ videoCodec, audioCodec }: Pick<DirectionStats, 'videoCodec' | 'audioCodec'>): string {
  const names = [videoCodec, audioCodec].filter((name) => name !== undefined);
  return names.length > 0 ? names.join(' / ') : NOT_MEASURED;
}

/** The rows measured per direction: label, then the value received and the value sent. */
export function directionRows(sample: StatsSample): [label: string, received: string, sent: string][] {
  const row = (label: string, format: (stats: DirectionStats) => string): [string, string, string] => [
    label,
    format(sample.inbound),
    format(sample.outbound),
  ];
  return [
    row('Bitrate', (stats) => bitrate(stats.bitrateKbps)),
    row('Packet loss', (stats) => percent(stats.lossPercent)),
    row('Jitter', (stats) => milliseconds(stats.jitterMs)),
    row('Resolution', resolution),
    row('Frame rate', (stats) => frameRate(stats.framesPerSecond)),
    row('Codecs', codecs),
  ];
}

/** The rows about the connection as a whole. */
export function connectionRows(sample: StatsSample | undefined, setupMs: number | undefined): [string, string][] {
  return [
    ['Round trip', milliseconds(sample?.rttMs)],
    ['Route', route(sample?.route)],
    ['Local candidate', candidate(sample?.route?.localCandidateType)],
    ['Remote candidate', candidate(sample?.route?.remoteCandidateType)],
    ['Setup time', milliseconds(setupMs)],
  ];
}
