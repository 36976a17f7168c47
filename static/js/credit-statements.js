// Staff's credit offer form: an "Insert" button after each recommended statement puts
// its wording into the statement field. The bracketed placeholders stay as they are
// (the form refuses them until staff replace them), so no provider's name is guessed.
(function () {
  "use strict";
  document.querySelectorAll(".js-statement").forEach(function (span) {
    var target = document.getElementById(span.dataset.target);
    if (!target) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "usa-button usa-button--unstyled margin-left-1";
    var label = target.id === "id_accreditation_statement" ? "accreditation" : "designation";
    button.textContent = "Insert as the " + label + " statement";
    button.addEventListener("click", function () {
      target.value = span.textContent.trim();
      target.focus();
    });
    span.insertAdjacentElement("afterend", button);
  });
})();
