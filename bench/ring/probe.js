/**
 * Injected into the app's pages by `npm run bench:ring`, before the app's own scripts, beside
 * bench/call/probe.js (which times the first remote video frame). Epoch ms, comparable between
 * the two pages of a ring:
 * - `callAt`: a "Call <name>" button is clicked (capturing listener, before the app's own);
 * - `dialogAt`: an incoming-call dialog is open and painted (the frame after it opened);
 * - `acceptAt`: its "Accept" is clicked;
 * - `heardAt`: the tab's user line delivers the incoming ring (`onmessage` of the `call` message,
 *   the app's own listener not run yet), so the ring splits into the trip through the two lines
 *   (timed as the echo is) and the dialog's render and paint.
 */
(() => {
  const ring = { callAt: undefined, dialogAt: undefined, acceptAt: undefined, heardAt: undefined };
  window.__ring = ring;
  const now = () => performance.timeOrigin + performance.now();

  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      if (!String(args[0]).endsWith('/api/line/ws')) return;
      // Listening before the app does: its handler runs after this one.
      this.addEventListener('message', (event) => {
        const text = String(event.data);
        if (text.includes('"direction":"incoming"') && text.includes('"outcome":"ringing"')) ring.heardAt ??= now();
      });
    }
  };

  document.addEventListener(
    'click',
    (event) => {
      const button = event.target instanceof Element ? event.target.closest('button') : null;
      const name = (button?.getAttribute('aria-label') ?? button?.textContent ?? '').trim();
      if (/^Call \S/.test(name)) ring.callAt ??= now();
      if (name === 'Accept') ring.acceptAt ??= now();
    },
    true,
  );

  new MutationObserver(() => {
    if (ring.dialogAt !== undefined || !document.querySelector('dialog[open]')) return;
    requestAnimationFrame(() => {
      ring.dialogAt ??= now();
    });
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['open'] });
})();
