// Progress of work done in the background (resources' "print every storyboard",
// resources/views_sustain.py; certificates' bulk issue, certificates/views_bulk.py).
// Without JavaScript the page refreshes itself instead (<noscript><meta refresh>).
//
// The box says everything this needs in its markup:
//   <div data-progress data-url="…progress.json" data-active="true">
//     <progress>…</progress>                    bar: value done, max total, text percent
//     <span data-field="done">                  text: the status's value of that name
//     <a data-field-href="download_url">        href: the status's value of that name
//     <p data-when="active">                    hidden once the work has stopped
//     <p data-when="done" hidden>               shown once the work has stopped
//     <p data-when="ready" hidden>              shown once the status has a download_url
(function () {
  "use strict";
  var every = 1500;
  function each(box, selector, action) {
    box.querySelectorAll(selector).forEach(action);
  }
  function show(box, data) {
    each(box, "[data-field]", function (el) {
      var key = el.getAttribute("data-field");
      if (key in data) { el.textContent = data[key]; }
    });
    each(box, "[data-field-href]", function (el) {
      var value = data[el.getAttribute("data-field-href")];
      if (value) { el.href = value; }
    });
    var bar = box.querySelector("progress");
    if (bar) {
      bar.max = data.total || 1;
      bar.value = data.done;
      bar.textContent = data.percent + "%";
    }
    if (data.download_url) {
      each(box, '[data-when="ready"]', function (el) { el.hidden = false; });
    }
    if (!data.active) {
      each(box, '[data-when="active"]', function (el) { el.hidden = true; });
      each(box, '[data-when="done"]', function (el) { el.hidden = false; });
    }
    return data.active;
  }
  function watch(box) {
    function poll() {
      fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (data) {
          if (show(box, data)) { window.setTimeout(poll, every); }
        })
        .catch(function () { window.setTimeout(poll, every * 4); });
    }
    window.setTimeout(poll, every);
  }
  document.querySelectorAll('[data-progress][data-active="true"]').forEach(watch);
})();
