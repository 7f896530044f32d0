// Starts the NHS.UK frontend components (header menu, error summary focus, skip link).
import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";

initAll();

// A button that copies the words of one element into a form field (the helpline's advice to read
// out into "Advice given"), so the nurse records what was said and edits it to fit.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-to]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copyFrom);
  const field = document.getElementById(button.dataset.copyTo);
  if (!source || !field) return;
  field.value = source.textContent.trim();
  field.focus();
});
