// Owner pickers: typing in "Find a person" narrows the owner select to matching names.
// Without this file the Find button asks the server for the same narrowing.
"use strict";

(() => {
  // The server's rule (actions.forms.search_words): every word, ignoring case.
  const wordsOf = (text) => text.toLocaleLowerCase().split(/\s+/).filter(Boolean).slice(0, 10);

  function setUp(box) {
    const select = document.getElementById(box.dataset.ownerSearch);
    const picker = box.closest("[data-owner-picker]");
    if (!select || !picker || box.dataset.ownerSearchReady) {
      return;
    }
    box.dataset.ownerSearchReady = "true";
    const find = picker.querySelector("[data-owner-find]");
    const status = picker.querySelector("[data-owner-status]");
    // The list filters itself, so the box is no longer sent and the button is not needed.
    box.removeAttribute("name");
    if (find) {
      find.hidden = true;
    }
    status.setAttribute("aria-live", "polite");
    const everyone = Array.from(select.children, (node) => node.cloneNode(true));

    const narrow = () => {
      const words = wordsOf(box.value);
      const chosen = select.value;
      const people = new Set();
      const keeps = (option) => {
        const name = option.textContent.toLocaleLowerCase();
        const wanted = option.value === "" || option.value === chosen;
        if (option.value !== "" && words.every((word) => name.includes(word))) {
          people.add(option.value);
          return true;
        }
        return wanted;
      };
      const shown = [];
      everyone.forEach((node) => {
        if (node.tagName === "OPTGROUP") {
          const group = node.cloneNode(false);
          Array.from(node.children)
            .filter(keeps)
            .forEach((option) => group.append(option.cloneNode(true)));
          if (group.children.length) {
            shown.push(group);
          }
        } else if (keeps(node)) {
          shown.push(node.cloneNode(true));
        }
      });
      select.replaceChildren(...shown);
      select.value = chosen;
      if (!words.length) {
        status.textContent = "Type part of a name to narrow the list of people.";
      } else if (people.size === 0) {
        status.textContent = "Nobody's name matches: check the spelling, or type less.";
      } else {
        const count = people.size === 1 ? "1 person matches" : `${people.size} people match`;
        status.textContent = `${count}: choose from the list above.`;
      }
    };

    box.addEventListener("input", narrow);
    // Enter in the box narrows the list; it must not send the form.
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        narrow();
      }
    });
    if (box.value) {
      narrow();
    }
  }

  const setUpWithin = (root) => {
    root.querySelectorAll("[data-owner-search]").forEach(setUp);
  };
  document.addEventListener("DOMContentLoaded", () => setUpWithin(document));
  // The meeting page's form is swapped in again by htmx after each action logged.
  document.addEventListener("htmx:load", (event) => setUpWithin(event.target));
})();
