// The coach dashboard (dashboards/views_coach.py) without reloads: sort links and the
// filter form ask the API (the table's data-api, the same ranking and filters) for
// the order of the teams, and the rows already on the page are reordered, shown or
// hidden in place. Without JavaScript the links and the form load the page instead;
// when the API names a team that is not on this page (another page of results),
// the page is loaded as usual.
(function () {
  "use strict";
  var table = document.getElementById("dashboard-table");
  var form = document.getElementById("dashboard-filters");
  if (!table || !form || !window.fetch) {
    return;
  }
  var body = table.tBodies[0];
  var count = document.getElementById("dashboard-count");
  var rows = {};
  Array.prototype.forEach.call(body.querySelectorAll("tr[data-team]"), function (tr) {
    rows[tr.dataset.team] = tr;
  });
  var total = Object.keys(rows).length;

  function apply(data, query) {
    var order = data.results.map(function (r) { return r.team; });
    if (data.next || order.some(function (id) { return !rows[id]; })) {
      window.location.search = query;
      return;
    }
    Object.keys(rows).forEach(function (id) { rows[id].hidden = order.indexOf(id) < 0; });
    order.forEach(function (id) { body.appendChild(rows[id]); });
    if (count) {
      count.textContent = "Showing " + order.length + " of " + total + " team" + (total === 1 ? "" : "s") + ".";
    }
    window.history.replaceState(null, "", "?" + query);
    var sort = new URLSearchParams(query).get("sort") || "need";
    form.querySelector('input[name="sort"]').value = sort;
    var column = sort.replace(/^-/, "");
    document.querySelectorAll("[data-sort-key]").forEach(function (link) {
      var key = link.dataset.sortKey;
      var params = new URLSearchParams(query);
      params.delete("page");
      params.set("sort", key === column && sort.charAt(0) !== "-" ? "-" + key : key);
      link.setAttribute("href", "?" + params.toString());
      var note = link.querySelector(".usa-sr-only");
      if (note) { note.remove(); }
      if (key === column) {
        link.setAttribute("aria-current", "true");
        link.classList.add("usa-button--active");
        note = document.createElement("span");
        note.className = "usa-sr-only";
        note.textContent = sort.charAt(0) === "-" ? " (sorted, reversed)" : " (sorted)";
        link.appendChild(note);
      } else {
        link.removeAttribute("aria-current");
        link.classList.remove("usa-button--active");
      }
    });
  }

  function load(query) {
    var params = new URLSearchParams(query);
    params.delete("page");
    params.set("page_size", "200");
    fetch(table.dataset.api + "?" + params.toString(), {
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) { apply(data, query); })
      .catch(function () { window.location.search = query; });
  }

  document.querySelectorAll("[data-sort-key]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      load(link.getAttribute("href").replace(/^\?/, ""));
    });
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var params = new URLSearchParams(new FormData(form));
    Array.from(params.keys()).forEach(function (key) {
      if (!params.get(key)) { params.delete(key); }
    });
    load(params.toString());
  });
})();
