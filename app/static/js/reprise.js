// The little JavaScript Reprise has: every page works without it.
// Moves the keyboard focus to the error summary so that screen readers announce it first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) {
    summary.focus();
  }
});
