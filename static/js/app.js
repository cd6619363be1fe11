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
