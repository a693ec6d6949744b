/* Filters that update the results in place. Without this script the form's GET reloads the page,
   which works just as well. With it: the form is submitted with fetch, the results region is swapped,
   and the address bar keeps the filters, so back/forward and bookmarks still work. */
(function () {
  "use strict";

  function load(form, url, push) {
    var region = document.getElementById(form.getAttribute("data-live-filter"));
    if (!region || !window.fetch) { window.location.assign(url); return; }
    region.setAttribute("aria-busy", "true");
    fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        region.innerHTML = html;
        region.removeAttribute("aria-busy");
        if (push) { window.history.pushState({ liveFilter: true }, "", url); }
      })
      .catch(function () { window.location.assign(url); });
  }

  function urlOf(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value !== "") { params.append(key, value); } });
    var query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  document.querySelectorAll("form[data-live-filter]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      load(form, urlOf(form), true);
    });
    form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () { load(form, urlOf(form), true); });
    });
    window.addEventListener("popstate", function () {
      // Restore the form's fields from the address, then the results.
      var params = new URLSearchParams(window.location.search);
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name) { field.value = params.get(field.name) || ""; }
      });
      load(form, window.location.pathname + window.location.search, false);
    });
  });
})();
