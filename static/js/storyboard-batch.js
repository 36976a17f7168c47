// "Print every storyboard" progress (resources/views_sustain.py): poll progress.json,
// update the bar and the count in place, and show the download link when the PDF is
// ready. Without JavaScript the page refreshes itself instead (<noscript><meta refresh>).
(function () {
  "use strict";
  var box = document.getElementById("storyboard-progress");
  if (!box || box.dataset.active !== "true") {
    return;
  }
  var bar = document.getElementById("storyboard-bar");
  var every = 1500;
  function show(data) {
    ["status_label", "done", "total"].forEach(function (key) {
      box.querySelectorAll('[data-field="' + key + '"]').forEach(function (el) {
        el.textContent = data[key];
      });
    });
    bar.max = data.total || 1;
    bar.value = data.done;
    bar.textContent = data.percent + "%";
    if (data.download_url) {
      box.querySelectorAll('[data-field-href="download_url"]').forEach(function (el) {
        el.href = data.download_url;
      });
      box.querySelectorAll('[data-when="ready"]').forEach(function (el) { el.hidden = false; });
    }
    if (!data.active) {
      box.querySelectorAll('[data-when="active"]').forEach(function (el) { el.hidden = true; });
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
