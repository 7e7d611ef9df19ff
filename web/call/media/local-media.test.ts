import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeMediaDevices, type FakeTrack } from '../testing/fake-media.ts';
import { LocalMedia, mediaStateOf } from './local-media.ts';

let devices: FakeMediaDevices;

beforeEach(() => {
  devices = new FakeMediaDevices();
  vi.stubGlobal('navigator', { mediaDevices: devices });
});

afterEach(() => vi.unstubAllGlobals());

async function started(want = { mic: true, camera: true }) {
  const media = new LocalMedia();
  await media.start(want);
  return media;
}

const track = (media: LocalMedia, kind: 'mic' | 'camera') => media.state[kind] as unknown as FakeTrack | undefined;

describe('local media', () => {
  it('opens both devices and lists them', async () => {
    const media = await started();
    expect(track(media, 'mic')?.deviceId).toBe('mic-1');
    expect(track(media, 'camera')?.deviceId).toBe('cam-1');
    expect(media.state.devices.cameras.map((camera) => camera.deviceId)).toEqual(['cam-1', 'cam-2']);
    expect(mediaStateOf(media.state)).toEqual({ mic: true, camera: true, screen: false });
  });

  it("keeps a camera already on (a ringing call's preview) and opens only the microphone", async () => {
    const media = new LocalMedia();
    await media.setCamera(true);
    const preview = track(media, 'camera');
    expect(media.state.mic).toBeUndefined();
    await media.start({ mic: true, camera: true });
    expect(track(media, 'camera')).toBe(preview);
    expect(preview?.stopped).toBe(false);
    expect(track(media, 'mic')?.deviceId).toBe('mic-1');
    expect(devices.opened.map((opened) => opened.deviceId)).toEqual(['cam-1', 'mic-1']);
    expect(media.state.starting).toBe(false);
  });

  it('turns a previewed camera off when the call starts without it', async () => {
    const media = new LocalMedia();
    await media.setCamera(true);
    const preview = track(media, 'camera');
    await media.start({ mic: true, camera: false });
    expect(preview?.stopped).toBe(true);
    expect(media.state.camera).toBeUndefined();
    expect(mediaStateOf(media.state)).toEqual({ mic: true, camera: false, screen: false });
  });

  it('mutes by disabling the track, which stays (unmuting is instant)', async () => {
    const media = await started();
    const mic = track(media, 'mic');
    await media.setMic(false);
    expect(track(media, 'mic')).toBe(mic);
    expect(mic?.enabled).toBe(false);
    expect(mediaStateOf(media.state).mic).toBe(false);
    await media.setMic(true);
    expect(mic?.enabled).toBe(true);
  });

  it('turns the camera off by stopping it (light off), and on with a fresh track', async () => {
    const media = await started();
    const first = track(media, 'camera');
    await media.setCamera(false);
    expect(first?.stopped).toBe(true);
    expect(media.state.camera).toBeUndefined();
    await media.setCamera(true);
    expect(track(media, 'camera')).not.toBe(first);
    expect(track(media, 'camera')?.deviceId).toBe('cam-1');
  });

  it('switches to the next camera, stopping the old one first', async () => {
    const media = await started();
    const first = track(media, 'camera');
    await media.switchCamera();
    expect(first?.stopped).toBe(true);
    expect(track(media, 'camera')?.deviceId).toBe('cam-2');
    await media.switchCamera();
    expect(track(media, 'camera')?.deviceId).toBe('cam-1');
  });

  it('switches front and back where the camera says which way it faces (phones)', async () => {
    devices.phone = true;
    const media = await started();
    const front = track(media, 'camera');
    expect(media.state.facing).toBe('user');
    await media.switchCamera();
    expect(front?.stopped).toBe(true);
    expect(media.state.facing).toBe('environment');
    await media.switchCamera();
    expect(media.state.facing).toBe('user');
  });

  it('joins with no devices when none works, each failure with its reason', async () => {
    devices.fail = { audio: 'NotAllowedError', video: 'NotFoundError' };
    const media = await started();
    expect(media.state.mic).toBeUndefined();
    expect(media.state.camera).toBeUndefined();
    expect(media.state.problems.microphone?.kind).toBe('denied');
    expect(media.state.problems.camera?.kind).toBe('missing');
    expect(media.state.starting).toBe(false);
    expect(mediaStateOf(media.state)).toEqual({ mic: false, camera: false, screen: false });
  });

  it('keeps the microphone when only the camera fails, and clears the problem once it works', async () => {
    devices.fail = { video: 'NotReadableError' };
    const media = await started();
    expect(track(media, 'mic')).toBeDefined();
    expect(media.state.problems.camera?.kind).toBe('busy');
    devices.fail = {};
    await media.setCamera(true);
    expect(media.state.camera).toBeDefined();
    expect(media.state.problems.camera).toBeUndefined();
  });

  it('shares the screen with its audio, marked as detail; the browser ending it ends the share', async () => {
    const media = await started();
    await media.startScreen();
    const screen = media.state.screen;
    expect(screen?.video.contentHint).toBe('detail');
    expect(screen?.audio).toBeDefined();
    expect(mediaStateOf(media.state).screen).toBe(true);
    screen?.video.dispatchEvent(new Event('ended'));
    await vi.waitFor(() => expect(media.state.screen).toBeUndefined());
    expect((screen?.audio as unknown as FakeTrack | undefined)?.stopped).toBe(true);
    // The camera was never touched.
    expect(track(media, 'camera')?.stopped).toBe(false);
  });

  it('runs operations in order, so fast toggling ends where the last click says', async () => {
    const media = await started();
    void media.setCamera(false);
    void media.setCamera(true);
    await media.setCamera(false);
    expect(media.state.camera).toBeUndefined();
    expect(devices.opened.filter((t) => t.kind === 'video').every((t) => t.stopped)).toBe(true);
  });

  it('stops every track when stopped', async () => {
    const media = await started();
    await media.startScreen();
    media.stop();
    expect(devices.opened.every((t) => t.stopped)).toBe(true);
  });
});
