// Sponsor report status (dashboards/views_progress.py): while a report is being
// prepared, poll its status and swap in the download link when it is ready. Without
// JavaScript the page refreshes itself instead (<noscript><meta refresh>).
(function () {
  "use strict";
  var every = 2000;
  function watch(cell) {
    function poll() {
      fetch(cell.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (data) {
          if (data.status === "queued") {
            window.setTimeout(poll, every);
            return;
          }
          cell.dataset.status = data.status;
          var label;
          if (data.download_url) {
            label = document.createElement("a");
            label.href = data.download_url;
            label.textContent = "Download the PDF";
          } else {
            label = document.createElement("span");
            label.textContent = data.label + ": please try again";
          }
          label.className = "progress-report__label";
          cell.replaceChildren(label);
        })
        .catch(function () { window.setTimeout(poll, every * 4); });
    }
    window.setTimeout(poll, every);
  }
  document.querySelectorAll('.progress-report[data-status="queued"]').forEach(watch);
})();
