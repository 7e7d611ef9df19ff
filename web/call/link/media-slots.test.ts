import { describe, expect, it } from 'vitest';
import { MediaSlots } from './media-slots.ts';

/** A transceiver as far as MediaSlots looks at it. */
function transceiver(kind: 'audio' | 'video', encodings: RTCRtpEncodingParameters[] = []) {
  const parameters = { encodings, degradationPreference: undefined as RTCDegradationPreference | undefined };
  const sender = {
    track: null as MediaStreamTrack | null,
    replaced: 0,
    parametersSet: 0,
    async replaceTrack(track: MediaStreamTrack | null) {
      sender.track = track;
      sender.replaced += 1;
    },
    getParameters: () => ({ ...parameters, transactionId: 't' }),
    async setParameters(next: typeof parameters) {
      parameters.degradationPreference = next.degradationPreference;
      sender.parametersSet += 1;
    },
    parameters,
  };
  return { direction: 'recvonly', receiver: { track: { kind } }, sender } as unknown as RTCRtpTransceiver & {
    sender: typeof sender;
  };
}

describe('media slots', () => {
  it('the offerer lays out mic, video, screen audio, all sendrecv', () => {
    const added: [string, RTCRtpTransceiverInit | undefined][] = [];
    MediaSlots.create({
      addTransceiver: (kind: string, init?: RTCRtpTransceiverInit) => {
        added.push([kind, init]);
        return transceiver(kind as 'audio' | 'video');
      },
    } as Pick<RTCPeerConnection, 'addTransceiver'>);
    expect(added).toEqual([
      ['audio', { direction: 'sendrecv' }],
      ['video', { direction: 'sendrecv' }],
      ['audio', { direction: 'sendrecv' }],
    ]);
  });

  it('the answerer adopts the offer’s transceivers and makes them send', () => {
    const list = [transceiver('audio'), transceiver('video'), transceiver('audio')];
    const slots = MediaSlots.adopt({ getTransceivers: () => list });
    expect(slots).toBeDefined();
    expect(list.map((t) => t.direction)).toEqual(['sendrecv', 'sendrecv', 'sendrecv']);
    expect(slots?.remoteTrack('video')).toBe(list[1]?.receiver.track);
  });

  it('adopts nothing from an offer with another plan (e.g. only a data channel so far)', () => {
    expect(MediaSlots.adopt({ getTransceivers: () => [] })).toBeUndefined();
    expect(MediaSlots.adopt({ getTransceivers: () => [transceiver('video'), transceiver('audio')] })).toBeUndefined();
  });

  it('replaces a track only when it changes', async () => {
    const list = [transceiver('audio'), transceiver('video'), transceiver('audio')];
    const slots = MediaSlots.adopt({ getTransceivers: () => list });
    const camera = { kind: 'video' } as MediaStreamTrack;
    await slots?.send('video', camera);
    await slots?.send('video', camera);
    expect(list[1]?.sender.replaced).toBe(1);
    expect(list[1]?.sender.track).toBe(camera);
  });

  it('keeps a screen’s resolution, balances a camera, once the sender is negotiated', async () => {
    const unnegotiated = [transceiver('audio'), transceiver('video'), transceiver('audio')];
    expect(await MediaSlots.adopt({ getTransceivers: () => unnegotiated })?.tuneVideo(true)).toBe(false);

    const list = [transceiver('audio'), transceiver('video', [{ active: true }]), transceiver('audio')];
    const slots = MediaSlots.adopt({ getTransceivers: () => list });
    expect(await slots?.tuneVideo(true)).toBe(true);
    expect(list[1]?.sender.parameters.degradationPreference).toBe('maintain-resolution');
    await slots?.tuneVideo(false);
    expect(list[1]?.sender.parameters.degradationPreference).toBe('balanced');
  });

  it('leaves a camera’s unset preference (the browser’s balanced default) alone: no encoder reconfiguration', async () => {
    const list = [transceiver('audio'), transceiver('video', [{ active: true }]), transceiver('audio')];
    expect(await MediaSlots.adopt({ getTransceivers: () => list })?.tuneVideo(false)).toBe(true);
    expect(list[1]?.sender.parametersSet).toBe(0);
  });
});
