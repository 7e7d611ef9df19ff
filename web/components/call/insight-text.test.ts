import { describe, expect, it } from 'vitest';
import type { DirectionStats, StatsSample } from '../../call/insight/stats.ts';
import { bitrate, candidate, codecs, connectionRows, directionRows, NOT_MEASURED, route } from './insight-text.ts';

const direction = (stats: Partial<DirectionStats>): DirectionStats => ({
  bitrateKbps: undefined,
  lossPercent: undefined,
  jitterMs: undefined,
  width: undefined,
  height: undefined,
  framesPerSecond: undefined,
  videoCodec: undefined,
  audioCodec: undefined,
  ...stats,
});

const sample: StatsSample = {
  timestamp: 0,
  rttMs: 12.4,
  inbound: direction({
    bitrateKbps: 1234,
    lossPercent: 0.25,
    jitterMs: 3.6,
    width: 640,
    height: 480,
    framesPerSecond: 19.6,
    videoCodec: 'VP8',
    audioCodec: 'opus',
  }),
  outbound: direction({ bitrateKbps: 850.4, audioCodec: 'opus' }),
  route: { relayed: false, localCandidateType: 'host', remoteCandidateType: 'srflx', protocol: 'udp' },
  remoteAudioLevel: undefined,
};

describe('stats panel values', () => {
  it('shows each direction side by side, with a dash for what is not measured', () => {
    expect(directionRows(sample)).toEqual([
      ['Bitrate', '1.2 Mbit/s', '850 kbit/s'],
      ['Packet loss', '0.3 %', NOT_MEASURED],
      ['Jitter', '4 ms', NOT_MEASURED],
      ['Resolution', '640×480', NOT_MEASURED],
      ['Frame rate', '20 fps', NOT_MEASURED],
      ['Codecs', 'VP8 / opus', 'opus'],
    ]);
  });

  it('describes the connection, and the setup time once measured', () => {
    expect(connectionRows(sample, 845.2)).toEqual([
      ['Round trip', '12 ms'],
      ['Route', 'direct (UDP)'],
      ['Local candidate', 'host (a local address)'],
      ['Remote candidate', 'srflx (public address, via STUN)'],
      ['Setup time', '845 ms'],
    ]);
    expect(connectionRows(undefined, undefined).map(([, value]) => value)).toEqual(Array(5).fill(NOT_MEASURED));
  });

  it('names a relayed route and its transport to the TURN server', () => {
    expect(route({ relayed: true, localCandidateType: 'relay', remoteCandidateType: 'host', protocol: 'tcp' })).toBe(
      'relayed (TURN, TCP)',
    );
    expect(
      route({ relayed: true, localCandidateType: undefined, remoteCandidateType: 'relay', protocol: undefined }),
    ).toBe('relayed (TURN)');
    expect(candidate('relay')).toBe('relay (a TURN server)');
  });

  it('switches bitrate units at 1000 kbit/s', () => {
    expect([bitrate(999.4), bitrate(1000), bitrate(undefined)]).toEqual(['999 kbit/s', '1.0 Mbit/s', NOT_MEASURED]);
    expect(codecs(direction({}))).toBe(NOT_MEASURED);
  });
});
