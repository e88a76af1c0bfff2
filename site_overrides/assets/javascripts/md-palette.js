// Material's palette restore (partials/javascripts/palette.html) as a file, for the CSP: applies
// the colour scheme saved by the toggle before the page is painted. Runs right after the toggle
// inputs in the header. A corrupt saved value is ignored (the default scheme is used).
// It also shows the toggle's button as Material's bundle would (the label after the current
// option's input): on the check page the bundle comes only once the validator is ready
// (md-deferred.js), and the toggle is there from the start all the same.
(function () {
  var palette;
  try { palette = window.__md_get("__palette"); } catch (err) { palette = null; }
  var valid = palette && typeof palette === "object" && palette.color && typeof palette.color === "object";

  var inputs = document.querySelectorAll("input[name='__palette']");
  if (inputs.length) {
    var index = valid && typeof palette.index === "number" ? palette.index : -1;
    if (index < 0) {
      index = Array.prototype.findIndex.call(inputs, function (input) {
        return matchMedia(input.getAttribute("data-md-color-media")).matches;
      });
    }
    index = Math.max(0, Math.min(index, inputs.length - 1));
    var label = inputs[index].nextElementSibling;
    if (label && label.tagName === "LABEL") label.hidden = false;
  }

  if (!valid) return;
  if (palette.color.media === "(prefers-color-scheme)") {
    var media = matchMedia("(prefers-color-scheme: light)");
    var input = document.querySelector(media.matches
      ? "[data-md-color-media='(prefers-color-scheme: light)']"
      : "[data-md-color-media='(prefers-color-scheme: dark)']");
    if (!input) return;
    palette.color.media = input.getAttribute("data-md-color-media");
    palette.color.scheme = input.getAttribute("data-md-color-scheme");
    palette.color.primary = input.getAttribute("data-md-color-primary");
    palette.color.accent = input.getAttribute("data-md-color-accent");
  }
  Object.keys(palette.color).forEach(function (key) {
    if (/^[a-z]+$/.test(key) && typeof palette.color[key] === "string") {
      document.body.setAttribute("data-md-color-" + key, palette.color[key]);
    }
  });
})();
