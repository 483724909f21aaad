// The case page while the certificate is being made ("正在制作"): poll the case's certificate
// state (the signed-in applicant's own case only) and reload the page once the PDF exists, so
// the download button appears by itself — as the kiosk's result page does (kiosk-case.js).
(function () {
  "use strict";
  var box = document.getElementById("certificate-being-made");
  if (!box || !window.fetch) { return; }
  var url = box.dataset.statusUrl;
  var delay = 1500;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (answer) {
        if (answer.state === "waiting") {
          window.setTimeout(poll, delay);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 30000);
        window.setTimeout(poll, delay);
      });
  }
  window.setTimeout(poll, 1000);
})();
