/**
 * The answer's floor: how long the browser itself takes to show a video track given to a
 * connection that is already up, with no signaling and no server at all. Two peer connections in
 * one page, connected with a video transceiver and no track on it (a standby's state at Accept,
 * protocol/signaling.ts); then the fake camera's track goes on the sender (`replaceTrack`, what
 * Accept does), timed to the first frame the receiving <video> presents (requestVideoFrameCallback's
 * presentationTime). No answer can beat it without sending media before Accept.
 */
import type { Browser } from 'playwright-core';

/** Runs in the page; a string, so that no bundler helper leaks into it. */
const FIRST_FRAME_AFTER_TRACK = `(async () => {
  const sender = new RTCPeerConnection();
  const receiver = new RTCPeerConnection();
  sender.onicecandidate = (event) => event.candidate && receiver.addIceCandidate(event.candidate);
  receiver.onicecandidate = (event) => event.candidate && sender.addIceCandidate(event.candidate);
  const transceiver = sender.addTransceiver('video', { direction: 'sendrecv' });
  const video = document.createElement('video');
  video.muted = true;
  video.autoplay = true;
  receiver.ontrack = (event) => { video.srcObject = new MediaStream([event.track]); };
  document.body.append(video);
  await sender.setLocalDescription();
  await receiver.setRemoteDescription(sender.localDescription);
  await receiver.setLocalDescription();
  await sender.setRemoteDescription(receiver.localDescription);
  await new Promise((resolve) => {
    const check = () => (sender.connectionState === 'connected' ? resolve() : setTimeout(check, 10));
    check();
  });
  const camera = await navigator.mediaDevices.getUserMedia({ video: true });
  const frame = new Promise((resolve) => video.requestVideoFrameCallback((_, meta) => resolve(meta.presentationTime)));
  const attachedAt = performance.now();
  await transceiver.sender.replaceTrack(camera.getVideoTracks()[0]);
  const shownAt = await frame;
  for (const track of camera.getTracks()) track.stop();
  sender.close();
  receiver.close();
  video.remove();
  return shownAt - attachedAt;
})()`;

/** A blank page at a loopback address (a secure context, where the camera may open), served by the test itself. */
const BLANK = 'http://127.0.0.1/answer-floor';

export async function answerFloor(browser: Browser): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.route(BLANK, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>floor</title>' }),
    );
    await page.goto(BLANK);
    return await page.evaluate<number>(FIRST_FRAME_AFTER_TRACK);
  } finally {
    await context.close();
  }
}
