// A background export's page: poll its status until it is ready or failed (no inline scripts, CSP).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-export-job]");
    if (!box) { return; }
    var url = box.getAttribute("data-status-url");
    var bar = box.querySelector("[data-export-bar]");
    var text = box.querySelector("[data-export-text]");
    var status = box.querySelector("[data-export-status]");
    var link = box.querySelector("[data-export-download]");
    var error = box.querySelector("[data-export-error]");
    var rerun = box.querySelector("[data-export-rerun]");
    var pattern = box.querySelector("[data-export-rows-text]").innerHTML;
    var delay = 1000;

    function show(state) {
      bar.value = state.percent;
      text.textContent = pattern.replace("__DONE__", state.rows_done).replace("__TOTAL__", state.total);
      status.textContent = state.status_label;
      box.setAttribute("data-status", state.status);
      if (state.download) { link.href = state.download; link.hidden = false; }
      error.textContent = state.error || "";
      error.hidden = !state.error;
      rerun.hidden = state.status !== "failed";
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (state) {
          show(state);
          if (state.status === "pending" || state.status === "running") {
            window.setTimeout(poll, delay);
          }
        })
        .catch(function () {
          delay = Math.min(delay * 2, 30000);  // a dropped connection: back off, keep trying
          window.setTimeout(poll, delay);
        });
    }

    var initial = box.getAttribute("data-status");
    if (initial === "pending" || initial === "running") { window.setTimeout(poll, delay); }
  });
})();
