// The header's search box (templates/components/search_box.html): Escape closes the suggestions htmx
// showed under it and puts the focus back in the box, from the box or from a suggestion (WCAG 2.1.1
// and 1.4.13: what appears on focus can be dismissed from the keyboard). The box works without this
// file; with no suggestions open, Escape keeps the browser's meaning (it empties the box).
(function () {
  "use strict";

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) { return; }
    var field = event.target.closest(".search-box .search-field");
    if (!field) { return; }
    var list = field.querySelector(".suggestions");
    var box = field.querySelector("input[type=search]");
    if (!list || !box || !list.children.length) { return; }
    event.preventDefault();
    if (window.htmx) { window.htmx.trigger(box, "htmx:abort"); }  // a request on its way must not reopen it
    list.replaceChildren();
    box.focus();
  });
})();
