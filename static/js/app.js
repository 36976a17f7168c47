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
  // File inputs with data-max-bytes (core/filetypes.py size_limit_attrs) refuse a file
  // larger than the server accepts as soon as it is chosen. The server refuses such a
  // body before reading it, so its answer has lost everything else that was typed;
  // here nothing is sent and nothing is lost. The server's checks stay: this is a
  // kindness, not a guard. The message goes in the field's USWDS error area, linked
  // with aria-describedby and announced (role="alert"); a smaller file clears it.
  function megabytes(bytes) {
    return String(Math.round(bytes / 104857.6) / 10);
  }
  function sizeProblem(input) {
    var most = parseInt(input.getAttribute("data-max-bytes"), 10);
    var big = Array.prototype.find.call(input.files || [], function (file) { return file.size > most; });
    if (!big) { return ""; }
    var advice = input.getAttribute("data-too-large-advice") || "Share a larger file as a link.";
    return "“" + big.name + "” is " + (big.size / 1048576).toFixed(1) + " MB; the largest file " +
      "accepted is " + megabytes(most) + " MB. " + advice;
  }
  function showSizeProblem(input, message) {
    var id = input.id + "-size-error";
    var error = document.getElementById(id);
    var group = input.closest(".usa-form-group");
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (token) {
      return token && token !== id;
    });
    input.setCustomValidity(message);
    if (message) {
      if (!error) {
        error = document.createElement("span");
        error.id = id;
        error.className = "usa-error-message";
        error.setAttribute("role", "alert");
        var anchor = input.closest(".usa-file-input") || input;
        anchor.parentNode.insertBefore(error, anchor);
      }
      error.textContent = message;
      described.push(id);
      input.setAttribute("aria-invalid", "true");
    } else if (error) {
      error.remove();
      if (!group || !group.querySelector(".usa-error-message")) { input.removeAttribute("aria-invalid"); }
    }
    if (described.length) {
      input.setAttribute("aria-describedby", described.join(" "));
    } else {
      input.removeAttribute("aria-describedby");
    }
    if (group) {
      group.classList.toggle("usa-form-group--error", !!group.querySelector(".usa-error-message"));
    }
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[type=file][data-max-bytes]")) {
      showSizeProblem(input, sizeProblem(input));
    }
  });
  // Our forms are novalidate (their errors are the server's), so the browser would send
  // one holding a file refused above: stop it here, before the busy handler below.
  document.addEventListener("submit", function (event) {
    var refused = Array.prototype.find.call(
      event.target.querySelectorAll("input[type=file][data-max-bytes]"),
      function (input) { return input.validity.customError; }
    );
    if (refused) {
      event.preventDefault();
      refused.focus();
    }
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
