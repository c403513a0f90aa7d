// Inkling's service worker: the playground works offline after the first visit.
// scripts/service-worker.sh writes the build's version and file lists in (a trunk hook), so
// every build has its own cache, and a new build's worker replaces the old cache when it
// takes over on the next visit.
"use strict";
const VERSION = "__VERSION__";
const CACHE = "inkling-app-" + VERSION;
// What drawing needs: cached before the worker takes over.
const SHELL = __SHELL__;
// The trainer and MNIST: cached next, in the background, so that training works offline too.
const LATER = __LATER__;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      // Older builds' caches go; the trainer's own dataset cache (inkling-data-*) stays.
      for (const name of await caches.keys()) {
        if (name.startsWith("inkling-app-") && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
      const cache = await caches.open(CACHE);
      for (const path of LATER) {
        if (!(await cache.match(path))) {
          try {
            await cache.add(path);
          } catch (e) {
            console.warn("Inkling could not keep " + path + " for offline use:", e);
          }
        }
      }
    })()
  );
});

// Files named with a content hash never change: the cache answers. Everything else (the page,
// the trainer, models, datasets) comes from the network when it can, so a new build shows at
// once, and from the cache when it cannot.
const HASHED = /-[0-9a-f]{8,}(_bg)?\.(js|wasm|css)$/;

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.endsWith("/sw.js")) return;
  event.respondWith(HASHED.test(url.pathname) ? cacheFirst(request) : networkFirst(request));
});

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !request.headers.has("range")) cache.put(request, response.clone());
    return response;
  } catch (offline) {
    // The page's address carries settings (?preset=...): any address of the page is the page.
    const hit =
      (await cache.match(request)) ||
      (await cache.match(request, { ignoreSearch: true })) ||
      (request.mode === "navigate" ? await cache.match("./index.html") : undefined);
    if (hit) return hit;
    throw offline;
  }
}
