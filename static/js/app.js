// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Send Django's CSRF token with htmx requests.
  document.addEventListener("htmx:configRequest", function (event) {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]); }
  });
  // The menu panel below the desktop width (USWDS) hides the page from screen readers
  // while it is open and traps Tab inside itself, but its trap counts the items of
  // closed submenus as the last stop: Tab from the last item you can see went on into
  // the hidden page. Wrap between the first and last items that are shown instead
  // (issue 13). Runs before USWDS's own handler, which then has nothing to do.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || !document.body.classList.contains("usa-js-mobile-nav--active")) {
      return;
    }
    var nav = document.querySelector(".usa-nav.is-visible");
    if (!nav) { return; }
    var shown = Array.prototype.filter.call(
      nav.querySelectorAll("a[href], button:not([disabled]), input:not([disabled]), select, textarea"),
      function (element) { return element.getClientRects().length > 0; }
    );
    if (!shown.length) { return; }
    var first = shown[0];
    var last = shown[shown.length - 1];
    var here = document.activeElement;
    if (event.shiftKey && (here === first || !nav.contains(here))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (here === last || !nav.contains(here))) {
      event.preventDefault();
      first.focus();
    }
  }, true);
  // "Go back" buttons (the expired-form page): shown only with JavaScript, in place of
  // a javascript: link, which the Content-Security-Policy blocks.
  document.querySelectorAll("[data-history-back]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.history.back(); });
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
