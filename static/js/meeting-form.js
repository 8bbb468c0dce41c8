// The meeting form: keeps the in-person rule's explanation in step with the group, date,
// format and host as they are chosen. Without this file the page explains the rule for
// the meeting as it was opened, and saving checks it all the same.
"use strict";

(() => {
  const FIELDS = ["group", "date", "start_time", "format", "host_agency", "status"];

  function setUp(form) {
    const hint = form.querySelector("[data-testid='rule-hint']");
    if (!hint) {
      return;
    }
    const part = (name) => hint.querySelector(`[data-rule-part="${name}"]`);
    let latest = 0;

    function show(answer) {
      part("rule").textContent = answer.rule || "Choose a group to see its in-person rule.";
      part("expectation").textContent = answer.expectation;
      part("verdict").textContent = answer.verdict;
      const list = part("warnings");
      list.replaceChildren(
        ...answer.warnings.map((warning) => {
          const item = document.createElement("li");
          item.textContent = warning;
          return item;
        }),
      );
    }

    async function refresh() {
      const url = new URL(form.dataset.ruleHintUrl, window.location.href);
      FIELDS.forEach((name) => {
        const field = form.elements.namedItem(name);
        if (field && field.value) {
          url.searchParams.set(name, field.value);
        }
      });
      const asked = ++latest;
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        // An answer overtaken by a later change is dropped: the last choice wins.
        if (response.ok && asked === latest) {
          show(await response.json());
        }
      } catch {
        // Offline or signed out: the page keeps its last explanation; saving still checks.
      }
    }

    form.addEventListener("change", (event) => {
      if (FIELDS.includes(event.target.name)) {
        refresh();
      }
    });
  }

  document.querySelectorAll("form[data-rule-hint-url]").forEach(setUp);
})();
