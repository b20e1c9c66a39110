// Registers public/sw.js in production builds: it caches the app shell and the built assets so that
// the visit screen reloads without a connection (API calls are never cached).

declare const __BUILD_ID__: string;

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register(`/sw.js?v=${encodeURIComponent(__BUILD_ID__)}`, { scope: '/' }).catch(() => {
    /* not fatal: the app works online without it */
  });
}
