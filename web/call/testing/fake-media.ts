/**
 * Fake camera, microphone and screen for unit tests of media/local-media.ts: tracks that record being
 * stopped, and a `navigator.mediaDevices` whose answers a test scripts (failures by DOMException
 * name, as browsers reject). Install it with `vi.stubGlobal('navigator', { mediaDevices })`.
 */
export class FakeTrack extends EventTarget {
  enabled = true;
  stopped = false;
  contentHint = '';

  constructor(
    readonly kind: 'audio' | 'video',
    readonly deviceId: string,
    readonly facingMode?: string,
  ) {
    super();
  }

  stop(): void {
    this.stopped = true;
  }

  getSettings(): MediaTrackSettings {
    return { deviceId: this.deviceId, ...(this.facingMode ? { facingMode: this.facingMode } : {}) };
  }
}

const stream = (tracks: FakeTrack[]) => ({
  getTracks: () => tracks,
  getAudioTracks: () => tracks.filter((track) => track.kind === 'audio'),
  getVideoTracks: () => tracks.filter((track) => track.kind === 'video'),
});

type Constraint = MediaTrackConstraints | boolean | undefined;

export class FakeMediaDevices extends EventTarget {
  cameras = ['cam-1', 'cam-2'];
  /** A phone: cameras say which way they face, and are chosen by facingMode. */
  phone = false;
  /** DOMException names to reject with, by kind; cleared by the test when the device "works". */
  fail: Partial<Record<'audio' | 'video', string>> = {};
  /** Every track handed out, in order. */
  readonly opened: FakeTrack[] = [];

  async getUserMedia(constraints: { audio?: Constraint; video?: Constraint }) {
    for (const kind of ['audio', 'video'] as const) {
      const name = this.fail[kind];
      if (constraints[kind] && name) throw new DOMException(`${kind} failed`, name);
    }
    const tracks: FakeTrack[] = [];
    if (constraints.audio) tracks.push(this.#open('audio', 'mic-1'));
    if (constraints.video) tracks.push(this.#openCamera(constraints.video));
    return stream(tracks);
  }

  async getDisplayMedia() {
    return stream([this.#open('video', 'screen'), this.#open('audio', 'screen-audio')]);
  }

  async enumerateDevices() {
    return [
      { kind: 'audioinput', deviceId: 'mic-1', label: 'Mic' },
      ...this.cameras.map((deviceId) => ({ kind: 'videoinput', deviceId, label: deviceId })),
    ];
  }

  #openCamera(constraint: Constraint): FakeTrack {
    const wanted = typeof constraint === 'object' ? constraint : {};
    const exact = (value: unknown) => (value as { exact?: string } | undefined)?.exact;
    const facing = exact(wanted.facingMode) ?? (typeof wanted.facingMode === 'string' ? wanted.facingMode : undefined);
    if (this.phone && facing) return this.#open('video', `cam-${facing}`, facing);
    return this.#open('video', exact(wanted.deviceId) ?? this.cameras[0] ?? 'none');
  }

  #open(kind: 'audio' | 'video', deviceId: string, facingMode?: string): FakeTrack {
    const track = new FakeTrack(kind, deviceId, facingMode);
    this.opened.push(track);
    return track;
  }
}
