import { describe, expect, it } from 'vitest';
import { fingerprintFromSdp, fingerprintsFromStats, normalizeFingerprint } from './fingerprints.ts';
import { safetyCode } from './safety-code.ts';

const colons = (hex: string) => hex.toUpperCase().match(/../g)?.join(':') ?? '';
const A = { algorithm: 'sha-256', value: colons('ab'.repeat(32)) };
const B = { algorithm: 'sha-256', value: '01'.repeat(32) };
const C = { algorithm: 'SHA-256', value: colons('0123456789abcdef'.repeat(4)) };

describe('safetyCode', () => {
  // Fixed vectors, computed apart from this code (Python hashlib, following the steps in safety-code.ts).
  it.each([
    ['A and B', A, B, ['77026', '55466', '17732', '31094']],
    ['A and C', A, C, ['98525', '34867', '46558', '71307']],
    ['B and C', B, C, ['78157', '18691', '55290', '81275']],
  ])('%s give their fixed code, in either order', async (_, x, y, code) => {
    expect(await safetyCode(x, y)).toEqual(code);
    expect(await safetyCode(y, x)).toEqual(code);
  });

  it('is 4 groups of 5 digits', async () => {
    for (const group of await safetyCode(A, B)) expect(group).toMatch(/^\d{5}$/);
  });

  it('reads the hex alike in any case, with or without colons, and names the algorithm', () => {
    expect(normalizeFingerprint({ algorithm: 'SHA-256', value: 'AB:0C' })).toBe('sha-256:ab0c');
    expect(normalizeFingerprint({ algorithm: 'sha-256', value: 'ab0c' })).toBe('sha-256:ab0c');
  });
});

describe('fingerprints', () => {
  it('come from the connected transport’s certificate stats', () => {
    const stats = [
      { id: 'T0', type: 'transport', dtlsState: 'new', localCertificateId: 'X', remoteCertificateId: 'Y' },
      { id: 'T1', type: 'transport', dtlsState: 'connected', localCertificateId: 'L', remoteCertificateId: 'R' },
      { id: 'L', type: 'certificate', fingerprint: 'AA:BB', fingerprintAlgorithm: 'sha-256' },
      { id: 'R', type: 'certificate', fingerprint: 'CC:DD', fingerprintAlgorithm: 'sha-256' },
      { id: 'X', type: 'certificate', fingerprint: 'EE', fingerprintAlgorithm: 'sha-256' },
      { id: 'Y', type: 'certificate', fingerprint: 'FF', fingerprintAlgorithm: 'sha-256' },
    ];
    expect(fingerprintsFromStats(stats)).toEqual({
      local: { algorithm: 'sha-256', value: 'AA:BB' },
      remote: { algorithm: 'sha-256', value: 'CC:DD' },
    });
  });

  it('are missing while no transport is connected or its certificates are not reported', () => {
    expect(fingerprintsFromStats([{ id: 'T', type: 'transport', dtlsState: 'connecting' }])).toBeUndefined();
    expect(
      fingerprintsFromStats([{ id: 'T', type: 'transport', dtlsState: 'connected', localCertificateId: 'L' }]),
    ).toBeUndefined();
  });

  it('come from an SDP’s first a=fingerprint line otherwise', () => {
    const sdp =
      'v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:sha-256 AB:CD:EF\r\na=setup:actpass\r\n';
    expect(fingerprintFromSdp(sdp)).toEqual({ algorithm: 'sha-256', value: 'AB:CD:EF' });
    expect(fingerprintFromSdp('v=0\r\n')).toBeUndefined();
    expect(fingerprintFromSdp(undefined)).toBeUndefined();
  });
});
