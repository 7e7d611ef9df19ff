/**
 * The user's own media: microphone, camera and screen tracks, and which of them are on.
 *
 * One LocalMedia lives from the lobby through the call, so the preview's tracks are the call's
 * tracks (no second prompt, no camera flicker when joining). Its rules:
 * - mic off = the track stays, `enabled = false` (unmuting is instant; the peer receives silence);
 * - camera off = the track is stopped (the camera light goes off); on = a fresh track;
 * - switching camera or device = stop the old track first (many phones cannot open two cameras),
 *   then open the new one; the engine moves it onto the sender with replaceTrack;
 * - a screen share ended from the browser's own "Stop sharing" bar ends the share here too.
 * Operations run one at a time, in call order, so fast clicking cannot interleave two opens.
 */
import type { MediaState } from '../../../protocol/signaling.ts';
import { Emitter } from '../emitter.ts';
import type { Device, DeviceProblem } from './device-errors.ts';
import {
  cameraConstraints,
  type DeviceLists,
  type Facing,
  facingOf,
  listDevices,
  micConstraints,
  nextCamera,
  openScreen,
  openUserMedia,
  type ScreenCapture,
} from './devices.ts';

export interface LocalMediaState {
  /** Present while the user has a microphone open, enabled or not. */
  mic: MediaStreamTrack | undefined;
  micOn: boolean;
  /** Present only while the camera is on. */
  camera: MediaStreamTrack | undefined;
  screen: ScreenCapture | undefined;
  /** Which way the camera faces, where known: the self view is mirrored unless it faces away. */
  facing: Facing | undefined;
  devices: DeviceLists;
  micId: string | undefined;
  cameraId: string | undefined;
  speakerId: string | undefined;
  /** The latest problem per device; cleared when that device opens. */
  problems: Partial<Record<Device, DeviceProblem>>;
  /** True until the first attempt to open the devices has finished. */
  starting: boolean;
}

/** What the peer is told (protocol `media`): on means really sending. */
export function mediaStateOf(state: LocalMediaState): MediaState {
  return { mic: state.micOn && state.mic !== undefined, camera: state.camera !== undefined, screen: !!state.screen };
}

const NO_DEVICES: DeviceLists = { cameras: [], mics: [], speakers: [] };

