/* cchc — small behaviours on top of server-rendered pages. Everything works without it. */
(function () {
  "use strict";

  function setMenu(button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    document.body.classList.toggle("menu-open", open);
  }

  document.addEventListener("click", function (event) {
    // A button that asks first (the Content-Security-Policy forbids inline onclick=).
    var asking = event.target.closest("[data-confirm]");
    if (asking && !window.confirm(asking.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    var toggle = event.target.closest("[data-menu-toggle]");
    if (toggle) {
      setMenu(toggle, toggle.getAttribute("aria-expanded") !== "true");
      return;
    }
    var close = event.target.closest("[data-dismiss='alert']");
    if (close) {
      var alert = close.closest(".alert");
      var container = alert && alert.parentElement;
      if (alert) alert.remove();
      if (container && container.classList.contains("messages") && !container.children.length) {
        container.remove();
      }
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !document.body.classList.contains("menu-open")) return;
    var toggle = document.querySelector("[data-menu-toggle]");
    if (toggle) {
      setMenu(toggle, false);
      toggle.focus();
    }
  });
})();
