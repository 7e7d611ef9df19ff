/**
 * What this browser can do beyond a basic call, detected rather than assumed: the UI offers a
 * control only where it works, and says so where a feature comes with less. Each check takes the
 * globals it reads, so its answer for another engine can be tested in Node.
 *
 * Known gaps: iOS and Android browsers have no getDisplayMedia (no screen sharing); Firefox and
 * Safari capture a screen without its audio; older Safari and iPhones have no setSinkId (no
 * speaker picker); Firefox has no picture-in-picture API for pages; iPhones have no element fullscreen.
 */

/** getDisplayMedia exists: desktop browsers. */
export function canShareScreen(nav: Pick<Navigator, 'mediaDevices'> | undefined): boolean {
  return typeof nav?.mediaDevices?.getDisplayMedia === 'function';
}

/** Audio can be routed to a chosen output (HTMLMediaElement.setSinkId). */
export function canPickSpeaker(media: { prototype: object } | undefined): boolean {
  return media !== undefined && 'setSinkId' in media.prototype;
}

/** Picture-in-picture for a <video> (the standard API; Firefox has only its own video overlay button). */
export function canPictureInPicture(doc: Pick<Document, 'pictureInPictureEnabled'>): boolean {
  return doc.pictureInPictureEnabled === true;
}

/** Element fullscreen (not on iPhones). */
export function canFullscreen(doc: Pick<Document, 'fullscreenEnabled'>): boolean {
  return doc.fullscreenEnabled === true;
}

/**
 * What to tell someone sharing a screen that came without sound: the browser gives none (Firefox,
 * Safari), or the user did not tick "share audio", or chose a window, which has none.
 */
export function screenShareNote(screen: { audio: MediaStreamTrack | undefined } | undefined): string | undefined {
  if (!screen || screen.audio) return undefined;
  return 'Your screen is shared without sound: this browser, or the window you chose, gives none to share.';
}
