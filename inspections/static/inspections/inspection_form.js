// "Add another finding" for the inspection form: clones the formset's empty form (no inline script, CSP).
// Delegated from the document: the outbox (static/js/outbox.js) may replace the form's content with the
// server's answer, and the new button must work as the old one did.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var add = event.target.closest && event.target.closest("[data-formset-add]");
    if (!add) { return; }
    var form = add.closest("form[data-formset]");
    if (!form) { return; }
    var prefix = form.getAttribute("data-formset");
    var total = form.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var list = form.querySelector("[data-formset-list]");
    var template = form.querySelector("template[data-formset-template]");
    if (!total || !list || !template) { return; }
    var index = parseInt(total.value, 10) || 0;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var item = holder.firstElementChild;
    var number = item.querySelector("[data-formset-number]");
    if (number) { number.textContent = String(index + 1); }
    list.appendChild(item);
    total.value = String(index + 1);
    document.dispatchEvent(new CustomEvent("offline-form:added", {detail: {form: form, item: item}}));
    if (event.isTrusted) {
      var first = item.querySelector("select, textarea, input:not([type=hidden])");
      if (first) { first.focus(); }
    }
  });
})();
