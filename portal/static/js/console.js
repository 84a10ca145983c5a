// The operator console's keyboard handling and copy button. The page works without this file:
// links and forms do the same with full page loads.
(function () {
  "use strict";

  function results() {
    return Array.prototype.slice.call(document.querySelectorAll("#console-results a.result"));
  }

  function searchInput() {
    return document.getElementById("console-q");
  }

  function move(from, step) {
    var links = results();
    if (!links.length) { return; }
    var index = links.indexOf(from);
    var next = index + step;
    if (index === -1) { next = step > 0 ? 0 : links.length - 1; }
    if (next < 0) { searchInput().focus(); return; }
    links[Math.min(next, links.length - 1)].focus();
  }

  document.addEventListener("keydown", function (event) {
    var input = searchInput();
    if (!input) { return; }
    var target = event.target;
    var inResults = target.matches && target.matches("#console-results a.result");
    if (event.key === "ArrowDown" && (target === input || inResults)) {
      event.preventDefault();
      move(inResults ? target : null, 1);
    } else if (event.key === "ArrowUp" && inResults) {
      event.preventDefault();
      move(target, -1);
    } else if (event.key === "Escape") {
      input.focus();
      input.select();
    } else if (event.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) {
      event.preventDefault();
      input.focus();
    }
  });

  function copied(button) {
    var status = button.parentNode.querySelector(".copy-status");
    if (status) { status.textContent = button.getAttribute("data-copied-text"); }
  }

  function copyText(button) {
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (!source) { return; }
    var text = source.innerText.trim();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { copied(button); });
      return;
    }
    // Plain http on a LAN: the older selection-based copy still works there.
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    if (document.execCommand("copy")) { copied(button); }
    selection.removeAllRanges();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".copy-button");
    if (button) { copyText(button); }
  });

  // After an answer opens, put the keyboard on its copy button: the next thing an operator does.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id !== "console-panel") { return; }
    var button = event.target.querySelector(".copy-button") || event.target.querySelector("#panel-heading");
    if (button) { button.focus(); }
  });

  // Copy buttons need this script: hide them where it is not running.
  document.documentElement.classList.add("js");
})();
