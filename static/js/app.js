/* Task Force: start Det Fælles Designsystem (DKFDS v11) and keep it working after htmx swaps.
 *
 * Loaded with `defer` after htmx and dkfds.min.js, so the document is parsed and both
 * libraries are there. No inline scripts anywhere: a strict Content Security Policy follows.
 *
 * DKFDS v11's API: `DKFDS.init({scope: element})`. Its `scope` only limits the components
 * that are looked up; init() always also starts the header navigation (which adds the
 * "Mere" menu once per call) and focuses the first error summary. So the page is started
 * once with DKFDS.init(), and content swapped in by htmx gets only the components found
 * inside it, through the classes DKFDS exports.
 */
(function () {
  "use strict";

  // CSS shows the mobile menu inline while html has .no-js; early.js has already swapped it
  // for .js before the first paint, so the menu button is visible for DKFDS.init() below.
  // Only with JavaScript is the drawer a modal dialog; without it, it is part of the page.
  Array.prototype.forEach.call(document.querySelectorAll(".mobile-drawer"), function (drawer) {
    drawer.setAttribute("role", "dialog");
    drawer.setAttribute("aria-modal", "true");
  });

  var DKFDS = window.DKFDS;
  if (!DKFDS) {
    return; // The page still works: every form and link does without JavaScript.
  }

  /* Elements in `scope` (the scope itself included) that match `selector`. */
  function within(scope, selector) {
    var found = Array.prototype.slice.call(scope.querySelectorAll(selector));
    if (scope.matches && scope.matches(selector)) {
      found.unshift(scope);
    }
    return found;
  }

  /* Start the DKFDS components inside a fragment that htmx has just put in the page. */
  function initFragment(scope) {
    var components = [
      [".accordion, .accordion-bordered", DKFDS.Accordion],
      [".alert.has-close", DKFDS.Alert],
      [".back-to-top-button", DKFDS.BackToTop],
      [".form-limit", DKFDS.CharacterLimit],
      [".js-checkbox-toggle-content", DKFDS.CheckboxToggleContent],
      [".js-dropdown", DKFDS.Dropdown],
      [".overflow-menu--sort", DKFDS.DropdownSort],
      [".fds-modal", DKFDS.Modal],
      [".js-radio-toggle-group", DKFDS.RadioToggleGroup],
      ["table.table--selectable", DKFDS.TableSelectableRows],
      ["div.tab-container", DKFDS.Tabs],
      [".tooltip-wrapper", DKFDS.Tooltip]
    ];
    components.forEach(function (entry) {
      var Component = entry[1];
      if (typeof Component !== "function") {
        return;
      }
      within(scope, entry[0]).forEach(function (element) {
        new Component(element).init();
      });
    });
    // Responsive tables set themselves up in the constructor.
    if (typeof DKFDS.ResponsiveTable === "function") {
      within(scope, "table.table--responsive-headers, table.table-sm-responsive-headers, " +
        "table.table-md-responsive-headers, table.table-lg-responsive-headers").forEach(function (table) {
        new DKFDS.ResponsiveTable(table);
      });
    }
    // The date picker's events are delegated from the document; only enhance new fields.
    if (DKFDS.datePicker && typeof DKFDS.datePicker.init === "function") {
      DKFDS.datePicker.init(scope);
    }
    // A form that came back with errors: move focus to its error summary.
    var summary = within(scope, '[data-module="error-summary"]')[0];
    if (summary && typeof DKFDS.ErrorSummary === "function") {
      new DKFDS.ErrorSummary(summary).init();
    }
  }

  DKFDS.init();

  // htmx fires htmx:load for the body when it starts (already handled by init above) and for
  // every element it swaps in afterwards.
  document.addEventListener("htmx:load", function (event) {
    var element = event.detail && event.detail.elt;
    if (!element || element === document.body || element.nodeType !== 1) {
      return;
    }
    initFragment(element);
  });
})();
