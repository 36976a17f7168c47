// Whole-collaborative files (measures/views/exports.py): while a file is being
// prepared, poll its status, show how far it is, and swap in the download link when
// it is ready. Without JavaScript the page refreshes itself (<noscript><meta refresh>).
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
          var label;
          if (data.status === "queued") {
            label = document.createElement("span");
            label.textContent = "Being prepared: " + data.progress + "% done";
            window.setTimeout(poll, every);
          } else if (data.download_url) {
            label = document.createElement("a");
            label.href = data.download_url;
            label.textContent = "Download the file";
          } else {
            label = document.createElement("span");
            label.textContent = data.label + ": please ask again";
          }
          cell.dataset.status = data.status;
          label.className = "export-status__label";
          cell.replaceChildren(label);
        })
        .catch(function () { window.setTimeout(poll, every * 4); });
    }
    window.setTimeout(poll, every);
  }
  document.querySelectorAll('.export-status[data-status="queued"]').forEach(watch);
})();
