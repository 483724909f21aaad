// "Use my location" on the finder (/kiosks/): ask the phone for its position and reload the page
// with ?lat=&lng= (WGS-84, as GPS gives). Nothing is sent anywhere else or stored. Without
// geolocation (or JavaScript) the button stays hidden and the place box and area list remain.
(function () {
  "use strict";
  var form = document.querySelector("[data-finder-locate]");
  if (!form || !navigator.geolocation) return;
  var button = form.querySelector("button");
  var status = form.querySelector("[data-locate-status]");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = status.getAttribute("data-working");
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        var url = form.getAttribute("action") + "?lat=" + pos.coords.latitude.toFixed(6) + "&lng=" + pos.coords.longitude.toFixed(6);
        window.location.href = url;
      },
      function () {
        status.textContent = status.getAttribute("data-denied");
        button.disabled = false;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
