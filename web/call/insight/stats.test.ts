import { describe, expect, it, vi } from 'vitest';
import { computeSample, type GradedSample, sampleStats } from './stats.ts';

/** Builds a report shaped like Chromium's from the entries that matter here. */
function report(timestamp: number, counters: { inBytes: number; inPackets: number; lost: number; outBytes: number }) {
  const entries = [
    { id: 'T01', type: 'transport', selectedCandidatePairId: 'CPa_b' },
    {
      id: 'CPa_b',
      type: 'candidate-pair',
      localCandidateId: 'Ia',
      remoteCandidateId: 'Ib',
      currentRoundTripTime: 0.042,
      state: 'succeeded',
      nominated: true,
    },
    {
      id: 'CPa_c',
      type: 'candidate-pair',
      localCandidateId: 'Ia',
      remoteCandidateId: 'Ic',
      currentRoundTripTime: 0.9,
      state: 'failed',
    },
    { id: 'Ia', type: 'local-candidate', candidateType: 'srflx', protocol: 'udp' },
    { id: 'Ib', type: 'remote-candidate', candidateType: 'host', protocol: 'udp' },
    { id: 'Ic', type: 'remote-candidate', candidateType: 'relay', protocol: 'udp' },
    { id: 'CIT01_96', type: 'codec', mimeType: 'video/VP8' },
    { id: 'CIT01_111', type: 'codec', mimeType: 'audio/opus' },
    { id: 'COT01_98', type: 'codec', mimeType: 'video/VP9' },
    {
      id: 'IT01V1',
      type: 'inbound-rtp',
      kind: 'video',
      codecId: 'CIT01_96',
      bytesReceived: counters.inBytes,
      packetsReceived: counters.inPackets,
      packetsLost: counters.lost,
      jitter: 0.05,
      frameWidth: 640,
      frameHeight: 480,
      framesPerSecond: 20,
    },
    {
      id: 'IT01A1',
      type: 'inbound-rtp',
      kind: 'audio',
      codecId: 'CIT01_111',
      bytesReceived: 4_000 + timestamp,
      packetsReceived: 50 + timestamp / 20,
      packetsLost: 0,
      jitter: 0.004,
      audioLevel: 0.3,
    },
    {
      id: 'OT01V2',
      type: 'outbound-rtp',
      kind: 'video',
      codecId: 'COT01_98',
      bytesSent: counters.outBytes,
      frameWidth: 320,
      frameHeight: 240,
      framesPerSecond: 15,
    },
    { id: 'RIA', type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.05, fractionLost: 0.01, jitter: 0.012 },
    { id: 'RIV', type: 'remote-inbound-rtp', kind: 'video', roundTripTime: 0.06, fractionLost: 0.1, jitter: 0.03 },
  ];
  return new Map<string, unknown>(entries.map((entry) => [entry.id, { timestamp, ...entry }]));
}

const first = report(10_000, { inBytes: 100_000, inPackets: 1_000, lost: 10, outBytes: 50_000 });
const second = report(11_000, { inBytes: 162_500, inPackets: 1_095, lost: 15, outBytes: 75_000 });

