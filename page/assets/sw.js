// The follow-along page's service worker: pages tell it which files to keep
// (the page, its audio, handout and cues); it serves them from the network
// when it answers, and from what it kept when it does not. Audio is asked
// for in byte ranges, which it cuts from the kept file.
"use strict";
const CACHE = "routinecast-follow";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", e => e.waitUntil(self.clients.claim()));

// A page sends {keep: [names relative to itself], stamp}; files already
// kept under the same stamp are not fetched again.
self.addEventListener("message", e => {
  const port = e.ports[0];
  const { keep, stamp } = e.data || {};
  if (!Array.isArray(keep)) return;
  e.waitUntil((async () => {
    try {
      const cache = await caches.open(CACHE);
      const base = new URL(e.source && e.source.url || self.registration.scope);
      const urls = keep.map(n => new URL(n, base).href);
      const mark = new URL(".routinecast-stamp?" + encodeURIComponent(urls[0]), base).href;
      const old = await cache.match(mark);
      const fresh = old && (await old.text()) === stamp && (await Promise.all(urls.map(u => cache.match(u)))).every(Boolean);
      if (!fresh) {
        for (const u of urls) {
          const res = await fetch(u, { cache: "no-cache" });
          if (!res.ok) throw new Error(u + ": " + res.status);
          await cache.put(u, res);
        }
        await cache.put(mark, new Response(stamp));
      }
      port && port.postMessage({ ok: true });
    } catch (err) {
      port && port.postMessage({ ok: false, error: String(err) });
    }
  })());
});

self.addEventListener("fetch", e => {
  const req = e.request;
  if (req.method !== "GET" || new URL(req.url).origin !== location.origin) return;
  e.respondWith((async () => {
    const range = req.headers.get("range");
    if (range) {
      // Kept audio is cut here, not fetched again: a phone may play it
      // without a network.
      const kept = await caches.match(req.url, { ignoreSearch: true });
      if (kept) return cut(kept, range);
    }
    try {
      return await fetch(req);
    } catch (err) {
      const kept = await caches.match(req.url, { ignoreSearch: true }) ||
        (req.mode === "navigate" && await caches.match(new URL("./", req.url).href));
      if (kept) return range ? cut(kept, range) : kept;
      throw err;
    }
  })());
});

// cut answers a Range request from a whole response.
async function cut(res, range) {
  const blob = await res.blob();
  const size = blob.size;
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  let start = 0, end = size - 1;
  if (m && m[1] !== "") { start = +m[1]; if (m[2] !== "") end = Math.min(+m[2], size - 1); }
  else if (m && m[2] !== "") start = Math.max(size - +m[2], 0);
  if (!m || start >= size || start > end) {
    return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${size}` } });
  }
  return new Response(blob.slice(start, end + 1), {
    status: 206,
    headers: {
      "Content-Type": res.headers.get("Content-Type") || "application/octet-stream",
      "Content-Range": `bytes ${start}-${end}/${size}`,
      "Content-Length": String(end - start + 1),
      "Accept-Ranges": "bytes",
    },
  });
}
