// Ledger imports: while a large workbook is checked or saved, show that work is under way and
// stop a second click from submitting it twice. Loaded as a file (CSP allows no inline script).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-busy]").forEach(function (form) {
      form.addEventListener("submit", function () {
        var note = document.getElementById(form.getAttribute("data-busy"));
        if (note) { note.hidden = false; }
        form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
      });
    });
  });
})();
