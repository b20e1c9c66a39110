/* OCOP Inspect service worker (hand-written, no build plugin).
 *
 * Keeps the app shell (index.html) and the built assets in a cache, so that a page opened before
 * (the visit screen on a tablet) reloads without a connection. Pages are fetched network-first
 * (a fresh index.html is kept for later); hashed assets cache-first. API calls, the API docs and
 * the health endpoints are never cached: the browser fetches them as if there were no worker.
 *
 * Registered by the production build as /sw.js?v=<build id>: a new build installs a new worker,
 * which precaches the files listed in /sw-assets.json (written by the build) and drops older caches.
 */
const BUILD = new URL(self.location.href).searchParams.get('v') || 'dev';
const CACHE = `ocop-shell-${BUILD}`;
const SHELL = '/index.html';
const BYPASS = /^\/(api|docs|redoc|healthz|readyz|metrics)(\/|$)/;

async function precache() {
  const cache = await caches.open(CACHE);
  let assets = [];
  try {
    const res = await fetch('/sw-assets.json', { cache: 'no-store' });
    if (res.ok) assets = await res.json();
  } catch {
    /* offline while installing: the runtime cache still fills as pages load */
  }
  const urls = [SHELL, '/favicon.svg', ...assets.map((a) => `/${a}`)];
  await Promise.all(
    urls.map(async (url) => {
      try {
        const res = await fetch(url, { cache: 'no-store' });
        if (res.ok) await cache.put(url, res);
      } catch {
        /* one missing file must not fail the whole install */
      }
    }),
  );
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith('ocop-shell-') && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

async function page(request) {
  const cache = await caches.open(CACHE);
  try {
    const res = await fetch(request);
    if (res.ok && (res.headers.get('content-type') || '').includes('text/html')) {
      await cache.put(SHELL, res.clone());
    }
    return res;
  } catch (err) {
    const cached = await cache.match(SHELL);
    if (cached) return cached;
    throw err;
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const res = await fetch(request);
  if (res.ok && res.type === 'basic') await cache.put(request, res.clone());
  return res;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || BYPASS.test(url.pathname)) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(request));
  } else {
    event.respondWith(asset(request));
  }
});
