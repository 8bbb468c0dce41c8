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

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table.table-stack").forEach(keepTableRoles);
  // Move focus to the first field with an error so keyboard users land on it.
  const invalid = document.querySelector(".is-invalid");
  if (invalid) {
    invalid.focus();
  }
});
