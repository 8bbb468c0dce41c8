// Security keys and passkeys (WebAuthn). allauth's webauthn.js does the work; this shows
// their controls only where the browser can use them, and says in the page (not only in
// the console) when the browser could not use a key.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  if (window.PublicKeyCredential) {
    document.querySelectorAll("[data-webauthn-only]").forEach((element) => {
      element.classList.remove("d-none");
    });
  }
});

document.addEventListener("allauth.error", (event) => {
  const box = document.getElementById("webauthn-error");
  if (!box) {
    return;
  }
  event.preventDefault();
  const exception = event.detail ? event.detail.exception : null;
  const cancelled = exception && exception.name === "NotAllowedError";
  box.textContent = cancelled
    ? "The security key or passkey was not used: the request was cancelled or timed out. Try again, or use another way."
    : "Your browser could not use a security key or passkey here. Try again, or use another way.";
  box.classList.remove("d-none");
});
