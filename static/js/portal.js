// The portal's own behaviour. Everything works without it; it only smooths the way.
"use strict";

// A stacked table (static/css/tables.css) is drawn as blocks on a phone, and browsers
// then stop telling screen readers it is a table: these roles say so again.
function keepTableRoles(table) {
  table.setAttribute("role", "table");
  table.querySelectorAll(":scope > thead, :scope > tbody").forEach((group) => {
    group.setAttribute("role", "rowgroup");
  });
  table.querySelectorAll(":scope > thead > tr, :scope > tbody > tr").forEach((row) => {
    row.setAttribute("role", "row");
  });
  table.querySelectorAll(":scope > thead > tr > th").forEach((cell) => {
    cell.setAttribute("role", "columnheader");
  });
  table.querySelectorAll(":scope > tbody > tr > th").forEach((cell) => {
    cell.setAttribute("role", "rowheader");
  });
  table.querySelectorAll(":scope > tbody > tr > td").forEach((cell) => {
    cell.setAttribute("role", "cell");
  });
}

// A form sent back with errors starts from its error summary (templates/partials/error_summary.html):
// with focus there, keyboard and screen-reader users hear every problem, then follow a link to
// each field. A form without a summary still puts them on its first field in error.
function focusErrorSummary(root, orFirstInvalid) {
  const target =
    root.querySelector("[data-error-summary]") || (orFirstInvalid && root.querySelector(".is-invalid"));
  if (target) {
    target.focus();
  }
}

// A summary's link goes to its field. Focus the field with its question in sight: the
// browser's own jump would scroll the label (or a radio group's legend) out of view above it.
function followErrorLink(event) {
  const link = event.target.closest("[data-error-summary] a[href^='#']");
  const field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!field) {
    return;
  }
  event.preventDefault();
  const folded = field.closest("details");
  if (folded) {
    folded.open = true;
  }
  const choice = field.type === "radio" || field.type === "checkbox";
  const legend = choice && field.closest("fieldset")?.querySelector("legend");
  const label = legend || (field.labels && field.labels[0]) || field;
  label.scrollIntoView();
  field.focus({ preventScroll: true });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table.table-stack").forEach(keepTableRoles);
  focusErrorSummary(document, true);
});
document.addEventListener("click", followErrorLink);
// A form that htmx swaps in with its errors is met as if its page had just loaded.
document.addEventListener("htmx:load", (event) => {
  if (event.target !== document.body) {
    focusErrorSummary(event.target, false);
  }
});
