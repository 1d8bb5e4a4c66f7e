/*
 * Maillage — the behaviour of the network explorer's controls, with no inline script or handler (the pages'
 * Content-Security-Policy forbids them):
 *
 * - <form data-maillage-auto-submit>: a change of a select or a checkbox sends the form at once; controls
 *   left empty are not sent, so the address stays short (it is the view's permalink).
 * - <button data-maillage-copy="ID">: copies the value of the field #ID (a permalink, an <iframe> snippet)
 *   and says so in [data-maillage-status="ID"] (in the words of its data-maillage-copied and
 *   data-maillage-selected attributes); where the clipboard is refused, the text is selected so
 *   that Ctrl+C copies it. Fields [data-maillage-select] select their whole text when focused.
 * - <button data-maillage-png="ID" data-maillage-png-name="FILE">: downloads the drawing of the network
 *   #ID as a PNG (on white, labels included), shown only once that drawing is ready.
 */
(function () {
  "use strict";

  function dropEmptyControls(form) {
    var controls = form.elements;
    for (var index = 0; index < controls.length; index += 1) {
      var control = controls[index];
      if (control.name && (control.tagName === "SELECT" || control.type === "hidden") && control.value === "") {
        control.disabled = true;
      }
    }
  }

  function autoSubmit(form) {
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target && (target.tagName === "SELECT" || target.type === "checkbox" || target.type === "radio")) {
        dropEmptyControls(form);
        form.submit();
      }
    });
    form.addEventListener("submit", function () {
      dropEmptyControls(form);
    });
    // Back from the next view (page restored from the cache): the controls must be usable again.
    window.addEventListener("pageshow", function () {
      for (var index = 0; index < form.elements.length; index += 1) {
        form.elements[index].disabled = false;
      }
    });
  }

  // The status element carries its own words in the page's language (data-maillage-copied,
  // data-maillage-selected); the French ones are the fallback.
  function say(id, attribute, fallback) {
    var status = document.querySelector('[data-maillage-status="' + id + '"]');
    if (status) {
      status.textContent = status.getAttribute(attribute) || fallback;
    }
  }

  function copyButton(button) {
    button.addEventListener("click", function () {
      var id = button.getAttribute("data-maillage-copy");
      var field = document.getElementById(id);
      if (!field) {
        return;
      }
      field.focus();
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(
          function () { say(id, "data-maillage-copied", "Copié dans le presse-papiers."); },
          function () { say(id, "data-maillage-selected", "Texte sélectionné : Ctrl+C pour le copier."); }
        );
      } else {
        say(id, "data-maillage-selected", "Texte sélectionné : Ctrl+C pour le copier.");
      }
    });
  }

  // The network's canvas on a white background (vis-network draws on a transparent one), as a PNG file.
  function downloadPng(button) {
    var id = button.getAttribute("data-maillage-png");
    var name = button.getAttribute("data-maillage-png-name") || "reseau.png";
    var container = document.getElementById(id);
    var source = container ? container.querySelector("canvas") : null;
    if (!source) {
      return;
    }
    var copy = document.createElement("canvas");
    copy.width = source.width;
    copy.height = source.height;
    var context = copy.getContext("2d");
    context.fillStyle = "#FFFFFF";
    context.fillRect(0, 0, copy.width, copy.height);
    context.drawImage(source, 0, 0);
    copy.toBlob(function (blob) {
      if (!blob) {
        return;
      }
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    }, "image/png");
  }

  function pngButton(button) {
    var container = document.getElementById(button.getAttribute("data-maillage-png"));
    if (!container) {
      return;
    }
    function show() {
      button.hidden = false;
    }
    if (container.getAttribute("data-maillage-state") === "ready") {
      show();
    } else {
      container.addEventListener("maillage:ready", show);
    }
    button.addEventListener("click", function () { downloadPng(button); });
  }

  function start() {
    document.querySelectorAll("form[data-maillage-auto-submit]").forEach(autoSubmit);
    document.querySelectorAll("[data-maillage-copy]").forEach(copyButton);
    document.querySelectorAll("[data-maillage-png]").forEach(pngButton);
    document.querySelectorAll("[data-maillage-select]").forEach(function (field) {
      field.addEventListener("focus", function () { field.select(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
