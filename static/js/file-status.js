// Files prepared in the background (the sponsor progress report, dashboards/
// views_progress.py; the files of every team, measures/views/exports.py): while one is
// being prepared, poll its status (the cell's data-url), show how far it is when the
// status says (progress), and swap in the download link (data-ready-text) when it is
// ready, or the failure (data-failed-text) when it failed. Without JavaScript the page
// refreshes itself instead (<noscript><meta refresh>).
(function () {
  "use strict";
  var every = 2000;
  function watch(cell) {
    function label(tag, text) {
      var node = document.createElement(tag);
      node.textContent = text;
      node.className = "file-status__label";
      return node;
    }
    function poll() {
      fetch(cell.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (data) {
          var node;
          if (data.status === "queued") {
            window.setTimeout(poll, every);
            if (data.progress === undefined) { return; }
            node = label("span", "Being prepared: " + data.progress + "% done");
          } else if (data.download_url) {
            node = label("a", cell.dataset.readyText);
            node.href = data.download_url;
          } else {
            node = label("span", data.label + ": " + cell.dataset.failedText);
          }
          cell.dataset.status = data.status;
          cell.replaceChildren(node);
        })
        .catch(function () { window.setTimeout(poll, every * 4); });
    }
    window.setTimeout(poll, every);
  }
  document.querySelectorAll('.file-status[data-status="queued"]').forEach(watch);
})();
