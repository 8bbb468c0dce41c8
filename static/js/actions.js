// Progress forms: choosing "Done" makes the completion note required, before the server says so.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form.progress-form").forEach((form) => {
    const status = form.querySelector("select[name$='-status']");
    const note = form.querySelector("textarea[name$='-text']");
    if (!status || !note) {
      return;
    }
    const label = form.querySelector(`label[for='${note.id}']`);
    const original = label ? label.textContent : "";
    const sync = () => {
      const done = status.value === form.dataset.doneValue;
      note.required = done;
      if (label) {
        label.textContent = done ? "Completion note (required)" : original;
      }
    };
    status.addEventListener("change", sync);
    sync();
  });
});
