// A Leaflet map of the points in #eban-map-points (already in the tiles' coordinate system,
// see eban/kiosks/maps.py). Without tiles (offline) the points still show on a blank map.
(function () {
  "use strict";
  var el = document.getElementById("eban-map");
  if (!el || !window.L) return;
  var points = JSON.parse(document.getElementById("eban-map-points").textContent);
  var tiles = JSON.parse(document.getElementById("eban-map-tiles").textContent);
  var colours = { ok: "#1a7f37", warn: "#9a6700", bad: "#b3261e", off: "#57606a", site: "#6f42c1", me: "#0b4f9c", settlement: "#0969da" };
  var map = L.map(el, { scrollWheelZoom: false });
  if (tiles.url) {
    L.tileLayer(tiles.url, { subdomains: tiles.subdomains || "abc", attribution: tiles.attribution, maxZoom: 18 }).addTo(map);
  }
  var bounds = [];
  points.forEach(function (p) {
    var colour = colours[p.kind] || colours.ok;
    if (p.r > 0) {
      L.circle([p.lat, p.lng], { radius: p.r, color: colour, weight: 1, fillOpacity: 0.08 }).addTo(map);
    }
    var marker = L.circleMarker([p.lat, p.lng], {
      radius: p.kind === "me" ? 9 : 6, color: "#fff", weight: 1, fillColor: colour, fillOpacity: 0.95,
    }).addTo(map);
    var label = document.createElement("span");
    if (p.url) {
      var a = document.createElement("a");
      a.href = p.url;
      a.textContent = p.label;
      label.appendChild(a);
    } else {
      label.textContent = p.label;
    }
    marker.bindPopup(label);
    bounds.push([p.lat, p.lng]);
  });
  if (bounds.length) {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
  } else {
    map.setView([28.0, 120.65], 9);
  }
})();
