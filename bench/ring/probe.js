/**
 * Injected into the app's pages by `npm run bench:ring`, before the app's own scripts, beside
 * bench/call/probe.js (which times the first remote video frame). Epoch ms, comparable between
 * the two pages of a ring:
 * - `callAt`: a "Call <name>" button is clicked (capturing listener, before the app's own);
 * - `dialogAt`: an incoming-call dialog is open and painted (the frame after it opened);
 * - `acceptAt`: its "Accept" is clicked.
 */
(() => {
  const ring = { callAt: undefined, dialogAt: undefined, acceptAt: undefined };
  window.__ring = ring;
  const now = () => performance.timeOrigin + performance.now();

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
