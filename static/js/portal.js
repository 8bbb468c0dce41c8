// The portal's own behaviour. Everything works without it; it only smooths the way.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the first field with an error so keyboard users land on it.
  const invalid = document.querySelector(".is-invalid");
  if (invalid) {
    invalid.focus();
  }
});
