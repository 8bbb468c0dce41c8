// Meetings pages: the register's deputy fields and live summary, and copying the calendar address.
// Every page works without this file; it only saves clicks.
"use strict";

(() => {
  const plural = (n, one, many) => (n === 1 ? one : many);

  // The same words as the server's summary (meetings.stats.AttendanceSummary).
  function summarise(counts, seats) {
    const recorded = counts.present + counts.deputy + counts.apologies + counts.absent;
    if (!recorded) {
      return `Not recorded yet (${seats} ${plural(seats, "seat", "seats")} expected)`;
    }
    let present = `${counts.present + counts.deputy} of ${seats} present`;
    if (counts.deputy) {
      present += ` (${counts.deputy} by deputy)`;
    }
    const parts = [present, `${counts.apologies} ${plural(counts.apologies, "apology", "apologies")}`];
    if (counts.absent) {
      parts.push(`${counts.absent} absent`);
    }
    if (seats > recorded) {
      parts.push(`${seats - recorded} not recorded`);
    }
    return parts.join(", ");
  }

  function setUpRegister(form) {
    const rows = Array.from(form.querySelectorAll("[data-register-row]"));
    const summary = document.getElementById("register-summary");

    function chosen(row) {
      const checked = row.querySelector('input[type="radio"]:checked');
      return checked ? checked.value : "";
    }

    function update() {
      const counts = { present: 0, deputy: 0, apologies: 0, absent: 0 };
      rows.forEach((row) => {
        const status = chosen(row);
        if (status in counts) {
          counts[status] += 1;
        }
        // The deputy's name is asked for only when a deputy attended.
        const deputy = row.querySelector("[data-register-deputy]");
        const hasError = deputy.querySelector(".is-invalid");
        deputy.hidden = status !== "deputy" && !hasError;
      });
      if (summary) {
        summary.replaceChildren(document.createElement("strong"));
        summary.firstChild.textContent = summarise(counts, rows.length);
      }
    }

    form.addEventListener("change", (event) => {
      if (event.target.matches('input[type="radio"]')) {
        update();
        if (event.target.value === "deputy") {
          const name = event.target.closest("[data-register-row]").querySelector("[data-register-deputy] input");
          // Move on to the name only on a mouse click: arrow keys must keep moving through the radios.
          if (event.target.dataset.clicked) {
            name.focus();
          }
        }
      }
    });
    form.addEventListener("click", (event) => {
      if (event.target.matches('input[type="radio"]') && event.detail > 0) {
        event.target.dataset.clicked = "yes";
        setTimeout(() => delete event.target.dataset.clicked, 0);
      }
    });

    const fill = form.querySelector("[data-register-fill]");
    if (fill) {
      fill.hidden = false;
      fill.addEventListener("click", () => {
        // A vacant seat has nobody to be present: it is left for staff to decide.
        rows.forEach((row) => {
          if (!chosen(row) && !("vacant" in row.dataset)) {
            const radio = row.querySelector(`input[type="radio"][value="${fill.dataset.registerFill}"]`);
            if (radio) {
              radio.checked = true;
            }
          }
        });
        update();
      });
    }
    update();
  }

  function setUpCopy(button) {
    const input = document.getElementById(button.dataset.copy);
    const help = document.getElementById(`${button.dataset.copy}-help`);
    if (!input || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(input.value).then(() => {
        if (help) {
          help.textContent = "Copied. Keep this address to yourself: anyone who has it can see the meetings.";
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-register]").forEach(setUpRegister);
    document.querySelectorAll("[data-copy]").forEach(setUpCopy);
  });
})();
