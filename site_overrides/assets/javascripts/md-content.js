// Material's content bootstrap (partials/javascripts/content.html) as a file, for the CSP: a URL
// hash naming a content tab selects that tab.
(function () {
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.indexOf("__tabbed_") === 0;
})();
