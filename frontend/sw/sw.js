// Skillmark's service worker (hand-written; the build fills in PRECACHE and VERSION, see
// scripts/service-worker.mjs). It keeps the app's files on the device so the judge's tablet app
// opens without a network:
// - install: the start page and every built file (hashed, so they never change);
// - page loads: network first (a new release shows at once), the kept start page offline;
// - /assets/: from the cache, else the network (and kept);
// - the API is never touched: the marking app keeps its own copy of the data in IndexedDB.
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const CACHE = `skillmark-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(['/', '/manifest.json', '/favicon.svg', ...PRECACHE]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('skillmark-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname === '/healthz' || url.pathname === '/readyz') return;

  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request)
        .then((response) => {
          // The sign-in page arrives rendered (login.<locale>.html): not a start page for others.
          if (response.ok && url.pathname !== '/login') {
            const copy = response.clone();
            void caches.open(CACHE).then((cache) => cache.put('/', copy));
          }
          return response;
        })
        .catch(() => caches.match('/', { cacheName: CACHE }).then((r) => r ?? Response.error())),
    );
    return;
  }

  event.respondWith(
    caches.match(request, { cacheName: CACHE }).then(
      (hit) =>
        hit ??
        fetch(request).then((response) => {
          if (response.ok && url.pathname.startsWith('/assets/')) {
            const copy = response.clone();
            void caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        }),
    ),
  );
});
