// newstrace report: small behaviours on top of pages that work without script.
// Reads data-* attributes and text; never writes HTML (no innerHTML), never evaluates data.
(function () {
  "use strict";

  // Index: filter the story table as the reader types.
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    if (!table) { return; }
    input.addEventListener("input", function () {
      var query = input.value.trim().toLowerCase();
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var text = row.getAttribute("data-search") || "";
        row.classList.toggle("hidden", query !== "" && text.indexOf(query) === -1);
      });
    });
  });

  // Side by side: a passage lights up with its counterpart in the other column; a click
  // scrolls the counterpart into view.
  document.querySelectorAll(".sbs").forEach(function (view) {
    function partners(element) {
      var link = element.getAttribute("data-link");
      var fact = element.getAttribute("data-fact");
      var found = [];
      view.querySelectorAll("[data-link], [data-fact]").forEach(function (other) {
        if ((link && other.getAttribute("data-link") === link) ||
            (fact && other.getAttribute("data-fact") === fact)) {
          found.push(other);
        }
      });
      return found;
    }
    function marked(target) {
      return target && target.closest ? target.closest("[data-link], [data-fact]") : null;
    }
    view.addEventListener("mouseover", function (event) {
      var element = marked(event.target);
      if (!element) { return; }
      partners(element).forEach(function (other) { other.classList.add("hl"); });
    });
    view.addEventListener("mouseout", function (event) {
      var element = marked(event.target);
      if (!element) { return; }
      partners(element).forEach(function (other) { other.classList.remove("hl"); });
    });
    view.addEventListener("click", function (event) {
      var element = marked(event.target);
      if (!element || (event.target.closest && event.target.closest("a"))) { return; }
      var column = element.closest(".col");
      var counterpart = partners(element).filter(function (other) {
        return other.closest(".col") !== column;
      })[0];
      if (!counterpart) { return; }
      counterpart.scrollIntoView({ block: "center", behavior: "smooth" });
      counterpart.classList.remove("flash");
      void counterpart.offsetWidth;
      counterpart.classList.add("flash");
    });
  });
})();
