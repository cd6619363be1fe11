// The − / + buttons of the on-site scoring screen: big targets for a thumb, the number stays editable.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-step]");
  if (!button) return;
  const input = button.closest("[data-stepper]").querySelector("input");
  const next = (parseInt(input.value, 10) || 0) + parseInt(button.dataset.step, 10);
  input.value = Math.max(0, next);
});
