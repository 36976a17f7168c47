// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Send Django's CSRF token with htmx requests.
  document.addEventListener("htmx:configRequest", function (event) {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]); }
  });
  // Forms marked data-busy="message" say that the work is under way and cannot be
  // sent twice (an import of 20,000 rows takes several seconds). The button pressed
  // still counts: its name is kept in a hidden field before the buttons are disabled.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-busy");
    if (!message || event.defaultPrevented) { return; }
    if (form.getAttribute("data-busy-sent")) { event.preventDefault(); return; }
    form.setAttribute("data-busy-sent", "1");
    var pressed = event.submitter;
    if (pressed && pressed.name) {
      var keep = document.createElement("input");
      keep.type = "hidden";
      keep.name = pressed.name;
      keep.value = pressed.value;
      form.appendChild(keep);
    }
    var status = form.querySelector("[data-busy-status]");
    if (status) { status.textContent = message; }
    window.setTimeout(function () {
      form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
    }, 0);
  });
})();
