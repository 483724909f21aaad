// The guide page of a matter, for a signed-in citizen: load their own "check if you can apply"
// answer (why not, and from when) into the slot. The page itself is cached for every citizen
// alike; the answer is not. Without a script, the slot's link leads to the same check.
(function () {
  "use strict";
  var slot = document.getElementById("check-slot");
  if (!slot || !window.fetch) { return; }
  fetch(slot.dataset.checkUrl, { credentials: "same-origin", redirect: "error", headers: { Accept: "text/html" } })
    .then(function (response) {
      if (response.status === 404) { slot.remove(); return null; }
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    })
    .then(function (html) {
      if (html === null) { return; }
      slot.innerHTML = html;
      slot.setAttribute("data-loaded", "true");
    })
    .catch(function () { /* keep the link */ });
})();
