// Gap analysis: autosave of the survey form, conditional questions, live points in
// the builder. Progressive enhancement only: every form works without this file.
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // --- the survey form -------------------------------------------------------------
  function questionOf(element) {
    var box = element.closest("[data-question]");
    return box ? box.getAttribute("data-question") : null;
  }

  function answerValues(form, key) {
    return Array.prototype.filter
      .call(form.querySelectorAll("[name='q-" + key + "']"), function (input) {
        return (input.type !== "radio" && input.type !== "checkbox") || input.checked;
      })
      .map(function (input) { return input.value; });
  }

  function applyConditions(form) {
    // Questions only depend on earlier ones, so one pass in page order is enough.
    form.querySelectorAll("[data-question]").forEach(function (box) {
      var parent = box.getAttribute("data-show-if");
      if (!parent) { return; }
      var parentBox = form.querySelector("[data-question='" + parent + "']");
      var wanted = (box.getAttribute("data-show-values") || "").split(" ");
      var shown = parentBox && !parentBox.hidden && answerValues(form, parent).some(function (v) {
        return wanted.indexOf(v) !== -1;
      });
      box.hidden = !shown;
    });
  }

  function setError(form, key, message) {
    var box = form.querySelector("[data-question='" + key + "']");
    if (!box) { return; }
    var existing = box.querySelector(".usa-error-message[data-live]");
    if (existing) { existing.remove(); }
    box.classList.toggle("usa-form-group--error", Boolean(message));
    if (message) {
      var span = document.createElement("span");
      span.className = "usa-error-message";
      span.setAttribute("data-live", "");
      span.setAttribute("role", "alert");
      span.textContent = message;
      var legend = box.querySelector("legend");
      legend.parentNode.insertBefore(span, legend.nextSibling);
    }
  }

  function initSurvey(form) {
    var status = form.querySelector("[data-save-status]");
    var pending = {};
    var timer = null;
    var saving = false;
    var again = false;

    function say(text) { if (status) { status.textContent = text; } }

    function save() {
      var keys = Object.keys(pending);
      if (!keys.length) { return; }
      if (saving) { again = true; return; }
      saving = true;
      var data = new FormData(form);
      data.set("only", keys.join(","));
      data.set("action", "save");
      say("Saving…");
      fetch(window.location.href, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(form) }
      })
        .then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (result) {
          var body = result.body;
          if (result.ok && body.ok) {
            keys.forEach(function (key) {
              delete pending[key];
              setError(form, key, "");
              var editor = form.querySelector("[data-question='" + key + "'] [data-editor]");
              if (editor && body.changed.indexOf(key) !== -1) {
                editor.textContent = "Last changed by " + body.editor + ", " + body.edited_at;
              }
            });
            (body.progress || []).forEach(function (p) {
              var count = document.querySelector("[data-progress='" + p.key + "']");
              if (count) { count.textContent = p.answered + " of " + p.shown; }
            });
            var total = document.querySelector("[data-progress-total]");
            if (total && body.progress) {
              var answered = 0, shown = 0;
              body.progress.forEach(function (p) { answered += p.answered; shown += p.shown; });
              total.textContent = answered + " of " + shown + " answered";
            }
            say("Saved at " + body.saved_at + (body.conflicts.length ? ". " + body.conflicts.join(" ") : ""));
          } else {
            var errors = body.errors || {};
            Object.keys(errors).forEach(function (key) { setError(form, key, errors[key]); });
            var problems = Object.keys(errors).map(function (key) { return key + ": " + errors[key]; });
            say("Not saved. " + problems.concat(body.messages || []).join(" "));
          }
        })
        .catch(function () {
          say("Not saved: the connection failed. Your answers are still on this page; use “Save draft”.");
        })
        .then(function () {
          saving = false;
          if (again) { again = false; save(); }
        });
    }

    function changed(event, delay) {
      var key = questionOf(event.target);
      if (!key) { return; }
      var target = event.target;
      if (target.type === "checkbox" && target.name === "q-" + key && target.checked) {
        // "None of these" excludes every other option, and the other way round.
        var none = target.hasAttribute("data-none-of-these");
        form.querySelectorAll("[name='q-" + key + "']").forEach(function (box) {
          if (box !== target && box.hasAttribute("data-none-of-these") !== none) { box.checked = false; }
        });
      }
      pending[key] = true;
      applyConditions(form);
      clearTimeout(timer);
      timer = setTimeout(save, delay);
    }

    form.addEventListener("change", function (event) { changed(event, 200); });
    form.addEventListener("input", function (event) {
      if (event.target.type === "text" || event.target.tagName === "TEXTAREA") { changed(event, 1200); }
    });
    applyConditions(form);
  }

  // --- the builder's question form: its points, live ------------------------------------
  function number(text) {
    var value = parseFloat(String(text).replace(",", "."));
    return isFinite(value) ? value : 0;
  }

  function initBuilder(form) {
    var box = document.querySelector(".points-live");
    if (!box) { return; }
    var without = number(box.getAttribute("data-points-without"));
    var own = box.querySelector("[data-question-points]");
    var total = box.querySelector("[data-template-total]");
    function field(name) { return form.querySelector("[name='" + name + "']"); }
    function lines(name) {
      var input = field(name);
      return input ? input.value.split("\n").filter(function (l) { return l.trim(); }) : [];
    }
    function update() {
      var type = field("type").value;
      var profile = field("profile") && field("profile").checked;
      var points = 0;
      if (!profile && type === "yes_no") { points = number(field("points").value); }
      if (!profile && (type === "single" || type === "multi")) {
        var values = lines("options").map(function (l) { return l.indexOf("=") === -1 ? 0 : number(l.split("=").pop()); });
        points = type === "multi"
          ? values.reduce(function (a, b) { return a + b; }, 0)
          : values.reduce(function (a, b) { return Math.max(a, b); }, 0);
      }
      if (!profile && (type === "number" || type === "percent")) {
        points = lines("bands").map(function (l) { return number(l.split("=").pop()); })
          .reduce(function (a, b) { return Math.max(a, b); }, 0);
      }
      own.textContent = String(Math.round(points * 100) / 100);
      total.textContent = String(Math.round((without + points) * 100) / 100);
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }

  document.querySelectorAll("form[data-autosave]").forEach(initSurvey);
  document.querySelectorAll("form[data-question-builder]").forEach(initBuilder);
})();
