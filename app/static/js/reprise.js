// The little JavaScript Reprise has: every page works without it.
// Moves the keyboard focus to the error summary so that screen readers announce it first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) {
    summary.focus();
  }
});

// The mandate form's platform list: a search field that shows only the platforms whose name
// matches, opening their category. Without JavaScript, the categories open one by one.
document.addEventListener("DOMContentLoaded", function () {
  var input = document.querySelector("[data-filter]");
  if (!input) {
    return;
  }
  var groups = document.querySelectorAll("." + input.getAttribute("data-filter"));
  var count = document.getElementById(input.getAttribute("aria-describedby"));
  var fold = function (text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  };
  input.closest("[data-filter-field]").hidden = false;
  input.addEventListener("input", function () {
    var wanted = fold(input.value);
    var shown = 0;
    groups.forEach(function (group) {
      var any = false;
      group.querySelectorAll(".choice").forEach(function (choice) {
        var match = !wanted || fold(choice.textContent).indexOf(wanted) !== -1;
        choice.hidden = !match;
        if (match) {
          any = true;
          shown += 1;
        }
      });
      group.hidden = !any;
      if (wanted) {
        group.open = any;
      }
    });
    count.textContent = wanted ? count.getAttribute("data-" + (shown === 1 ? "one" : "many")).replace("%(num)s", shown) : "";
  });
});

// A "show password" button beside each password field, so that people can check what they typed.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-reveal]").forEach(function (input) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-secondary";
    button.textContent = input.getAttribute("data-reveal");
    button.setAttribute("aria-controls", input.id);
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () {
      var shown = input.type === "password";
      input.type = shown ? "text" : "password";
      button.textContent = input.getAttribute(shown ? "data-conceal" : "data-reveal");
      button.setAttribute("aria-pressed", shown ? "true" : "false");
    });
    input.insertAdjacentElement("afterend", button);
  });
});
