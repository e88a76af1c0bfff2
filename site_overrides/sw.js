// Service worker: the site keeps working offline after one visit of check/, and never mixes
// old and new files.
//
// offline.json (written at build time, generator/site/offline.py) names every file with its
// sha256. Files are cached under "<url>?zc-sha256=<hash>" and a cached copy is used only while the
// current offline.json names that very hash; a downloaded file enters the cache only when its
// bytes have that hash. offline.json is fetched again with every page opened online, so an
// updated file is fetched anew on the next online visit; files no longer listed are deleted.
// Offline, the last offline.json that was seen and its files answer everything.
//
// The page asks for the whole list to be stored ({type: "precache"}, sent by check.js once the
// validator is ready — the large runtime is then already in the HTTP cache).
"use strict";

const CACHE = "zc-offline-v1";
const MANIFEST_KEY = "offline.json";
const SCOPE = new URL("./", self.location.href).href;
let manifest = null;           // {version, bytes, files: {url: sha256}}
let precached = false;         // the page asked for everything to be stored

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function relative(url) {
  const href = url.split("#")[0].split("?")[0];
  if (!href.startsWith(SCOPE)) return null;
  const rel = href.slice(SCOPE.length);
  if (rel === "" || rel === "index.html") return "./";
  return rel.endsWith("/index.html") ? rel.slice(0, -"index.html".length) : rel;
}

function key(rel, hash) {
  return SCOPE + (rel === "./" ? "" : rel) + "?zc-sha256=" + hash;  // Cache API ignores "#…"
}

async function sha256(buffer) {
  const digest = await crypto.subtle.digest("SHA-256", buffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function loadManifest() {
  if (manifest) return manifest;
  const cache = await caches.open(CACHE);
  const stored = await cache.match(SCOPE + MANIFEST_KEY);
  if (stored) {
    const data = await stored.json();
    manifest = data.manifest;
    precached = data.precached;
  }
  return manifest;
}

async function saveManifest() {
  const cache = await caches.open(CACHE);
  await cache.put(SCOPE + MANIFEST_KEY, new Response(JSON.stringify({ manifest, precached }),
    { headers: { "content-type": "application/json" } }));
}

/** Fetches offline.json; on a new version, switches to it and drops files no longer listed. */
async function refreshManifest() {
  let fresh;
  try {
    const response = await fetch(SCOPE + MANIFEST_KEY, { cache: "no-cache" });
    if (!response.ok) return loadManifest();
    fresh = await response.json();
  } catch (err) {
    return loadManifest();  // offline: keep the last one
  }
  await loadManifest();
  if (!manifest || manifest.version !== fresh.version) {
    manifest = fresh;
    await saveManifest();
    await prune();
    if (precached) storeAll();  // an update: fetch the changed files while online
  }
  return manifest;
}

async function prune() {
  const cache = await caches.open(CACHE);
  const keep = new Set(Object.entries(manifest.files).map(([rel, hash]) => key(rel, hash)));
  keep.add(SCOPE + MANIFEST_KEY);
  for (const request of await cache.keys()) {
    if (!keep.has(request.url)) await cache.delete(request);
  }
}

/** The network's answer for rel, stored when its bytes have the listed hash. */
async function fetchAndStore(request, rel, hash) {
  let response = await fetch(request);
  if (response.ok && response.status === 200 && hash) {
    // The browser's HTTP cache may still hold the previous version (heuristic freshness from
    // Last-Modified): when the bytes are not the listed ones, ask the server again.
    if ((await sha256(await response.clone().arrayBuffer())) !== hash) {
      response = await fetch(request.url, { cache: "no-cache", credentials: "same-origin" });
    }
  }
  if (response.ok && response.status === 200 && hash) {
    const body = await response.clone().arrayBuffer();
    if ((await sha256(body)) === hash) {
      const cache = await caches.open(CACHE);
      await cache.put(key(rel, hash), response.clone());
    }
  }
  return response;
}

let storing = null;
function storeAll() {
  if (storing) return storing;
  storing = (async () => {
    const cache = await caches.open(CACHE);
    for (const [rel, hash] of Object.entries(manifest.files)) {
      if (await cache.match(key(rel, hash))) continue;
      try {
        await fetchAndStore(new Request(SCOPE + (rel === "./" ? "" : rel)), rel, hash);
      } catch (err) {
        break;  // offline again: the rest next time
      }
    }
  })().finally(() => { storing = null; });
  return storing;
}

async function respond(event, rel) {
  const request = event.request;
  const isPage = request.mode === "navigate";
  // A page opened online: its fresh copy and the fresh file list, fetched side by side, so the
  // page's assets are then looked up under the new hashes.
  const current = isPage ? await refreshManifest() : await loadManifest();
  const hash = current && current.files[rel];
  if (hash && rel.endsWith(".wasm")) {
    // Online, the wasm comes from the network and the HTTP cache, where the browser keeps the
    // code it compiled for the next visit; a copy from this cache is compiled anew every time
    // (measured: a warm start of the check page ~1.5 s slower). Offline, the stored copy.
    try {
      const response = await fetch(request);
      if (response.ok) return response;
    } catch (err) {
      // no network: the stored copy below
    }
  }
  if (hash) {
    const cached = await caches.match(key(rel, hash));
    if (cached) return cached;
    try {
      return await fetchAndStore(request, rel, hash);
    } catch (err) {
      return offlineAnswer(isPage);
    }
  }
  try {
    return await fetch(request);
  } catch (err) {
    return offlineAnswer(isPage);
  }
}

function offlineAnswer(isPage) {
  const text = isPage
    ? "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
      "<title>离线</title><p>当前没有网络，这一页尚未保存在本机。请联网后再打开。</p>"
    : "";
  return new Response(text, { status: 503, headers: { "content-type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.headers.has("range")) return;
  const rel = relative(request.url);
  if (rel === null || rel === MANIFEST_KEY || rel === "sw.js") return;
  event.respondWith(respond(event, rel));
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "precache") return;
  event.waitUntil((async () => {
    await refreshManifest();
    if (!manifest) return;
    precached = true;
    await saveManifest();
    await storeAll();
    const source = event.source;
    if (source) source.postMessage({ type: "precached", version: manifest.version });
  })());
});
