// Bulk issue progress (certificates/views_bulk.py): poll progress.json and update
// the bar and counts in place. Without JavaScript the page refreshes itself instead
// (a <meta http-equiv="refresh"> inside <noscript>, so never both).
(function () {
  "use strict";
  var box = document.getElementById("bulk-progress");
  if (!box || box.dataset.active !== "true") {
    return;
  }
  var bar = document.getElementById("bulk-bar");
  var every = 1500;
  function show(data) {
    Object.keys(data).forEach(function (key) {
      box.querySelectorAll('[data-field="' + key + '"]').forEach(function (el) {
        el.textContent = data[key];
      });
    });
    bar.max = data.total || 1;
    bar.value = data.done;
    bar.textContent = data.percent + "%";
    if (!data.active) {
      box.querySelectorAll('[data-when="active"]').forEach(function (el) { el.hidden = true; });
      box.querySelectorAll('[data-when="done"]').forEach(function (el) { el.hidden = false; });
    }
    return data.active;
  }
  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        if (show(data)) { window.setTimeout(poll, every); }
      })
      .catch(function () { window.setTimeout(poll, every * 4); });
  }
  window.setTimeout(poll, every);
})();
