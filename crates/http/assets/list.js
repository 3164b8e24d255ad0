// The customers list: a tick-box in the header ticks every row of the
// page, and the quick look at a ticked customer opens under that row
// rather than below the whole list. Listeners sit on the document, so rows
// the search brings in later (htmx) behave the same.
(function () {
  "use strict";

  function rows(table) {
    return table.querySelectorAll("tbody input[name=customer_id]");
  }

  // The header's box says whether all, some or none of the rows are ticked.
  function reflect(table) {
    var all = table.querySelector("input.tick-all");
    if (!all) {
      return;
    }
    var boxes = rows(table);
    var ticked = 0;
    boxes.forEach(function (box) {
      if (box.checked) {
        ticked += 1;
      }
    });
    all.checked = boxes.length > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }

  // The quick look moves to a row of its own under the ticked one.
  function besideRow(box) {
    var look = document.getElementById("quick-info");
    var row = box.closest("tr");
    if (!look || !row) {
      return;
    }
    var holder = document.getElementById("quick-row");
    if (!holder) {
      holder = document.createElement("tr");
      holder.id = "quick-row";
      holder.className = "quick-row";
      var cell = document.createElement("td");
      cell.colSpan = row.children.length;
      holder.appendChild(cell);
    }
    holder.firstChild.appendChild(look);
    row.after(holder);
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    var table = box.closest && box.closest("table.list");
    if (!table) {
      return;
    }
    if (box.matches("input.tick-all")) {
      rows(table).forEach(function (row) {
        row.checked = box.checked;
      });
    } else if (box.matches("input[name=customer_id]")) {
      if (box.checked) {
        besideRow(box);
      }
      reflect(table);
    }
  });

  // Rows may come ticked (a bulk action refused): the header says so.
  function reflectAll() {
    document.querySelectorAll("table.list").forEach(reflect);
  }

  // Loaded, the quick look is scrolled into view if it fell below.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id === "quick-info") {
      event.target.scrollIntoView({ block: "nearest" });
    } else {
      reflectAll();
    }
  });
  reflectAll();
})();
