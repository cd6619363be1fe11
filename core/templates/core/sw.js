// Service worker {{ version }} (core.offline): the app's pages and files for use without a connection,
// and the outbox sent by Background Sync. Rendered by Django so that its scope is the site root.
"use strict";
var VERSION = "{{ version }}";
var STATIC_CACHE = "static-" + VERSION;
var PAGE_CACHE = "pages-" + VERSION;
var STATIC_URLS = [{% for url in static_urls %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
var SNAPSHOT_URL = "{{ snapshot_url|escapejs }}";
var LOGIN_URL = "{{ login_url|escapejs }}";
var NEVER_CACHED = ["/api/", "/admin/", "/accounts/", "/i18n/", "/sw.js", "/healthz"];
importScripts("{{ outbox_url|escapejs }}");

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE).then(function (cache) { return cache.addAll(STATIC_URLS); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key !== STATIC_CACHE && key !== PAGE_CACHE;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function offlinePage() {
  var html = '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>{{ texts.title|escapejs }}</title></head><body style="font-family:sans-serif;padding:1rem">' +
    '<h1>{{ texts.heading|escapejs }}</h1>' +
    '<p>{{ texts.body|escapejs }}</p>' +
    '<p><a href="/">{{ texts.back|escapejs }}</a></p></body></html>';
  return new Response(html, {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
}

function cacheable(response) {
  // A redirected answer cannot stand in for a navigation; an error page is not worth keeping.
  return response && response.ok && !response.redirected && response.type === "basic";
}

function remember(cacheName, request, response) {
  if (!cacheable(response)) { return; }
  var copy = response.clone();
  caches.open(cacheName).then(function (cache) { cache.put(request, copy); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }  // writes go to the network or into the outbox
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (NEVER_CACHED.some(function (prefix) { return url.pathname.indexOf(prefix) === 0; })) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request, {ignoreVary: true}).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        remember(STATIC_CACHE, request, response);
        return response;
      });
    }));
    return;
  }
  if (request.mode === "navigate" || url.pathname === SNAPSHOT_URL) {
    // Network first: a page seen online is the freshest copy; without a connection, the last one.
    event.respondWith(fetch(request).then(function (response) {
      remember(PAGE_CACHE, request, response);
      return response;
    }).catch(function () {
      return caches.match(request, {cacheName: PAGE_CACHE, ignoreVary: true}).then(function (hit) {
        return hit || (request.mode === "navigate" ? offlinePage() : Response.error());
      });
    }));
  }
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "cache-pages" && Array.isArray(data.urls)) {
    event.waitUntil(caches.open(PAGE_CACHE).then(function (cache) {
      return Promise.all(data.urls.map(function (path) {
        return fetch(path, {credentials: "same-origin"}).then(function (response) {
          if (cacheable(response)) { return cache.put(path, response); }
        }).catch(function () {});
      }));
    }));
  } else if (data.type === "forget-pages") {
    // Signing out: the next person on this phone must not see this user's pages.
    event.waitUntil(caches.delete(PAGE_CACHE));
  }
});

// Background Sync: the browser wakes the worker once it has a connection again.
self.addEventListener("sync", function (event) {
  if (event.tag !== Outbox.SYNC_TAG) { return; }
  event.waitUntil(self.clients.matchAll({type: "window"}).then(function (windows) {
    if (windows.length) {
      // An open page sends (it shows the progress); the worker only wakes it.
      windows.forEach(function (client) { client.postMessage({type: "outbox-flush"}); });
      return;
    }
    return fetch(SNAPSHOT_URL, {credentials: "same-origin"}).then(function (response) {
      if (!response.ok || response.redirected) { return; }  // signed out: wait for the user
      return response.json().then(function (snapshot) {
        return Outbox.flush({csrf: snapshot.csrf_token, user: String(snapshot.user), loginUrl: LOGIN_URL});
      });
    });
  }));
});
