/**
 * Injected into every benchmark page (bare and app alike) before any of its own scripts, so both
 * are timed the same way without either cooperating:
 * - `clickAt`: when a "Join call" button is clicked (capturing listener, before the page's own);
 * - `firstFrameAt`: when the first frame of a remote video track reaches the compositor
 *   (requestVideoFrameCallback's presentationTime). A track is remote when it is the track of a
 *   receiver of one of the page's RTCPeerConnections; a video element is watched whenever a
 *   stream is assigned to it, and the check is made when its first frame arrives.
 * - `navigationAt`: when the page's navigation started (its time origin), for the variants that
 *   time opening the link;
 * - with `window.__benchAutoJoin` set before load (measure.ts), "Join call" is clicked the moment
 *   it is enabled, watched with a MutationObserver: no polling interval is added to the time.
 * Times are epoch ms (timeOrigin + page clock), comparable between the two pages of a call.
 * `route()` names the local and remote candidate types the call ended up on ("host/host",
 * "relay/relay"), so a relay-only run proves that it went through TURN.
 */
(() => {
  const bench = { clickAt: undefined, firstFrameAt: undefined, navigationAt: performance.timeOrigin };
  window.__bench = bench;
  const epoch = (pageTime) => performance.timeOrigin + pageTime;
  const isJoin = (element) => element.textContent?.trim() === 'Join call';

  // The flag is set by a page init script, which runs after this one: it is read when the DOM changes.
  const joinWhenEnabled = () => {
    const button = [...document.querySelectorAll('button')].find((each) => isJoin(each) && !each.disabled);
    button?.click();
    return button !== undefined;
  };
  const observer = new MutationObserver(() => window.__benchAutoJoin && joinWhenEnabled() && observer.disconnect());
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] });
  document.addEventListener('DOMContentLoaded', () => window.__benchAutoJoin || observer.disconnect());

  document.addEventListener(
    'click',
    (event) => {
      const button = event.target instanceof Element ? event.target.closest('button') : null;
      if (button && isJoin(button)) bench.clickAt ??= epoch(performance.now());
    },
    true,
  );

  const peerConnections = [];
  const NativePeerConnection = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends NativePeerConnection {
    constructor(...args) {
      super(...args);
      peerConnections.push(this);
    }
  };
  const isRemote = (track) =>
    peerConnections.some((pc) => pc.getReceivers().some((receiver) => receiver.track === track));
  bench.route = async () => {
    const pc = peerConnections.findLast((each) => each.connectionState === 'connected');
    const report = pc ? await pc.getStats() : new Map();
    for (const transport of report.values()) {
      const pair = transport.type === 'transport' && report.get(transport.selectedCandidatePairId);
      if (pair)
        return `${report.get(pair.localCandidateId)?.candidateType}/${report.get(pair.remoteCandidateId)?.candidateType}`;
    }
    return 'none';
  };

  const watch = (video) => {
    video.requestVideoFrameCallback((_now, metadata) => {
      const stream = video.srcObject;
      const remote = stream instanceof MediaStream && stream.getVideoTracks().some(isRemote);
      if (remote) bench.firstFrameAt ??= epoch(metadata.presentationTime);
      else if (bench.firstFrameAt === undefined && video.srcObject === stream) watch(video);
    });
  };
  const srcObject = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject');
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
    ...srcObject,
    set(value) {
      srcObject.set.call(this, value);
      if (value && this instanceof HTMLVideoElement && bench.firstFrameAt === undefined) watch(this);
    },
  });
})();
