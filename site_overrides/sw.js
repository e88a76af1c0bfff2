// Service worker: the site keeps working offline after one visit of check/, and never mixes
// old and new files.
//
// The lists are written at build time (generator/site/offline.py):
// * offline.json, fetched again with every page opened online: its version, the core files
//   ({url: sha256}: runtime, scripts, styles, the home, check, search and template pages, this
//   year's and open notices) and the names of BUCKETS hash lists. Its size does not grow with
//   the number of notices.
// * offline/<name>.json, one per bucket: {files: {url: sha256}, with: {"notices/<id>/": [url]}}
//   for every other file. A URL's bucket is a number computed from the URL itself (bucketOf);
//   a list is downloaded only when a file of its bucket is asked for, and its name carries the
//   hash of its bytes, so an unchanged list is never downloaded again.
//
// Files are cached under "<url>?zc-sha256=<hash>" and a cached copy is used only while the
// newest list known names that very hash; a downloaded file enters the cache only when its
// bytes have that hash. When offline.json changes, files no longer listed are deleted, and
// changed files that were kept are fetched anew while online. Offline, the last lists seen and
// their files answer everything; anything else gets a short Chinese page saying so.
//
// The page asks for the core to be stored ({type: "precache"}, sent by check.js once the
// validator is ready — the large runtime is then already in the HTTP cache); the notice being
// checked (check/?notice=<id> of the page that asks) is stored with it. Every other listed file
// is stored when it is fetched online through this worker, and a page loaded before the worker
// controlled it asks for itself and its files ({type: "keep", urls}, offline.js): a page once
// read online opens offline.
"use strict";

const CACHE = "zc-offline-v1";         // same entries as before the lists were split
const MANIFEST_KEY = "offline.json";   // also the key of {manifest, precached, kept} in CACHE
const LISTS = "offline/";
const KEPT_MAX = 10;                   // notices checked on this device, stored with the core
const SCOPE = new URL("./", self.location.href).href;
let manifest = null;           // {version, bytes, files: {url: sha256}, lists: [name], network: [prefix]}
let precached = false;         // the page asked for the core to be stored
let kept = [];                 // ids of the notices checked here (newest last)
const lists = new Map();       // list name → {files, with}, as read

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil((async () => {
  for (const name of await caches.keys()) {
    if (name.startsWith("zc-offline-") && name !== CACHE) await caches.delete(name);  // other layouts
  }
  await self.clients.claim();
})()));

function relative(url) {
  const href = url.split("#")[0].split("?")[0];
  if (!href.startsWith(SCOPE)) return null;
  let rel = href.slice(SCOPE.length);
  try {
    rel = decodeURIComponent(rel);  // the lists name files as they are on disk
  } catch (err) {
    return null;
  }
  if (rel === "" || rel === "index.html") return "./";
  return rel.endsWith("/index.html") ? rel.slice(0, -"index.html".length) : rel;
}

function address(rel) {
  return SCOPE + (rel === "./" ? "" : rel);
}

function key(rel, hash) {
  return address(rel) + "?zc-sha256=" + hash;  // Cache API ignores "#…"
}

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function sha256(buffer) {
  return hex(await crypto.subtle.digest("SHA-256", buffer));
}

/** The bucket of a URL outside the core: as offline.py's bucket(). */
async function bucketOf(rel) {
  const digest = await sha256(new TextEncoder().encode(rel));
  return parseInt(digest.slice(0, 8), 16) % manifest.lists.length;
}

async function loadManifest() {
  if (manifest) return manifest;
  const cache = await caches.open(CACHE);
  const stored = await cache.match(SCOPE + MANIFEST_KEY);
  if (stored) {
    const data = await stored.json();
    manifest = data.manifest;
    precached = data.precached;
    kept = data.kept || [];
  }
  return manifest;
}

async function saveState() {
  const cache = await caches.open(CACHE);
  await cache.put(SCOPE + MANIFEST_KEY, new Response(JSON.stringify({ manifest, precached, kept }),
    { headers: { "content-type": "application/json" } }));
}

/** Fetches offline.json; on a new version, switches to it and updates the stored files. */
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
    // Copies stored under the single list of before (every file of the site) are not fetched
    // anew when they changed: only the pages read here are.
    const again = !!manifest && Array.isArray(manifest.lists);
    manifest = fresh;
    for (const name of lists.keys()) {
      if (!manifest.lists.includes(name)) lists.delete(name);
    }
    await saveState();
    update(again);  // in the background: serving already follows the new lists
  }
  return manifest;
}

/**
 * The list of rel's bucket: from memory, from the cache, or (when allowed and online) from the
 * site, checked against the hash in its name. null when it is not at hand.
 */
async function listFor(rel, download) {
  if (!manifest.lists || !manifest.lists.length) return null;  // a manifest of the single-list layout
  const name = manifest.lists[await bucketOf(rel)];
  if (lists.has(name)) return lists.get(name);
  const url = SCOPE + LISTS + name + ".json";
  const cache = await caches.open(CACHE);
  let body = null;
  const stored = await cache.match(url);
  if (stored) {
    body = await stored.arrayBuffer();
  } else if (download) {
    try {
      const response = await fetch(url);
      if (!response.ok) return null;
      body = await response.arrayBuffer();
    } catch (err) {
      return null;  // offline
    }
    if (!(await sha256(body)).startsWith(name.split(".")[1])) return null;
    await cache.put(url, new Response(body, { headers: { "content-type": "application/json" } }));
  } else {
    return null;
  }
  const data = JSON.parse(new TextDecoder().decode(body));
  if (manifest.lists.includes(name)) lists.set(name, data);
  return data;
}

function isNetworkOnly(rel) {
  return (manifest.network || []).some((prefix) => rel.startsWith(prefix));
}

