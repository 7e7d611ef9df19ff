import { describe, expect, it } from 'vitest';
import { canFullscreen, canPickSpeaker, canPictureInPicture, canShareScreen, screenShareNote } from './capabilities.ts';

/** The shapes each engine shows: Chromium on a desktop, Firefox, Safari on an iPhone. */
const chromium = {
  navigator: { mediaDevices: { getDisplayMedia: () => {} } },
  HTMLMediaElement: { prototype: { setSinkId: () => {} } },
  document: { pictureInPictureEnabled: true, fullscreenEnabled: true },
};
const firefox = {
  navigator: { mediaDevices: { getDisplayMedia: () => {} } },
  HTMLMediaElement: { prototype: { setSinkId: () => {} } },
  // No document.pictureInPictureEnabled at all.
  document: { fullscreenEnabled: true },
};
const iphone = {
  navigator: { mediaDevices: {} },
  HTMLMediaElement: { prototype: {} },
  document: { pictureInPictureEnabled: true },
};

const check = (engine: typeof chromium | typeof firefox | typeof iphone) => ({
  screen: canShareScreen(engine.navigator as unknown as Navigator),
  speaker: canPickSpeaker(engine.HTMLMediaElement),
  pip: canPictureInPicture(engine.document as Document),
  fullscreen: canFullscreen(engine.document as Document),
});

describe('browser capabilities', () => {
  it('Chromium on a desktop can do everything', () => {
    expect(check(chromium)).toEqual({ screen: true, speaker: true, pip: true, fullscreen: true });
  });

  it('Firefox has no picture-in-picture API', () => {
    expect(check(firefox)).toEqual({ screen: true, speaker: true, pip: false, fullscreen: true });
  });

  it('an iPhone shares no screen, picks no speaker and has no element fullscreen', () => {
    expect(check(iphone)).toEqual({ screen: false, speaker: false, pip: true, fullscreen: false });
  });

  it('no navigator or media elements at all (server rendering, old browsers): nothing', () => {
    expect(canShareScreen(undefined)).toBe(false);
    expect(canShareScreen({} as Navigator)).toBe(false);
    expect(canPickSpeaker(undefined)).toBe(false);
  });
});

describe('screen share note', () => {
  const track = {} as MediaStreamTrack;

  it('says the share has no sound when the capture came without an audio track', () => {
    expect(screenShareNote({ audio: undefined })).toMatch(/without sound/);
  });

  it('says nothing with the screen’s audio, or with no share', () => {
    expect(screenShareNote({ audio: track })).toBeUndefined();
    expect(screenShareNote(undefined)).toBeUndefined();
  });
});
