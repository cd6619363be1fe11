// Site-wide behaviour. No inline scripts anywhere (CSP script-src 'self').
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector("[data-nav-toggle]");
    var nav = document.getElementById("site-nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("is-open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    // Selects marked data-autosubmit submit their form on change (language switch, page size).
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    // Buttons marked data-confirm ask before submitting.
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
    // Text fields with data-suggest-url fill their <datalist> from the server as the user types.
    document.querySelectorAll("input[data-suggest-url]").forEach(function (input) {
      var list = document.getElementById(input.getAttribute("list"));
      var timer = null;
      var asked = "";
      input.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          var text = input.value.trim();
          if (!text || text === asked || !list) { return; }
          asked = text;
          var url = input.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(text);
          fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
            .then(function (response) { return response.ok ? response.json() : { results: [] }; })
            .then(function (data) {
              list.replaceChildren.apply(list, data.results.map(function (label) {
                var option = document.createElement("option");
                option.value = label;
                return option;
              }));
            })
            .catch(function () { /* offline: the typed name still resolves on submit */ });
        }, 200);
      });
    });
    // Filter folds (components/filters.html) start open on wide screens; on a phone the list comes first.
    if (window.matchMedia && window.matchMedia("(min-width: 600px)").matches) {
      document.querySelectorAll("details[data-filter-fold]").forEach(function (el) { el.open = true; });
    }
    // Photos open large in place (components/photo_viewer.html): one dialog, focus kept and returned.
    var viewer = document.getElementById("photo-viewer");
    if (viewer && typeof viewer.showModal === "function") {
      var viewerImg = viewer.querySelector("img");
      var viewerCaption = viewer.querySelector("[data-viewer-caption]");
      document.querySelectorAll("a[data-photo-large]").forEach(function (link) {
        link.addEventListener("click", function (event) {
          event.preventDefault();
          viewerImg.src = link.getAttribute("href");
          viewerImg.alt = link.getAttribute("data-photo-alt") || "";
          if (viewerCaption) { viewerCaption.textContent = link.getAttribute("data-photo-alt") || ""; }
          viewer.showModal();
        });
      });
      viewer.querySelectorAll("[data-viewer-close]").forEach(function (btn) {
        btn.addEventListener("click", function () { viewer.close(); });
      });
      viewer.addEventListener("click", function (event) { if (event.target === viewer) { viewer.close(); } });
      viewer.addEventListener("close", function () { viewerImg.removeAttribute("src"); });
    }
    // Print buttons.
    document.querySelectorAll("[data-print]").forEach(function (el) {
      el.addEventListener("click", function () { window.print(); });
    });
  });
})();
