// "Add another finding" for the inspection form: clones the formset's empty form (no inline script, CSP).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-formset]").forEach(function (form) {
      var prefix = form.getAttribute("data-formset");
      var total = form.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
      var list = form.querySelector("[data-formset-list]");
      var template = form.querySelector("template[data-formset-template]");
      var add = form.querySelector("[data-formset-add]");
      if (!total || !list || !template || !add) { return; }
      add.addEventListener("click", function () {
        var index = parseInt(total.value, 10) || 0;
        var html = template.innerHTML.replace(/__prefix__/g, String(index));
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var item = holder.firstElementChild;
        var number = item.querySelector("[data-formset-number]");
        if (number) { number.textContent = String(index + 1); }
        list.appendChild(item);
        total.value = String(index + 1);
        var first = item.querySelector("select, textarea, input:not([type=hidden])");
        if (first) { first.focus(); }
      });
    });
  });
})();
