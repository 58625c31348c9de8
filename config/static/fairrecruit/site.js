// Small improvements; every page works without them.
document.addEventListener("DOMContentLoaded", function () {
  // The language selector changes the language as soon as a language is chosen.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    var button = select.form.querySelector("button[type=submit]");
    if (button) button.classList.add("visually-hidden");
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // Buttons that end something ask once more.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
  // "Add a row" of a worker-costs table: a new empty row here, without a round trip (without
  // JavaScript the button saves the draft and the page comes back with empty rows).
  document.querySelectorAll("button[data-add-row]").forEach(function (button) {
    // Not the form's default button any more: Enter in an answer saves the draft.
    button.type = "button";
    button.addEventListener("click", function (event) {
      var table = document.getElementById(button.getAttribute("data-add-row"));
      var prefix = button.getAttribute("data-prefix");
      var total = button.form.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
      var rows = table ? table.tBodies[0].rows : [];
      if (!table || !total || !rows.length) return;
      event.preventDefault();
      var index = parseInt(total.value, 10);
      var most = button.form.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
      if (most && index >= parseInt(most.value, 10)) { button.hidden = true; return; }
      var row = rows[rows.length - 1].cloneNode(true);
      var pattern = new RegExp(prefix + "-\\d+-");
      row.querySelectorAll("[name], [id], label[for]").forEach(function (element) {
        ["name", "id", "for"].forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value) element.setAttribute(attribute, value.replace(pattern, prefix + "-" + index + "-"));
        });
      });
      row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      row.querySelectorAll("select").forEach(function (select) { select.selectedIndex = 0; });
      row.querySelectorAll("p.error").forEach(function (error) { error.remove(); });
      row.querySelectorAll("[aria-invalid], [aria-describedby]").forEach(function (element) {
        element.removeAttribute("aria-invalid");
        element.removeAttribute("aria-describedby");
      });
      // The hidden labels name their row: "(row 3)".
      row.querySelectorAll("label").forEach(function (label) {
        label.textContent = label.textContent.replace(/\d+\)\s*$/, (index + 1) + ")");
      });
      table.tBodies[0].appendChild(row);
      total.value = index + 1;
      var first = row.querySelector("input, select");
      if (first) first.focus();
    });
  });
  // "Copy" buttons for secrets shown once.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var target = document.getElementById(button.getAttribute("data-copy"));
      if (target && navigator.clipboard) navigator.clipboard.writeText(target.textContent.trim());
    });
  });
});
