// The network page's live update: fetch its body every 5 s and swap it in. Paused while a
// note is being typed so the field is not replaced under the cursor. No library: this is all.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live) { return; }
  var source = live.getAttribute("data-source");
  function busy() {
    var a = document.activeElement;
    return a && live.contains(a) && a.tagName === "INPUT";
  }
  function refresh() {
    if (busy()) { return; }
    fetch(source, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null && !busy()) { live.innerHTML = html; } })
      .catch(function () { /* the next tick tries again */ });
  }
  setInterval(refresh, 5000);
}());
