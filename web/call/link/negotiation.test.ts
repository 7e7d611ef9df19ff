import { describe, expect, it, vi } from 'vitest';
import type { Signal } from '../../../protocol/signaling.ts';
import { FakePeerConnection } from '../testing/fake-peer-connection.ts';
import { PerfectNegotiation } from './negotiation.ts';

/** Two fake peer connections wired through an asynchronous "room", as in a call. */
function pair(latency = () => 1) {
  const logs: string[] = [];
  const errors: unknown[] = [];
  const make = (name: string, polite: boolean) => {
    const pc = new FakePeerConnection(name);
    const sent: Signal[] = [];
    const negotiation = new PerfectNegotiation(pc, {
      polite,
      log: (message) => logs.push(`${name}: ${message}`),
      send: (signal) => {
        sent.push(signal);
        // Delivered in order, a little later, like a WebSocket relay.
        setTimeout(() => void other(name).negotiation.handle(signal), latency());
      },
      onError: (error) => errors.push(error),
    });
    return { pc, negotiation, sent };
  };
  const polite = make('polite', true);
  const impolite = make('impolite', false);
  const other = (name: string) => (name === 'polite' ? impolite : polite);
  return { polite, impolite, logs, errors };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function untilStable(...pcs: FakePeerConnection[]) {
  await vi.waitFor(
    () => {
      for (const pc of pcs) {
        expect(pc.signalingState).toBe('stable');
        expect(pc.negotiated).toBe(pc.changes);
      }
    },
    { timeout: 2000, interval: 5 },
  );
}

describe('perfect negotiation', () => {
  it('offers when negotiation is needed and the other side answers', async () => {
    const { polite, impolite, errors } = pair();
    impolite.pc.change();
    await untilStable(polite.pc, impolite.pc);
    expect(impolite.sent.map((s) => s.kind === 'description' && s.description.type)).toEqual(['offer']);
    expect(polite.sent.map((s) => s.kind === 'description' && s.description.type)).toEqual(['answer']);
    expect(errors).toEqual([]);
  });

  it('resolves glare: the polite side rolls back and answers, then makes its own offer', async () => {
    const { polite, impolite, logs, errors } = pair();
    polite.pc.change();
    impolite.pc.change();
    await untilStable(polite.pc, impolite.pc);
    expect(logs).toContain('impolite: glare: ignoring their offer (impolite), waiting for the answer to ours');
    expect(logs).toContain('polite: glare: rolling back our offer (polite) to answer theirs');
    // Both sides' changes were negotiated in the end: the polite one in a second round.
    expect(polite.sent.filter((s) => s.kind === 'description').map((s) => s.description.type)).toEqual([
      'offer',
      'answer',
      'offer',
    ]);
    expect(errors).toEqual([]);
  });

  it('converges whatever the timing: changes on both sides, random relay delays (50 runs)', async () => {
    for (let run = 0; run < 50; run++) {
      const { polite, impolite, errors } = pair(() => Math.random() * 3);
      for (let round = 0; round < 3; round++) {
        polite.pc.change();
        if (Math.random() < 0.7) impolite.pc.change();
        await delay(Math.random() * 6);
      }
      await untilStable(polite.pc, impolite.pc);
      expect(errors).toEqual([]);
    }
  });

  it('drops candidates of an ignored offer silently', async () => {
    const pc = new FakePeerConnection('impolite');
    const errors: unknown[] = [];
    const negotiation = new PerfectNegotiation(pc, {
      polite: false,
      log: () => {},
      send: () => {},
      onError: (error) => errors.push(error),
    });
    pc.change();
    await vi.waitFor(() => expect(pc.signalingState).toBe('have-local-offer'));
    await negotiation.handle({ kind: 'description', description: { type: 'offer', sdp: 'glare' } });
    await negotiation.handle({ kind: 'candidate', candidate: { candidate: 'candidate:1' } });
    expect(errors).toEqual([]);
    expect(pc.signalingState).toBe('have-local-offer');
    expect(pc.candidates).toEqual([]);
  });

  it('reports a candidate that fails outside an ignored offer', async () => {
    const { polite, errors } = pair();
    await polite.negotiation.handle({ kind: 'candidate', candidate: { candidate: 'candidate:1' } });
    expect(errors).toHaveLength(1);
  });

  it('trickles local candidates with only the fields the protocol carries', async () => {
    const { polite, impolite } = pair();
    impolite.pc.change();
    await untilStable(polite.pc, impolite.pc);
    impolite.pc.gather('candidate:42 1 udp 1 127.0.0.1 5000 typ host');
    await vi.waitFor(() => expect(polite.pc.candidates).toHaveLength(1));
    expect(polite.pc.candidates[0]).toEqual({
      candidate: 'candidate:42 1 udp 1 127.0.0.1 5000 typ host',
      sdpMid: '0',
      sdpMLineIndex: 0,
      usernameFragment: 'impolite',
    });
  });

  it('runs beforeAnswer between the remote offer and the answer', async () => {
    const pc = new FakePeerConnection('answerer');
    const states: string[] = [];
    const negotiation = new PerfectNegotiation(pc, {
      polite: true,
      log: () => {},
      send: () => {},
      beforeAnswer: () => {
        states.push(pc.signalingState);
      },
    });
    await negotiation.handle({ kind: 'description', description: { type: 'offer', sdp: 'x' } });
    expect(states).toEqual(['have-remote-offer']);
    expect(pc.localDescription?.type).toBe('answer');
  });

  it('starts the answer before any work that beforeAnswer scheduled', async () => {
    const pc = new FakePeerConnection('answerer');
    const order: string[] = [];
    const setLocalDescription = pc.setLocalDescription.bind(pc);
    pc.setLocalDescription = () => {
      order.push('answer started');
      return setLocalDescription();
    };
    const negotiation = new PerfectNegotiation(pc, {
      polite: true,
      log: () => {},
      send: () => {},
      // As a UI framework schedules a render when the peer's tracks are announced.
      beforeAnswer: () => queueMicrotask(() => order.push('scheduled work')),
    });
    await negotiation.handle({ kind: 'description', description: { type: 'offer', sdp: 'x' } });
    expect(order).toEqual(['answer started', 'scheduled work']);
  });

  it('stops listening when disposed', async () => {
    const { polite, impolite } = pair();
    impolite.negotiation.dispose();
    impolite.pc.change();
    await delay(20);
    expect(impolite.sent).toEqual([]);
    expect(polite.pc.signalingState).toBe('stable');
  });
});
