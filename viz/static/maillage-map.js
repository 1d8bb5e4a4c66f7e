/* Zoom and pan of the maps drawn by maillage.viz.map: the wheel zooms round the pointer, a drag moves
   the view, a double click swaps between the framed view and the whole territory. No outside code;
   the map is complete without this script (the server frames it on the actors). */
(function () {
  "use strict";

  function box(text) {
    return text.split(/\s+/).map(Number);
  }

  function setBox(svg, b) {
    svg.setAttribute("viewBox", b.map(function (v) { return Math.round(v * 10) / 10; }).join(" "));
  }

  function pointer(svg, event) {
    var rect = svg.getBoundingClientRect();
    var b = box(svg.getAttribute("viewBox"));
    return [b[0] + (event.clientX - rect.left) / rect.width * b[2],
            b[1] + (event.clientY - rect.top) / rect.height * b[3]];
  }

  function clamp(svg, b) {
    var full = box(svg.dataset.full);
    var w = Math.min(Math.max(b[2], full[2] / 40), full[2]);
    var h = w * b[3] / b[2];
    var x = Math.min(Math.max(b[0], full[0] - w / 2), full[0] + full[2] - w / 2);
    var y = Math.min(Math.max(b[1], full[1] - h / 2), full[1] + full[3] - h / 2);
    return [x, y, w, h];
  }

  function attach(svg) {
    var drag = null;
    var moved = false;
    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var at = pointer(svg, event);
      var b = box(svg.getAttribute("viewBox"));
      var f = Math.exp(event.deltaY * 0.0015);
      setBox(svg, clamp(svg, [at[0] - (at[0] - b[0]) * f, at[1] - (at[1] - b[1]) * f, b[2] * f, b[3] * f]));
    }, { passive: false });
    svg.addEventListener("pointerdown", function (event) {
      drag = { x: event.clientX, y: event.clientY, b: box(svg.getAttribute("viewBox")) };
      moved = false;
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      var rect = svg.getBoundingClientRect();
      var dx = (event.clientX - drag.x) / rect.width * drag.b[2];
      var dy = (event.clientY - drag.y) / rect.height * drag.b[3];
      if (Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) > 4) { moved = true; }
      if (moved) { setBox(svg, clamp(svg, [drag.b[0] - dx, drag.b[1] - dy, drag.b[2], drag.b[3]])); }
    });
    window.addEventListener("pointerup", function () { drag = null; });
    svg.addEventListener("click", function (event) {
      if (moved) { event.preventDefault(); moved = false; }  /* a drag that ends on an actor is no click */
    }, true);
    svg.addEventListener("dblclick", function (event) {
      event.preventDefault();
      var current = svg.getAttribute("viewBox");
      setBox(svg, box(current === svg.dataset.full ? svg.dataset.frame : svg.dataset.full));
    });
    svg.classList.add("maillage-carte__svg--mobile");
  }

  function start() {
    var maps = document.querySelectorAll("svg.maillage-carte__svg[data-full]");
    for (var i = 0; i < maps.length; i++) { attach(maps[i]); }
    window.maillageMapReady = true;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
