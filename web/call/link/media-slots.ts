/**
 * The media plan of a call: three transceivers, fixed for the life of a peer connection, so that
 * every later change (mute, camera off/on, switch camera, screen share on/off) is a `replaceTrack`
 * and never a renegotiation:
 *
 *   0. audio: the microphone (muted = a disabled track, which sends silence)
 *   1. video: the camera, or the screen while sharing (nothing while both are off)
 *   2. audio: the screen's own audio while sharing (nothing otherwise)
 *
 * The side that makes the first offer (the newcomer, link.ts `offer`) creates them before that
 * offer (`create`), whatever its politeness; the other side adopts the ones it creates (`adopt`),
 * before answering. Both sides adding their own would give six m-lines: a transceiver made with
 * addTransceiver is never matched to a remote offer's m-line.
 */
export type Slot = 'mic' | 'video' | 'screenAudio';

const PLAN = [
  { slot: 'mic', kind: 'audio' },
  { slot: 'video', kind: 'video' },
  { slot: 'screenAudio', kind: 'audio' },
] as const satisfies readonly { slot: Slot; kind: 'audio' | 'video' }[];

type Transceivers = Record<Slot, RTCRtpTransceiver>;

export class MediaSlots {
  private constructor(private readonly transceivers: Transceivers) {}

  /** The offerer's side: adds the three transceivers (this fires `negotiationneeded`). */
  static create(pc: Pick<RTCPeerConnection, 'addTransceiver'>): MediaSlots {
    const entries = PLAN.map(({ slot, kind }) => [slot, pc.addTransceiver(kind, { direction: 'sendrecv' })]);
    return new MediaSlots(Object.fromEntries(entries) as Transceivers);
  }

  /** The answerer's side, after the first remote offer: its transceivers, made ready to send. */
  static adopt(pc: Pick<RTCPeerConnection, 'getTransceivers'>): MediaSlots | undefined {
    const transceivers = pc.getTransceivers();
    const matches = PLAN.every(({ kind }, index) => transceivers[index]?.receiver.track.kind === kind);
    if (!matches) return undefined;
    const entries = PLAN.map(({ slot }, index) => {
      const transceiver = transceivers[index] as RTCRtpTransceiver;
      // Created by the offer as recvonly; sendrecv before the answer means no second round.
      transceiver.direction = 'sendrecv';
      return [slot, transceiver];
    });
    return new MediaSlots(Object.fromEntries(entries) as Transceivers);
  }

  /** What the peer sends in this slot: the track exists from the start and is live while they send. */
  remoteTrack(slot: Slot): MediaStreamTrack {
    return this.transceivers[slot].receiver.track;
  }

  /** Puts a track (or nothing) on a slot's sender. */
  async send(slot: Slot, track: MediaStreamTrack | null): Promise<void> {
    const { sender } = this.transceivers[slot];
    if (sender.track !== track) await sender.replaceTrack(track);
  }

  /**
   * Screens keep their resolution and drop frames when bandwidth is short (text stays readable);
   * cameras balance the two. Returns false while the sender is not negotiated yet (no encodings):
   * the caller tunes again once it is.
   */
  async tuneVideo(screen: boolean): Promise<boolean> {
    const { sender } = this.transceivers.video;
    const parameters = sender.getParameters();
    if (parameters.encodings.length === 0) return false;
    const wanted: RTCDegradationPreference = screen ? 'maintain-resolution' : 'balanced';
    // Unset means the browser's default, balanced: setting it anyway would reconfigure the
    // encoder just as the call starts, and delay the peer's first frame.
    if ((parameters.degradationPreference ?? 'balanced') !== wanted) {
      parameters.degradationPreference = wanted;
      await sender.setParameters(parameters);
    }
    return true;
  }
}
