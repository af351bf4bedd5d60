/* Task Force: start Det Fælles Designsystem's components. No inline scripts anywhere. */
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS) {
    window.DKFDS.init();
  }
});
document.addEventListener("htmx:afterSwap", function (event) {
  if (window.DKFDS && event.detail && event.detail.target) {
    window.DKFDS.init(event.detail.target);
  }
});
