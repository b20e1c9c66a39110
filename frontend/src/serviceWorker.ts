// Registers public/sw.js in production builds: it caches the app shell and the built assets so that
// the visit screen reloads without a connection (API calls are never cached).
//
// Its install downloads every built file (all the lazy pages too, about 1.8 MB uncompressed), so it is
// registered a few seconds after the page has loaded, when the browser is idle: the first screen's own lazy
// chunks (the dashboard's charts) and API calls go first.

declare const __BUILD_ID__: string;

/** Delay after the `load` event: the first screen's lazy chunks are fetched after `load`, while React renders. */
const AFTER_LOAD_MS = 4_000;
/** How long to wait for an idle moment after that delay before registering anyway. */
const IDLE_TIMEOUT_MS = 5_000;

function register(): void {
  navigator.serviceWorker.register(`/sw.js?v=${encodeURIComponent(__BUILD_ID__)}`, { scope: '/' }).catch(() => {
    /* not fatal: the app works online without it */
  });
}

function whenIdle(fn: () => void): void {
  if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(fn, { timeout: IDLE_TIMEOUT_MS });
  else window.setTimeout(fn, 1_000);
}

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const later = () => window.setTimeout(() => whenIdle(register), AFTER_LOAD_MS);
  if (document.readyState === 'complete') later();
  else window.addEventListener('load', later, { once: true });
}
