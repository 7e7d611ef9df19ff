/**
 * The two DTLS certificate fingerprints a connected RTCPeerConnection actually uses: ours and the
 * other side's. From `getStats` where the browser reports certificates (the transport's
 * `localCertificateId` / `remoteCertificateId` → `certificate` stats, Chromium); else from the
 * `a=fingerprint` lines of the local and remote descriptions (Firefox reports no certificate
 * stats). Both are what DTLS checked: once connected, the other side proved it holds the
 * certificate whose fingerprint its description announced.
 */

export interface Fingerprint {
  /** e.g. `sha-256`. */
  algorithm: string;
  /** Hex, as the browser writes it (`AB:01:…` or `ab01…`): see normalizeFingerprint. */
  value: string;
}

export interface CallFingerprints {
  local: Fingerprint;
  remote: Fingerprint;
}

/**
 * A fingerprint as the safety code and the verified devices use it: `sha-256:ab01…`, the algorithm
 * and the hex in lower case, the colons removed (safety-code.ts step 1).
 */
export function normalizeFingerprint({ algorithm, value }: Fingerprint): string {
  return `${algorithm.toLowerCase()}:${value.toLowerCase().replaceAll(':', '')}`;
}

/** The fields of the stats entries read here. */
interface StatsEntry {
  id: string;
  type: string;
  dtlsState?: string;
  localCertificateId?: string;
  remoteCertificateId?: string;
  fingerprint?: string;
  fingerprintAlgorithm?: string;
}

/** From one `getStats()` report's entries: the connected transport's certificates, if reported. */
export function fingerprintsFromStats(entries: Iterable<StatsEntry>): CallFingerprints | undefined {
  const byId = new Map<string, StatsEntry>();
  for (const entry of entries) byId.set(entry.id, entry);
  const certificate = (id: string | undefined): Fingerprint | undefined => {
    const stats = id === undefined ? undefined : byId.get(id);
    return stats?.fingerprint && stats.fingerprintAlgorithm
      ? { algorithm: stats.fingerprintAlgorithm, value: stats.fingerprint }
      : undefined;
  };
  for (const entry of byId.values()) {
    if (entry.type !== 'transport' || entry.dtlsState !== 'connected') continue;
    const local = certificate(entry.localCertificateId);
    const remote = certificate(entry.remoteCertificateId);
    if (local && remote) return { local, remote };
  }
  return undefined;
}

/** The first `a=fingerprint:<algorithm> <hex>` of an SDP (session or media level: one transport, bundled). */
export function fingerprintFromSdp(sdp: string | undefined): Fingerprint | undefined {
  const match = sdp?.match(/^a=fingerprint:(\S+) ([0-9A-Fa-f:]+)\s*$/m);
  return match?.[1] && match[2] ? { algorithm: match[1], value: match[2] } : undefined;
}

/** The fingerprints of a connected peer connection, or undefined while it has none to tell. */
export async function readFingerprints(pc: RTCPeerConnection): Promise<CallFingerprints | undefined> {
  const entries: StatsEntry[] = [];
  (await pc.getStats()).forEach((entry: StatsEntry) => {
    entries.push(entry);
  });
  const fromStats = fingerprintsFromStats(entries);
  if (fromStats) return fromStats;
  const local = fingerprintFromSdp(pc.localDescription?.sdp);
  const remote = fingerprintFromSdp(pc.remoteDescription?.sdp);
  return local && remote ? { local, remote } : undefined;
}
