/* Task Force: Enter in a chooser's search box (core.choosers, templates/includes/chooser.html)
 * searches, as typing does, instead of sending the form: the form's first submit button is a
 * hidden copy of its main button (includes/chooser_default_submit.html), so that Enter in any
 * other box saves as before. Without JavaScript the chooser's "Søg" button searches.
 *
 * Loaded by each chooser on the page (with `defer`, from our static files): it listens once.
 */
(function () {
  "use strict";

  if (window.taskForceChooser) {
    return;
  }
  window.taskForceChooser = true;

  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || event.isComposing || !box.classList || !box.classList.contains("chooser-query")) {
      return;
    }
    event.preventDefault();
    // The box's hx-trigger listens for "search" (what Enter in a search box fires by itself).
    if (window.htmx) {
      window.htmx.trigger(box, "search");
    }
  });
})();
