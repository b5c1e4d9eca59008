// The feedback pages: mark the sender fields the chosen kind requires, copy the code.
(function () {
  "use strict";
  function markRequired() {
    var chosen = document.querySelector('input[name="kind"]:checked');
    var nameRequired = chosen && chosen.dataset.nameRequired === "1";
    var contactRequired = chosen && chosen.dataset.contactRequired === "1";
    var note = document.getElementById("sender-required");
    setMark("id_sender_name", nameRequired);
    setMark("id_sender_phone", contactRequired);
    setMark("id_sender_email", contactRequired);
    if (!note) return;
    var parts = [];
    if (nameRequired) parts.push(note.dataset.name || "Cần ghi họ tên.");
    if (contactRequired) parts.push(note.dataset.contact || "Cần số điện thoại hoặc thư điện tử.");
    note.textContent = parts.join(" ");
    note.hidden = parts.length === 0;
  }
  function setMark(id, on) {
    var label = document.querySelector('label[for="' + id + '"]');
    if (!label) return;
    var mark = label.querySelector(".fb-mark");
    if (on && !mark) {
      mark = document.createElement("span");
      mark.className = "field__required fb-mark";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = " *";
      label.appendChild(mark);
    } else if (!on && mark) {
      mark.remove();
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll('input[name="kind"]').forEach(function (radio) {
      radio.addEventListener("change", markRequired);
    });
    markRequired();
    var notice = document.getElementById("form-notice");
    if (notice) notice.focus();
    document.querySelectorAll(".fb-copy").forEach(function (button) {
      if (!navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.dataset.copy).then(function () {
          button.textContent = button.dataset.copied;
        });
      });
    });
  });
})();