describe('computeSample', () => {
  const sample = computeSample(second, first);

  it('takes the RTT and the route from the selected candidate pair', () => {
    expect(sample.rttMs).toBeCloseTo(42);
    expect(sample.route).toEqual({
      relayed: false,
      localCandidateType: 'srflx',
      remoteCandidateType: 'host',
      protocol: 'udp',
    });
  });

  it('computes bitrates from byte deltas over the report clock', () => {
    // video 62,500 B + audio 1,000 B in 1 s in; 25,000 B out
    expect(sample.inbound.bitrateKbps).toBeCloseTo(508);
    expect(sample.outbound.bitrateKbps).toBeCloseTo(200);
  });

  it('reports the loss of the worst stream in this interval, both ways', () => {
    expect(sample.inbound.lossPercent).toBeCloseTo(5); // 5 lost of 100 sent
    expect(sample.outbound.lossPercent).toBeCloseTo(10); // the peer's RTCP: 10 % of our video
  });

  it('prefers audio jitter, in ms', () => {
    expect(sample.inbound.jitterMs).toBeCloseTo(4);
    expect(sample.outbound.jitterMs).toBeCloseTo(12);
  });

  it('describes the video and the codecs of each direction', () => {
    expect(sample.inbound).toMatchObject({
      width: 640,
      height: 480,
      framesPerSecond: 20,
      videoCodec: 'VP8',
      audioCodec: 'opus',
    });
    expect(sample.outbound).toMatchObject({
      width: 320,
      height: 240,
      framesPerSecond: 15,
      videoCodec: 'VP9',
      audioCodec: undefined,
    });
    expect(sample.remoteAudioLevel).toBe(0.3);
    expect(sample.timestamp).toBe(11_000);
  });

  it('has no rates for the first report, nor for a stream whose counters went back', () => {
    const alone = computeSample(first, undefined);
    expect(alone.inbound.bitrateKbps).toBeUndefined();
    expect(alone.inbound.lossPercent).toBeUndefined();
    expect(alone.rttMs).toBeCloseTo(42);
    const reset = report(12_000, { inBytes: 10, inPackets: 5, lost: 0, outBytes: 80_000 });
    expect(computeSample(reset, second).inbound.bitrateKbps).toBeCloseTo(8); // the audio stream only
  });

  it('says relayed when either end is a TURN relay, with the transport to TURN', () => {
    const relayed = new Map(second);
    relayed.set('Ia', {
      id: 'Ia',
      type: 'local-candidate',
      candidateType: 'relay',
      protocol: 'udp',
      relayProtocol: 'tls',
      timestamp: 0,
    });
    expect(computeSample(relayed, first).route).toEqual({
      relayed: true,
      localCandidateType: 'relay',
      remoteCandidateType: 'host',
      protocol: 'tls',
    });
  });

  it('finds the pair Firefox flags as selected when no transport names one', () => {
    const firefox = new Map([...second].filter(([id]) => id !== 'T01'));
    firefox.set('CPa_c', { ...(second.get('CPa_c') as object), selected: true });
    expect(computeSample(firefox, first).route?.remoteCandidateType).toBe('relay');
  });

  it("prefers the first audio m-line's stream to a shared screen's audio, whatever the report order", () => {
    const screenAudio = {
      ...{ id: 'IT01A2', type: 'inbound-rtp', kind: 'audio', mid: '2', timestamp: 11_000 },
      ...{ jitter: 0.2, audioLevel: 0.9 },
    };
    const mic = { ...(second.get('IT01A1') as object), mid: '0' };
    const sharing = new Map<string, unknown>([['IT01A2', screenAudio], ...second, ['IT01A1', mic]]);
    const withScreen = computeSample(sharing, first);
    expect(withScreen.remoteAudioLevel).toBe(0.3);
    expect(withScreen.inbound.jitterMs).toBeCloseTo(4);
  });

  it('knows nothing about an empty report', () => {
    const empty = computeSample(new Map(), undefined);
    expect(empty.route).toBeUndefined();
    expect(empty.rttMs).toBeUndefined();
    expect(empty.inbound.width).toBeUndefined();
  });
});

describe('sampleStats', () => {
  it('polls once per interval, grades each sample, and stops when told', async () => {
    vi.useFakeTimers();
    const reports = [first, second];
    const pc = { getStats: vi.fn(async () => reports.shift() ?? second) };
    const samples: GradedSample[] = [];
    const stop = sampleStats(pc as unknown as RTCPeerConnection, (sample) => samples.push(sample), 1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(samples).toHaveLength(2);
    // in: 5 % loss is fair; out: the peer lost 10 % of our video, poor
    expect(samples[1]?.quality).toEqual({ inbound: 'fair', outbound: 'poor' });
    stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(pc.getStats).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
  });
});
