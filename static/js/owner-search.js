// Owner pickers: typing in "Find a person" asks the server (data-owner-url) for the
// people whose name matches and offers them in the owner select, which never lists
// everybody: the log lists nobody until a name is typed, the forms the group's people.
// Without this file the Find button asks the server for the same matches.
"use strict";

(() => {
  // The server's rule (actions.forms.search_words): every word, ignoring case.
  const wordsOf = (text) => text.toLocaleLowerCase().split(/\s+/).filter(Boolean).slice(0, 10);
  // Wait for a pause in typing before asking the server.
  const PAUSE_MS = 200;

  const countOf = (n) => (n === 1 ? "1 person matches" : `${n} people match`);

  // Ask the server for the people who match: the select then lists its empty choice, the
  // person chosen, and the matches. An empty box brings back what the page listed.
  function narrowFromServer(box, select, status, hint) {
    const url = new URL(box.dataset.ownerUrl, window.location.href);
    const listed = Array.from(select.children, (node) => node.cloneNode(true));
    const anyone = Array.from(select.options).filter((option) => option.value === "");
    let pending = null;
    let timer = null;

    const option = (value, name) => {
      const node = document.createElement("option");
      node.value = value;
      node.textContent = name;
      return node;
    };

    const listedValues = new Set(
      Array.from(select.options, (node) => node.value).filter((value) => value !== ""),
    );

    const show = (people, more) => {
      const chosen = select.selectedOptions[0];
      const searched = wordsOf(box.value).length > 0;
      const shown = (searched ? anyone : listed).map((node) => node.cloneNode(true));
      const values = searched
        ? new Set(people.map((person) => String(person.value)))
        : listedValues;
      if (chosen && chosen.value !== "" && !values.has(chosen.value)) {
        shown.push(option(chosen.value, chosen.textContent.trim()));
      }
      people.forEach((person) => shown.push(option(person.value, person.name)));
      const value = chosen ? chosen.value : "";
      select.replaceChildren(...shown);
      select.value = value;
      if (!searched) {
        status.textContent = hint;
      } else if (people.length === 0) {
        status.textContent = "Nobody's name matches: check the spelling, or type less.";
      } else if (more) {
        status.textContent =
          `More than ${people.length} people match: the first ${people.length} ` +
          "are in the list above. Type more of the name to narrow them.";
      } else {
        status.textContent = `${countOf(people.length)}: choose from the list above.`;
      }
    };

    const ask = async () => {
      window.clearTimeout(timer);
      if (pending) {
        pending.abort();
      }
      if (!wordsOf(box.value).length) {
        show([], false);
        return;
      }
      pending = new AbortController();
      url.searchParams.set("q", box.value);
      try {
        const response = await fetch(url, {
          headers: { Accept: "application/json" },
          signal: pending.signal,
        });
        if (!response.ok) {
          throw new Error(`The owner search answered ${response.status}`);
        }
        const answer = await response.json();
        show(answer.results, answer.more);
      } catch (error) {
        if (error.name !== "AbortError") {
          status.textContent = "The search did not answer: try again in a moment.";
        }
      }
    };

    return (now) => {
      window.clearTimeout(timer);
      if (now) {
        ask();
      } else {
        timer = window.setTimeout(ask, PAUSE_MS);
      }
    };
  }

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
    const narrow = narrowFromServer(
      box,
      select,
      status,
      "Type part of a name to list the people who match.",
    );

    box.addEventListener("input", () => narrow(false));
    // Enter in the box narrows the list; it must not send the form.
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        narrow(true);
      }
    });
    if (box.value) {
      narrow(true);
    }
  }

  const setUpWithin = (root) => {
    root.querySelectorAll("[data-owner-search]").forEach(setUp);
  };
  document.addEventListener("DOMContentLoaded", () => setUpWithin(document));
  // The meeting page's form is swapped in again by htmx after each action logged.
  document.addEventListener("htmx:load", (event) => setUpWithin(event.target));
})();
