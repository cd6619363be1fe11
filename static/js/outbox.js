// The offline outbox (issue 19). Loaded by every page and by the service worker (importScripts).
//
// Any <form data-offline> is captured on submit: its fields and chosen photos go into IndexedDB with
// a fresh Idempotency-Key, then are sent at once when there is a connection, otherwise when it comes
// back (the `online` event, the next page load, Background Sync), with retries and backoff. The server
// (core.idempotency) makes every resend of one entry a single filing. No inline script anywhere (CSP).
(function (root) {
  "use strict";
  var DB_NAME = "renovation-outbox";
  var STORE = "entries";
  var NOISE = {csrfmiddlewaretoken: true};
  var MAX_DELAY = 10 * 60 * 1000;

  function uuid() {
    if (root.crypto && root.crypto.randomUUID) { return root.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    root.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = root.indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, {keyPath: "key"});
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  function run(store, mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var tx = database.transaction(store, mode);
        var result;
        var request = work(tx.objectStore(store));
        if (request) { request.onsuccess = function () { result = request.result; }; }
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  var Outbox = {
    SYNC_TAG: "outbox",
    uuid: uuid,
    inFlight: {},  // keys this page is sending itself (a flush leaves them alone)
    put: function (entry) { return run(STORE, "readwrite", function (s) { return s.put(entry); }); },
    get: function (key) { return run(STORE, "readonly", function (s) { return s.get(key); }); },
    remove: function (key) { return run(STORE, "readwrite", function (s) { return s.delete(key); }); },
    all: function () {
      return run(STORE, "readonly", function (s) { return s.getAll(); }).then(function (rows) {
        return (rows || []).sort(function (a, b) { return a.created - b.created; });
      });
    },

    body: function (entry) {
      var data = new FormData();
      entry.fields.forEach(function (field) {
        if (NOISE[field[0]]) { return; }
        if (field[2]) { data.append(field[0], field[1], field[2]); } else { data.append(field[0], field[1]); }
      });
      return data;
    },

    // One attempt. The outcome: "sent", "invalid" (the server refused the input: 400 with the form's
    // errors), "login" (the session ended), "retry" (no connection, 409, 429, 5xx) or "failed" (403,
    // 404, 413: sending again would not help).
    send: function (entry, csrf) {
      var headers = {"Idempotency-Key": entry.key, "X-Requested-With": "outbox"};
      if (csrf) { headers["X-CSRFToken"] = csrf; }
      return fetch(entry.url, {
        method: "POST", body: Outbox.body(entry), headers: headers, credentials: "same-origin", redirect: "follow"
      }).then(function (response) {
        var outcome;
        var path = new URL(response.url).pathname;
        if (entry.loginUrl && path.indexOf(entry.loginUrl) === 0 && entry.url.indexOf(entry.loginUrl) === -1) {
          outcome = "login";
        } else if (response.ok) {
          outcome = "sent";
        } else if (response.status === 400) {
          outcome = "invalid";
        } else if (response.status === 409 || response.status === 429 || response.status >= 500) {
          outcome = "retry";
        } else {
          outcome = "failed";
        }
        return response.text().then(function (text) {
          return {outcome: outcome, status: response.status, url: response.url, text: text};
        });
      }, function () {
        return {outcome: "retry", status: 0, url: "", text: ""};
      });
    },

    delay: function (attempts) {
      var base = Math.min(MAX_DELAY, 5000 * Math.pow(2, Math.max(0, attempts - 1)));
      return Math.round(base * (0.5 + Math.random() / 2));
    },

    // Record an attempt's outcome on the entry; answers the result for the caller.
    settle: function (entry, result, message) {
      if (result.outcome === "sent") { return Outbox.remove(entry.key).then(function () { return result; }); }
      return Outbox.get(entry.key).then(function (stored) {
        // Discarded, or settled by the page that sent it meanwhile: nothing to record.
        if (!stored) { return result; }
        return Outbox.record(entry, result, message);
      });
    },

    record: function (entry, result, message) {
      entry.attempts = (entry.attempts || 0) + 1;
      entry.lastStatus = result.status;
      entry.state = result.outcome === "retry" ? "pending" : result.outcome;
      entry.message = message || "";
      entry.next = result.outcome === "retry" ? Date.now() + Outbox.delay(entry.attempts) : 0;
      return Outbox.put(entry).then(function () { return result; });
    },

    // Send every entry of `user` that is due; one sender at a time per browser where Web Locks exist.
    flush: function (options) {
      var work = function () {
        return Outbox.all().then(function (entries) {
          var now = Date.now();
          var due = entries.filter(function (entry) {
            return !Outbox.inFlight[entry.key] && entry.user === options.user && entry.state === "pending" && (options.force || (entry.next || 0) <= now);
          });
          var results = [];
          return due.reduce(function (chain, entry) {
            return chain.then(function () {
              entry.loginUrl = options.loginUrl || entry.loginUrl;
              return Outbox.send(entry, options.csrf).then(function (result) {
                return Outbox.settle(entry, result, options.describe ? options.describe(result) : "");
              }).then(function (result) { results.push([entry, result]); });
            });
          }, Promise.resolve()).then(function () { return results; });
        });
      };
      if (root.navigator && root.navigator.locks) {
        return root.navigator.locks.request("renovation-outbox", work);
      }
      return work();
    }
  };
  root.Outbox = Outbox;
})(self);

// --- the page side: capture, the header count, sending, restoring what was chosen ---
(function () {
  "use strict";
  if (typeof document === "undefined") { return; }
  var Outbox = self.Outbox;
  var timer = null;

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute("content") : "";
  }
  var USER = meta("app-user");
  var LOGIN_URL = meta("app-login-url") || "/accounts/login/";
  var SNAPSHOT_URL = meta("app-snapshot-url");

  function text(key) {
    var holder = document.getElementById("outbox-texts");
    return holder ? holder.getAttribute("data-" + key) || "" : "";
  }
  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, name) { return String(values[name]); });
  }

  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function errorsIn(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var items = doc.querySelectorAll(".errorlist li, .form-errors p, .form-errors li, .messages .error");
    var seen = [];
    items.forEach(function (li) {
      var t = li.textContent.trim();
      if (t && seen.indexOf(t) === -1) { seen.push(t); }
    });
    if (!seen.length) {
      var heading = doc.querySelector("main h1, h1");
      if (heading) { seen.push(heading.textContent.trim()); }
    }
    return seen.join("；");
  }
  function describe(result) {
    if (result.outcome === "login") { return text("login"); }
    if (result.outcome === "invalid" || result.outcome === "failed") { return errorsIn(result.text) || String(result.status); }
    return "";
  }

  // --- the header: 待同步 N 条 and the list behind it ---
  function render() {
    var badge = document.querySelector("[data-outbox-badge]");
    if (!badge || !USER) { return Promise.resolve(); }
    return Outbox.all().then(function (entries) {
      var mine = entries.filter(function (entry) { return entry.user === USER; });
      var attention = mine.filter(function (entry) { return entry.state !== "pending"; }).length;
      badge.hidden = mine.length === 0;
      badge.querySelector("[data-outbox-count]").textContent = format(text("count"), {n: mine.length});
      badge.classList.toggle("outbox-badge--attention", attention > 0);
      var list = document.querySelector("[data-outbox-list]");
      if (!list) { return; }
      list.innerHTML = "";
      mine.forEach(function (entry) {
        var li = document.createElement("li");
        var title = document.createElement("strong");
        title.textContent = entry.label;
        var when = document.createElement("span");
        when.className = "muted";
        when.textContent = " · " + new Date(entry.created).toLocaleString();
        li.appendChild(title);
        li.appendChild(when);
        var state = document.createElement("p");
        state.className = entry.state === "pending" ? "muted" : "outbox-problem";
        state.textContent = entry.state === "pending"
          ? (entry.attempts ? format(text("retrying"), {n: entry.attempts}) : text("waiting"))
          : text(entry.state) + (entry.message ? "：" + entry.message : "");
        li.appendChild(state);
        var actions = document.createElement("div");
        actions.className = "actions";
        if (entry.state === "invalid" || entry.state === "failed") {
          var open = document.createElement("a");
          open.className = "btn";
          open.href = entry.page + "#outbox=" + entry.key;
          open.textContent = text("open");
          actions.appendChild(open);
        }
        if (entry.state === "login") {
          var login = document.createElement("a");
          login.className = "btn";
          login.href = LOGIN_URL + "?next=" + encodeURIComponent(entry.page);
          login.textContent = text("signin");
          actions.appendChild(login);
        }
        var drop = document.createElement("button");
        drop.type = "button";
        drop.className = "btn btn--danger";
        drop.textContent = text("discard");
        drop.addEventListener("click", function () {
          if (window.confirm(text("confirm"))) { Outbox.remove(entry.key).then(render); }
        });
        actions.appendChild(drop);
        li.appendChild(actions);
        list.appendChild(li);
      });
    });
  }

  function schedule() {
    if (timer) { clearTimeout(timer); timer = null; }
    return Outbox.all().then(function (entries) {
      var next = entries.filter(function (e) { return e.user === USER && e.state === "pending"; })
        .map(function (e) { return e.next || 0; });
      if (!next.length) { return; }
      var wait = Math.max(1000, Math.min.apply(null, next) - Date.now());
      timer = setTimeout(flush, wait);
    });
  }

  var flushing = null;
  function flush(force) {
    if (!USER) { return Promise.resolve([]); }
    if (!navigator.onLine) { return render().then(function () { return []; }); }  // the `online` event sends
    if (flushing) { return flushing; }
    flushing = Outbox.flush({user: USER, csrf: csrf(), loginUrl: LOGIN_URL, describe: describe, force: force === true})
      .then(function (results) {
        var sent = results.filter(function (r) { return r[1].outcome === "sent"; }).length;
        if (sent) { announce(format(text("sent"), {n: sent})); }
        return results;
      })
      .catch(function () { return []; })
      .then(function (results) {
        flushing = null;
        return render().then(schedule).then(function () { return results; });
      });
    return flushing;
  }
  self.outboxFlush = flush;

  function announce(message) {
    var live = document.querySelector("[data-outbox-status]");
    if (live) { live.textContent = message; live.hidden = !message; }
  }

  function askForSync() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) { return registration.sync.register(Outbox.SYNC_TAG); }
    }).catch(function () {});
  }

  // --- capturing a form ---
  function fieldsOf(form, submitter) {
    var fields = [];
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value || ""); }
    data.forEach(function (value, name) {
      if (value instanceof File) {
        if (value.size || value.name) { fields.push([name, value, value.name]); }
      } else {
        fields.push([name, value]);
      }
    });
    return fields;
  }

  function labelOf(form) {
    var label = form.getAttribute("data-offline") || document.title;
    var first = form.querySelector("select[name$=township] option:checked");
    return first && first.value ? label + " · " + first.textContent.trim() : label;
  }

  function capture(form, submitter) {
    var token = form.querySelector("input[name=submission_token]");
    // A page opened from the phone's copy carries the same token each time; each filing needs its own.
    if (token) { token.value = Outbox.uuid(); }
    var action = form.getAttribute("action") || (location.pathname + location.search);
    return {
      key: Outbox.uuid(),
      url: new URL(action, location.href).pathname + new URL(action, location.href).search,
      page: location.pathname + location.search,
      label: labelOf(form),
      fields: fieldsOf(form, submitter),
      user: USER,
      loginUrl: LOGIN_URL,
      created: Date.now(),
      attempts: 0,
      next: 0,
      state: "pending"
    };
  }

  function filesByName(fields) {
    var byName = {};
    fields.forEach(function (field) {
      if (field[1] instanceof Blob) {
        (byName[field[0]] = byName[field[0]] || []).push(
          field[1] instanceof File ? field[1] : new File([field[1]], field[2] || "photo", {type: field[1].type})
        );
      }
    });
    return byName;
  }

  // Nothing typed twice: put the chosen photos back into their inputs after the page came back with errors.
  function restoreFiles(form, fields) {
    var byName = filesByName(fields);
    var restored = 0;
    Object.keys(byName).forEach(function (name) {
      var input = form.querySelector('input[type=file][name="' + name + '"]');
      if (!input || typeof DataTransfer === "undefined") { return; }
      var transfer = new DataTransfer();
      byName[name].forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files;
      restored += byName[name].length;
      // The server's "choose these again" (core.submission.ask_files_again) no longer applies.
      var again = document.getElementById(input.id + "_helptext");
      if (again) { again.textContent = format(text("kept"), {n: byName[name].length}); }
      showChosen(input);
    });
    return restored;
  }

  function showChosen(input) {
    var note = input.parentNode.querySelector("[data-chosen]");
    if (!note) {
      note = document.createElement("p");
      note.className = "muted";
      note.setAttribute("data-chosen", "");
      input.insertAdjacentElement("afterend", note);
    }
    var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    note.textContent = names.length ? format(text("chosen"), {n: names.length}) + "：" + names.join("、") : "";
  }

  function fillForm(form, fields) {
    var add = form.querySelector("[data-formset-add]");
    var prefix = form.getAttribute("data-formset");
    if (add && prefix) {
      var wanted = fields.filter(function (f) { return f[0] === prefix + "-TOTAL_FORMS"; })[0];
      var total = form.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
      while (wanted && total && parseInt(total.value, 10) < parseInt(wanted[1], 10)) { add.click(); }
    }
    fields.forEach(function (field) {
      if (field[1] instanceof Blob || NOISE[field[0]] || field[0] === "submission_token") { return; }
      form.querySelectorAll('[name="' + field[0] + '"]').forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") { el.checked = el.value === field[1]; }
        else if (el.type !== "file" && el.type !== "submit") { el.value = field[1]; }
      });
    });
    restoreFiles(form, fields);
  }

  // The server refused the input: show its answer in place of the form, the photos put back.
  function showErrors(form, html, entry) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var forms = doc.querySelectorAll("form[data-offline]");
    var action = form.getAttribute("action") || "";
    var fresh = Array.prototype.filter.call(forms, function (f) { return (f.getAttribute("action") || "") === action; })[0];
    if (!fresh) { return false; }
    form.innerHTML = fresh.innerHTML;
    var messages = doc.querySelector("main .messages");
    var current = document.querySelector("main .messages");
    if (current) { current.remove(); }
    if (messages) { document.querySelector("main").insertAdjacentElement("afterbegin", document.importNode(messages, true)); }
    enhance(form);
    restoreFiles(form, entry.fields);
    var firstError = form.querySelector(".errorlist, .form-errors");
    if (firstError) { firstError.scrollIntoView({block: "center"}); }
    document.dispatchEvent(new CustomEvent("offline-form:replaced", {detail: {form: form}}));
    return true;
  }

  function onSubmit(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-offline]") || !USER || !window.indexedDB) { return; }
    if (!form.checkValidity()) { return; }
    event.preventDefault();
    var entry = capture(form, event.submitter);
    var buttons = form.querySelectorAll("button, input[type=submit]");
    buttons.forEach(function (b) { b.disabled = true; });
    var replaces = form.getAttribute("data-outbox-replaces");
    Outbox.inFlight[entry.key] = true;
    Outbox.put(entry).then(function () {
      return replaces ? Outbox.remove(replaces) : null;
    }).then(function () {
      form.removeAttribute("data-outbox-replaces");
      if (!navigator.onLine) { return {outcome: "retry", status: 0, offline: true}; }
      announce(text("sending"));
      return Outbox.send(entry, csrf());
    }).then(function (result) {
      delete Outbox.inFlight[entry.key];
      if (result.outcome === "retry") { askForSync(); }
      if (result.outcome === "sent") {
        return Outbox.remove(entry.key).then(function () { location.assign(result.url); return true; });
      }
      if (result.outcome === "invalid") {
        return Outbox.remove(entry.key).then(function () {
          if (showErrors(form, result.text, entry)) { announce(""); return true; }
          return Outbox.put(entry).then(function () { return Outbox.settle(entry, result, describe(result)); });
        });
      }
      // Filed without a connection: nothing was tried yet, so no attempt is counted.
      return (result.offline ? Promise.resolve() : Outbox.settle(entry, result, describe(result))).then(function () {
        if (result.outcome === "retry") {
          form.reset();
          form.querySelectorAll("[data-chosen]").forEach(function (n) { n.textContent = ""; });
        }
        return Outbox.all();
      }).then(function (entries) {
        var n = entries.filter(function (e) { return e.user === USER; }).length;
        announce(result.outcome === "retry" ? format(text("queued"), {n: n}) : text(result.outcome) + "：" + describe(result));
      });
    }).catch(function () {
      delete Outbox.inFlight[entry.key];
      announce(text("storage"));
    }).then(function (left) {
      if (left !== true) { buttons.forEach(function (b) { b.disabled = false; }); }
      return render().then(schedule);
    });
  }

  // --- the phone's location and the photos chosen, on any offline form ---
  function enhance(root) {
    root.querySelectorAll("input[name$=latitude]").forEach(function (lat) {
      var lon = root.querySelector('input[name="' + lat.name.replace(/latitude$/, "longitude") + '"]');
      if (!lon || !("geolocation" in navigator) || lat.parentNode.querySelector("[data-locate]")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn--small";
      button.setAttribute("data-locate", lat.name);
      button.textContent = text("locate");
      lat.insertAdjacentElement("afterend", button);
    });
    root.querySelectorAll("input[type=file]").forEach(function (input) {
      if (input.files && input.files.length) { showChosen(input); }
    });
  }

  function locate(button, quiet) {
    var form = button.closest("form");
    var lat = form.querySelector('input[name="' + button.getAttribute("data-locate") + '"]');
    var lon = form.querySelector('input[name="' + lat.name.replace(/latitude$/, "longitude") + '"]');
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = position.coords.latitude.toFixed(6);
      lon.value = position.coords.longitude.toFixed(6);
      button.disabled = false;
      announce(format(text("located"), {m: Math.round(position.coords.accuracy)}));
    }, function () {
      button.disabled = false;
      if (!quiet) { announce(text("nolocation")); }
    }, {enableHighAccuracy: true, timeout: 20000, maximumAge: 60000});
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-locate]");
    if (button) { locate(button, false); }
    var toggle = event.target.closest && event.target.closest("[data-outbox-toggle]");
    if (toggle) {
      var panel = document.getElementById(toggle.getAttribute("aria-controls"));
      var open = panel.hidden;
      panel.hidden = !open;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    if (event.target.closest && event.target.closest("[data-outbox-send]")) { flush(true); }
  });
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type === "file" && input.closest("form[data-offline]")) {
      showChosen(input);
      var again = document.getElementById(input.id + "_helptext");
      if (again && input.files.length) { again.textContent = ""; }
      // The first photo of an item with no coordinates yet: offer the phone's location, as a camera would.
      var fieldset = input.closest("fieldset") || input.form;
      var lat = fieldset.querySelector("input[name$=latitude]");
      var button = fieldset.querySelector("[data-locate]");
      if (lat && !lat.value && button && navigator.permissions) {
        navigator.permissions.query({name: "geolocation"}).then(function (status) {
          if (status.state === "granted") { locate(button, true); }
        }).catch(function () {});
      }
    }
  });
  document.addEventListener("submit", onSubmit);
  document.addEventListener("offline-form:added", function (event) { enhance(event.detail.item); });

  window.addEventListener("online", function () { flush(true); });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-offline]").forEach(function (form) {
      enhance(form);
      var hash = location.hash.match(/^#outbox=([0-9a-f-]+)$/);
      if (hash) {
        Outbox.get(hash[1]).then(function (entry) {
          if (!entry || entry.user !== USER) { return; }
          fillForm(form, entry.fields);
          form.setAttribute("data-outbox-replaces", entry.key);
          announce(entry.message ? text(entry.state) + "：" + entry.message : "");
        });
      }
    });
    // The logout button signs this phone out of the pages it keeps too.
    document.querySelectorAll("form[action$='/accounts/logout/']").forEach(function (form) {
      form.addEventListener("submit", function () {
        if (navigator.serviceWorker && navigator.serviceWorker.controller) {
          navigator.serviceWorker.controller.postMessage({type: "forget-pages"});
        }
      });
    });
    if (!USER) { return; }
    render().then(function () { if (navigator.onLine) { flush(true); } else { schedule(); } });
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () {});
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "outbox-flush") { flush(true); }
      });
      if (SNAPSHOT_URL && navigator.onLine) {
        fetch(SNAPSHOT_URL, {credentials: "same-origin"}).then(function (response) {
          return response.ok && !response.redirected ? response.json() : null;
        }).then(function (snapshot) {
          if (!snapshot) { return; }
          try { localStorage.setItem("offline-snapshot-version", snapshot.version); } catch (e) { /* private mode */ }
          return navigator.serviceWorker.ready.then(function (registration) {
            var urls = (snapshot.pages || []).concat([location.pathname + location.search]);
            if (registration.active) { registration.active.postMessage({type: "cache-pages", urls: urls}); }
          });
        }).catch(function () {});
      }
    }
  });
})();