export class LocalMedia {
  readonly #events = new Emitter<{ change: LocalMediaState }>();
  #state: LocalMediaState = {
    mic: undefined,
    micOn: true,
    camera: undefined,
    screen: undefined,
    facing: undefined,
    devices: NO_DEVICES,
    micId: undefined,
    cameraId: undefined,
    speakerId: undefined,
    problems: {},
    starting: true,
  };
  #queue: Promise<unknown> = Promise.resolve();
  #stopped = false;

  readonly on = this.#events.on.bind(this.#events);

  get state(): LocalMediaState {
    return this.#state;
  }

  /** Opens what the user wants; a device that fails is left off with its problem recorded. */
  start(want: { mic: boolean; camera: boolean }): Promise<void> {
    return this.#run(async () => {
      navigator.mediaDevices.addEventListener('devicechange', this.#refreshDevices);
      if (!want.camera) this.#dropCamera();
      // A camera already on (a ringing call's preview) stays: the call gets its picture at once.
      const opened = await openUserMedia({
        mic: this.#state.mic ? undefined : micConstraints(),
        camera: want.camera && !this.#state.camera ? cameraConstraints({}) : undefined,
      });
      if (opened.mic?.track) this.#adoptMic(opened.mic.track);
      if (opened.camera?.track) this.#adoptCamera(opened.camera.track);
      this.#update({
        micOn: want.mic,
        starting: false,
        problems: { microphone: opened.mic?.problem, camera: opened.camera?.problem },
      });
      if (this.#state.mic) this.#state.mic.enabled = want.mic;
      await this.#refreshDevices();
    });
  }

  setMic(on: boolean): Promise<void> {
    return this.#run(async () => {
      if (on && !this.#state.mic) await this.#openMic(this.#state.micId);
      if (this.#state.mic) this.#state.mic.enabled = on;
      this.#update({ micOn: on });
    });
  }

  setCamera(on: boolean): Promise<void> {
    return this.#run(async () => {
      if (!on) return this.#dropCamera();
      if (!this.#state.camera) await this.#openCamera({ deviceId: this.#state.cameraId });
    });
  }

  selectMic(deviceId: string): Promise<void> {
    return this.#run(() => this.#openMic(deviceId));
  }

  /** Picks a camera; with the camera off it is only remembered for when it comes on. */
  selectCamera(deviceId: string): Promise<void> {
    return this.#run(async () => {
      if (!this.#state.camera) return this.#update({ cameraId: deviceId });
      this.#dropCamera();
      await this.#openCamera({ deviceId });
    });
  }

  selectSpeaker(deviceId: string): void {
    this.#update({ speakerId: deviceId });
  }

  /** Front ↔ back where the camera says which way it faces (phones), else the next camera. */
  switchCamera(): Promise<void> {
    return this.#run(async () => {
      const { facing, devices, cameraId, camera } = this.#state;
      if (!camera) return;
      const next = facing ? undefined : nextCamera(devices.cameras, cameraId);
      if (!facing && !next) return;
      this.#dropCamera();
      await this.#openCamera(
        facing ? { facing: facing === 'user' ? 'environment' : 'user' } : { deviceId: next?.deviceId },
      );
    });
  }

  startScreen(): Promise<void> {
    return this.#run(async () => {
      if (this.#state.screen) return;
      const { capture, problem } = await openScreen();
      if (!capture) return this.#update({ problems: { ...this.#state.problems, screen: problem } });
      if (this.#stopped) return stopScreenTracks(capture);
      // The browser's own "Stop sharing" button ends the track without asking us.
      capture.video.addEventListener('ended', () => void this.stopScreen(), { once: true });
      this.#update({ screen: capture, problems: { ...this.#state.problems, screen: undefined } });
    });
  }

  stopScreen(): Promise<void> {
    return this.#run(async () => {
      if (this.#state.screen) stopScreenTracks(this.#state.screen);
      this.#update({ screen: undefined });
    });
  }

  /** Stops every track (all device lights off) and forgets them; the object is done. */
  stop(): void {
    this.#stopped = true;
    navigator.mediaDevices.removeEventListener('devicechange', this.#refreshDevices);
    const { mic, camera, screen } = this.#state;
    mic?.stop();
    camera?.stop();
    if (screen) stopScreenTracks(screen);
    this.#update({ mic: undefined, camera: undefined, screen: undefined });
    this.#events.clear();
  }

  #run(operation: () => Promise<void> | void): Promise<void> {
    const next = this.#queue.then(() => (this.#stopped ? undefined : operation()));
    this.#queue = next.catch(() => {});
    return next;
  }

  async #openMic(deviceId: string | undefined): Promise<void> {
    const { mic } = await openUserMedia({ mic: micConstraints(deviceId) });
    if (!mic?.track) return this.#update({ problems: { ...this.#state.problems, microphone: mic?.problem } });
    if (this.#stopped) return mic.track.stop();
    mic.track.enabled = this.#state.micOn;
    this.#state.mic?.stop();
    this.#adoptMic(mic.track);
    this.#update({ problems: { ...this.#state.problems, microphone: undefined } });
  }

  async #openCamera(choice: { deviceId?: string; facing?: Facing }): Promise<void> {
    const { camera } = await openUserMedia({ camera: cameraConstraints(choice) });
    if (!camera?.track) return this.#update({ problems: { ...this.#state.problems, camera: camera?.problem } });
    if (this.#stopped) return camera.track.stop();
    this.#adoptCamera(camera.track);
    this.#update({ problems: { ...this.#state.problems, camera: undefined } });
  }

  #adoptMic(track: MediaStreamTrack): void {
    track.addEventListener('ended', () => this.#state.mic === track && this.#update({ mic: undefined }), {
      once: true,
    });
    this.#update({ mic: track, micId: track.getSettings().deviceId });
  }

  #adoptCamera(track: MediaStreamTrack): void {
    // Unplugged or revoked: the camera is simply off.
    track.addEventListener('ended', () => this.#state.camera === track && this.#update({ camera: undefined }), {
      once: true,
    });
    this.#update({ camera: track, cameraId: track.getSettings().deviceId, facing: facingOf(track) });
  }

  #dropCamera(): void {
    this.#state.camera?.stop();
    this.#update({ camera: undefined });
  }

  readonly #refreshDevices = async (): Promise<void> => {
    const devices = await listDevices().catch(() => NO_DEVICES);
    if (!this.#stopped) this.#update({ devices });
  };

  #update(patch: Partial<LocalMediaState>): void {
    this.#state = { ...this.#state, ...patch };
    this.#events.emit('change', this.#state);
  }
}

function stopScreenTracks(capture: ScreenCapture): void {
  capture.video.stop();
  capture.audio?.stop();
}