/** rel's current sha256: a string, "" when no list names rel, null when its list is not at hand. */
async function hashOf(rel, download) {
  if (manifest.files[rel]) return manifest.files[rel];
  const list = await listFor(rel, download);
  if (!list) return null;
  return list.files[rel] || "";
}

/** Deletes what the new lists no longer name; fetches anew the changed files kept here. */
let updating = null;
function update(fetchAgain) {
  if (updating) return updating;
  updating = (async () => {
    const cache = await caches.open(CACHE);
    const names = new Set((manifest.lists || []).map((name) => SCOPE + LISTS + name + ".json"));
    const again = [];
    for (const request of await cache.keys()) {
      const url = new URL(request.url);
      const hash = url.searchParams.get("zc-sha256");
      if (!hash) {
        if (url.href.startsWith(SCOPE + LISTS) && !names.has(url.href)) await cache.delete(request);
        continue;
      }
      const rel = relative(url.href);
      let current = "";
      try {
        if (rel !== null && !isNetworkOnly(rel)) current = await hashOf(rel, true);
      } catch (err) {
        current = null;
      }
      if (current === null || current === hash) continue;  // list not at hand: kept, not served
      await cache.delete(request);
      if (fetchAgain && current && !manifest.files[rel]) again.push(rel);  // a page read here
    }
    if (precached) await storeAll();
    await storeEach(again);
  })().catch(() => {}).finally(() => { updating = null; });
  return updating;
}

/** The network's answer for rel (response: already requested), stored when its bytes have the listed hash. */
async function store(request, rel, hash, response) {
  response = await (response || fetch(request));
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

/** Stores each of rels not stored yet; stops at the first network failure. */
async function storeEach(rels) {
  const cache = await caches.open(CACHE);
  for (const rel of rels) {
    const hash = await hashOf(rel, true);
    if (!hash || await cache.match(key(rel, hash))) continue;
    try {
      await store(new Request(address(rel)), rel, hash);
    } catch (err) {
      return false;  // offline again: the rest next time
    }
  }
  return true;
}

/** The core, then the notices checked here (their pages and the files listed with them). */
let storing = null;
function storeAll() {
  if (storing) return storing;
  storing = (async () => {
    if (!(await storeEach(Object.keys(manifest.files)))) return;
    for (const id of kept) {
      const page = "notices/" + id + "/";
      if (manifest.files[page]) continue;  // a core notice
      const list = await listFor(page, true);
      if (!list) return;
      await storeEach([page, ...((list.with && list.with[page]) || [])]);
    }
  })().finally(() => { storing = null; });
  return storing;
}

async function respond(event, rel) {
  const request = event.request;
  const isPage = request.mode === "navigate";
  // A page opened online: its fresh copy and the fresh lists, fetched side by side, so the
  // page's assets are then looked up under the new hashes.
  const current = isPage ? await refreshManifest() : await loadManifest();
  if (!current || isNetworkOnly(rel)) {
    return network(request, isPage);  // never stored (the search index)
  }
  let hash = await hashOf(rel, false);
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
  }
  try {
    if (hash === null) {
      // Its list is not here yet: downloaded side by side with the file.
      const [response, found] = await Promise.all([fetch(request), hashOf(rel, true).catch(() => null)]);
      return found ? await store(request, rel, found, response) : response;
    }
    return hash ? await store(request, rel, hash) : await fetch(request);
  } catch (err) {
    return offlineAnswer(isPage);
  }
}

async function network(request, isPage) {
  try {
    return await fetch(request);
  } catch (err) {
    return offlineAnswer(isPage);
  }
}

function offlineAnswer(isPage) {
  const text = isPage
    ? "<!doctype html><html lang=zh-CN><meta charset=utf-8>" +
      "<meta name=viewport content='width=device-width'><title>离线：此页未保存</title>" +
      "<h1>当前没有网络</h1><p id=zc-offline-page>这一页尚未保存在本机。请联网后再打开；" +
      "联网时打开过的页面之后离线也能查看。</p><p>离线可用：<a href='" + SCOPE + "'>首页</a>、" +
      "<a href='" + SCOPE + "check/'>资格核验</a>、<a href='" + SCOPE + "templates/'>模板</a>" +
      "和本年度的通知。</p>"
    : "";
  return new Response(text, { status: 503, headers: { "content-type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.headers.has("range")) return;
  const rel = relative(request.url);
  if (rel === null || rel === MANIFEST_KEY || rel === "sw.js" || rel.startsWith(LISTS)) return;
  event.respondWith(respond(event, rel));
});

function checkedNotice(source) {
  try {
    const id = new URL(source.url).searchParams.get("notice");
    return id && /^\d{4}-[a-z0-9-]+$/.test(id) ? id : null;
  } catch (err) {
    return null;
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep" && Array.isArray(data.urls)) {
    // A page loaded before this worker controlled it (offline.js): it and its files, if listed.
    event.waitUntil((async () => {
      if (!(await refreshManifest())) return;
      const rels = data.urls.map((url) => (typeof url === "string" ? relative(url) : null));
      await storeEach(rels.filter((rel) => rel !== null && !rel.startsWith(LISTS) && !isNetworkOnly(rel)));
    })());
    return;
  }
  if (data.type !== "precache") return;
  event.waitUntil((async () => {
    await refreshManifest();
    if (!manifest) return;
    precached = true;
    const id = event.source ? checkedNotice(event.source) : null;
    if (id) kept = [...kept.filter((k) => k !== id), id].slice(-KEPT_MAX);
    await saveState();
    await storeAll();
    const source = event.source;
    if (source) source.postMessage({ type: "precached", version: manifest.version });
  })());
});
