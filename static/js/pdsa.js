// PDSA stage forms: background draft autosave that never loses text.
//
// Every keystroke keeps a copy of the form in localStorage. For a cycle that
// exists, the draft is also posted in the background (X-Autosave: 1) a few
// seconds after typing stops; when the connection drops, the copy stays on the
// device and the save is retried (and tried again as soon as the browser is back
// online). Each copy records the server's version of the cycle it was typed on
// (issued by the server, never the device's clock, which may be wrong); when the
// page is opened again and the server has not changed since, the text is put back
// into the form. Without JavaScript the form's own "Save draft" button does the
// same job.
(function () {
  "use strict";

  var storage = (function () {
    try {
      window.localStorage.setItem("pdsa-probe", "1");
      window.localStorage.removeItem("pdsa-probe");
      return window.localStorage;
    } catch (e) {
      return null;
    }
  })();

  function read(key) {
    if (!storage) { return null; }
    try { return JSON.parse(storage.getItem(key) || "null"); } catch (e) { return null; }
  }

  // A cycle's page after a successful save: forget copies that were submitted.
  var clear = document.querySelector("[data-autosave-clear]");
  if (clear && storage) {
    clear.getAttribute("data-autosave-clear").split(" ").forEach(function (prefix) {
      for (var i = storage.length - 1; i >= 0; i--) {
        var key = storage.key(i);
        if (key && key.indexOf(prefix) === 0) {
          var entry = read(key);
          if (entry && entry.submitted) { storage.removeItem(key); }
        }
      }
    });
  }

  var form = document.querySelector("form[data-autosave-key]");
  if (!form) { return; }
  var key = form.getAttribute("data-autosave-key");
  var url = form.getAttribute("data-autosave-url");
  // Microseconds since the epoch of the server's last save (pdsa.views.cycles.server_version).
  var serverVersion = Number(form.getAttribute("data-server-version") || "0");
  var status = form.querySelector(".pdsa-autosave-status");
  var SKIP = { csrfmiddlewaretoken: true, editing_stage: true };
  var timer = null;
  var retryDelay = 5000;
  var saving = false;
  var dirty = false;
  var submitting = false;

  function say(text) { if (status) { status.textContent = text; } }

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !SKIP[el.name] && el.type !== "submit" && el.type !== "file";
    });
  }

  function snapshot() {
    var values = {};
    fields().forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { values[el.name] = el.value; }
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function keepLocal(submitted) {
    if (!storage) { return; }
    try {
      storage.setItem(key, JSON.stringify({
        base: serverVersion, values: snapshot(), submitted: !!submitted
      }));
    } catch (e) { /* storage full: the server save still runs */ }
  }

  function dropLocal() { if (storage) { storage.removeItem(key); } }

  function restore() {
    var entry = read(key);
    if (!entry || !entry.values) { return; }
    // Saved on the server after this copy was typed (on another device, or by the
    // form's own submit): the server's text wins. A copy from before versions were
    // recorded has no base; its text is put back rather than lost.
    if (typeof entry.base === "number" && serverVersion > entry.base) { dropLocal(); return; }
    var changed = false;
    fields().forEach(function (el) {
      if (!(el.name in entry.values)) {
        if (el.type === "radio" && el.checked) { el.checked = false; changed = true; }
        return;
      }
      var value = entry.values[el.name];
      if (el.type === "radio" || el.type === "checkbox") {
        var on = el.value === value;
        if (el.checked !== on) { el.checked = on; changed = true; }
      } else if (el.value !== value) {
        el.value = value;
        changed = true;
      }
    });
    if (!changed) { dropLocal(); return; }
    if (changed) {
      dirty = true;
      say("We put back text you typed earlier that had not reached the server yet. " +
          (url ? "Saving it now." : "Save the draft to keep it."));
      if (url) { schedule(500); }
    }
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, delay);
  }

  function firstError(errors) {
    for (var name in errors) {
      if (Object.prototype.hasOwnProperty.call(errors, name) && errors[name].length) {
        var item = errors[name][0];
        return typeof item === "string" ? item : (item.message || "");
      }
    }
    return "";
  }

  function save() {
    if (!url || saving || submitting || !window.fetch || !window.FormData) { return; }
    saving = true;
    dirty = false;
    var body = new FormData(form);
    body.set("action", "save");
    window.fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Autosave": "1", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) {
        return { ok: response.ok, code: response.status, data: data };
      });
    }).then(function (result) {
      saving = false;
      if (result.ok && result.data.saved) {
        retryDelay = 5000;
        serverVersion = Number(result.data.version) || serverVersion;
        if (dirty) {
          keepLocal(false);  // typed while saving: the copy now builds on the new version
          schedule(3000);
        } else {
          dropLocal();
        }
        // The time as the server writes it, in the viewer's zone: the page says the same.
        say("Draft saved at " + result.data.saved_at_time + ".");
      } else if (result.code === 400) {
        dirty = true;
        say("Not saved automatically: " + firstError(result.data.errors || {}) +
            " Your text is kept on this device; use “Save draft” to see the problem.");
      } else {
        throw new Error("server " + result.code);
      }
    }).catch(function () {
      saving = false;
      dirty = true;
      say("No connection. Your text is kept on this device and will be saved when the " +
          "connection returns.");
      schedule(retryDelay);
      retryDelay = Math.min(retryDelay * 2, 60000);
    });
  }

  function edited() {
    dirty = true;
    keepLocal(false);
    if (url) {
      schedule(3000);
    } else {
      say("Your text is kept on this device until you save it.");
    }
  }

  form.addEventListener("input", edited);
  form.addEventListener("change", edited);
  form.addEventListener("submit", function () {
    submitting = true;
    window.clearTimeout(timer);
    keepLocal(true);
  });
  window.addEventListener("online", function () { if (dirty) { schedule(200); } });
  restore();
})();
