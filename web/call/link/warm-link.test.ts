import { describe, expect, it } from 'vitest';
import type { Signal } from '../../../protocol/signaling.ts';
import { type Warmable, WarmLink } from './warm-link.ts';

const offer: Signal = { kind: 'description', description: { type: 'offer', sdp: 'v=0' } };
const candidate = (n: number): Signal => ({
  kind: 'candidate',
  candidate: { candidate: `candidate:${n} 1 udp 1 127.0.0.1 500${n} typ host`, sdpMid: '0', sdpMLineIndex: 0 },
});

/** A link whose connection is in the given state; `send` is what the warm link hands it. */
function warm(offering: boolean, pc: Partial<Warmable['pc']>) {
  const delivered: Signal[] = [];
  let send: (signal: Signal) => void = () => {};
  const link = {
    pc: { connectionState: 'new', signalingState: 'stable', localDescription: null, ...pc } as Warmable['pc'],
    closed: false,
    close() {
      link.closed = true;
    },
  };
  const warmLink = new WarmLink(
    offering,
    (given) => {
      send = given;
      return link;
    },
    (signal) => delivered.push(signal),
  );
  return { warmLink, link, delivered, send: (signal: Signal) => send(signal) };
}

describe('warm link', () => {
  it('holds its offer, then sends it once with the candidates its SDP has gathered meanwhile', () => {
    const local = { type: 'offer', sdp: 'v=0 a=candidate:1 a=candidate:2' } as RTCSessionDescription;
    const { warmLink, link, delivered, send } = warm(true, {
      signalingState: 'have-local-offer',
      localDescription: local,
    });
    send(offer);
    send(candidate(1));
    send(candidate(2));
    expect(delivered).toEqual([]);
    expect(warmLink.take()).toBe(link);
    send(candidate(3));
    expect(delivered).toEqual([
      { kind: 'description', description: { type: 'offer', sdp: 'v=0 a=candidate:1 a=candidate:2' } },
      candidate(3),
    ]);
  });

  it('gives its offer to the join once, and then has nothing held to send', () => {
    const local = { type: 'offer', sdp: 'v=0 a=candidate:1' } as RTCSessionDescription;
    const { warmLink, link, delivered, send } = warm(true, {
      signalingState: 'have-local-offer',
      localDescription: local,
    });
    expect(warmLink.offerForJoin()).toBeUndefined();
    send(offer);
    send(candidate(1));
    expect(warmLink.offerForJoin()).toEqual({ type: 'offer', sdp: 'v=0 a=candidate:1' });
    expect(warmLink.offerForJoin()).toBeUndefined();
    expect(warmLink.take()).toBe(link);
    send(candidate(2));
    expect(delivered).toEqual([candidate(2)]);
  });

  it('sends nothing held when its offer is not made yet: the offer goes out when it is', () => {
    const { warmLink, link, delivered, send } = warm(true, {});
    expect(warmLink.take()).toBe(link);
    send(offer);
    expect(delivered).toEqual([offer]);
  });

  it('is not handed out once used, nor twice', () => {
    expect(warm(false, { signalingState: 'have-remote-offer' }).warmLink.take()).toBeUndefined();
    expect(warm(true, { connectionState: 'failed' }).warmLink.take()).toBeUndefined();
    const { warmLink, link } = warm(false, {});
    expect(warmLink.take()).toBe(link);
    expect(warmLink.take()).toBeUndefined();
  });

  it('closes its link, forgets what it held and sends nothing more', () => {
    const { warmLink, link, delivered, send } = warm(true, {});
    send(offer);
    warmLink.close();
    send(candidate(1));
    expect(link.closed).toBe(true);
    expect(warmLink.take()).toBeUndefined();
    expect(delivered).toEqual([]);
  });
});
