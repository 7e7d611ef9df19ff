/**
 * Opening cameras, microphones and screens, and listing them: thin wrappers over mediaDevices that
 * turn rejections into DeviceProblems (device-errors.ts) and keep the choice of constraints in
 * one place.
 */
import { type Device, type DeviceProblem, describeProblem } from './device-errors.ts';

export type Facing = 'user' | 'environment';

export interface DeviceLists {
  cameras: MediaDeviceInfo[];
  mics: MediaDeviceInfo[];
  speakers: MediaDeviceInfo[];
}

export type Opened = { track: MediaStreamTrack; problem?: undefined } | { track?: undefined; problem: DeviceProblem };

/** A chosen device wins; otherwise the front camera is asked for (phones), else the default. */
export function cameraConstraints(choice: { deviceId?: string; facing?: Facing }): MediaTrackConstraints {
  if (choice.deviceId) return { deviceId: { exact: choice.deviceId } };
  // `exact` when switching sides on purpose: an `ideal` facingMode may quietly give the same camera.
  if (choice.facing) return { facingMode: { exact: choice.facing } };
  return { facingMode: 'user' };
}

export function micConstraints(deviceId?: string): MediaTrackConstraints {
  const base = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
  return deviceId ? { ...base, deviceId: { exact: deviceId } } : base;
}

/**
 * Opens the microphone and the camera with one permission prompt; when that fails, opens each on
 * its own so that a missing or blocked camera does not also cost the microphone (and each failure
 * gets its own reason).
 */
export async function openUserMedia(want: {
  mic?: MediaTrackConstraints;
  camera?: MediaTrackConstraints;
}): Promise<{ mic?: Opened; camera?: Opened }> {
  if (want.mic && want.camera) {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: want.mic, video: want.camera });
      const [mic] = stream.getAudioTracks();
      const [camera] = stream.getVideoTracks();
      if (mic && camera) return { mic: { track: mic }, camera: { track: camera } };
      for (const track of stream.getTracks()) track.stop();
    } catch {
      // Fall through: one at a time tells which device is at fault.
    }
  }
  const mic = want.mic ? await openOne('microphone', { audio: want.mic }) : undefined;
  const camera = want.camera ? await openOne('camera', { video: want.camera }) : undefined;
  return { mic, camera };
}

async function openOne(device: Device, constraints: MediaStreamConstraints): Promise<Opened> {
  try {
    const stream = await navigator.mediaDevices.getUserMedia(constraints);
    const [track] = stream.getTracks();
    if (track) return { track };
    return { problem: describeProblem(device, new DOMException('no track', 'NotFoundError')) };
  } catch (error) {
    return { problem: describeProblem(device, error) };
  }
}

export interface ScreenCapture {
  video: MediaStreamTrack;
  /** Tab or system audio, when the user ticked "share audio" (and the platform offers it). */
  audio: MediaStreamTrack | undefined;
}

/** Asks the user for a screen, window or tab, with its audio. */
export async function openScreen(): Promise<{ capture?: ScreenCapture; problem?: DeviceProblem }> {
  try {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: true });
    const [video] = stream.getVideoTracks();
    if (!video) return { problem: describeProblem('screen', new DOMException('no video', 'NotFoundError')) };
    // Encoders favour sharp detail over motion for "detail" content: text stays readable.
    video.contentHint = 'detail';
    return { capture: { video, audio: stream.getAudioTracks()[0] } };
  } catch (error) {
    return { problem: describeProblem('screen', error) };
  }
}

/** Lists devices; before permission is granted browsers hide them (empty ids), so those are left out. */
export async function listDevices(): Promise<DeviceLists> {
  const all = (await navigator.mediaDevices.enumerateDevices()).filter((device) => device.deviceId !== '');
  return {
    cameras: all.filter((device) => device.kind === 'videoinput'),
    mics: all.filter((device) => device.kind === 'audioinput'),
    speakers: all.filter((device) => device.kind === 'audiooutput'),
  };
}

/** The camera after the current one, round the list; undefined with fewer than two. */
export function nextCamera(cameras: readonly Pick<MediaDeviceInfo, 'deviceId'>[], currentId: string | undefined) {
  if (cameras.length < 2) return undefined;
  const index = cameras.findIndex((camera) => camera.deviceId === currentId);
  return cameras[(index + 1) % cameras.length];
}

/** The side a camera track faces, when the platform says (phones do, most webcams do not). */
export function facingOf(track: MediaStreamTrack | undefined): Facing | undefined {
  const facing = track?.getSettings().facingMode;
  return facing === 'user' || facing === 'environment' ? facing : undefined;
}
