/*
 * Chart and list pages: projector mode (large type), kept in the address as
 * #beamer so that a page opened from the bundle's index can start in it.
 * Nothing from the data is read or written here.
 */
(function () {
  "use strict";
  var body = document.body;
  var button = document.getElementById("vk-projector");
  function apply(on) {
    body.classList.toggle("projector", on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
  }
  if (/(^|[#&])(beamer|projector)\b/.test(location.hash)) apply(true);
  button.addEventListener("click", function () {
    apply(!body.classList.contains("projector"));
  });
  body.dataset.ready = "1";
})();
