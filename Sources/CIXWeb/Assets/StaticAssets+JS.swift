extension StaticAssets {
    /// `/static/cix.js`, kept in the binary so a copied `cix` needs no resource files.
    static let mapScript = #"""
        // CIX map enhancement. The pages work without it; with it, each
        // <div class="map" data-geojson="…"> becomes a Leaflet map. Text from
        // records is only ever set with textContent, never parsed as HTML.
        "use strict";
        (function () {
          if (typeof L === "undefined") return;
          var statusColours = { open: "#b3261e", acknowledged: "#9a5b00", in_progress: "#7a4fa0",
            fixed: "#1e6b34", closed: "#4a4a4a", declined: "#4a4a4a", duplicate: "#4a4a4a" };

          function popup(properties) {
            var box = document.createElement("div");
            var link = document.createElement("a");
            link.href = String(properties.url || "#").charAt(0) === "/" ? properties.url : "#";
            link.textContent = properties.title || properties.name || "";
            box.appendChild(link);
            if (properties.status || properties.kind) {
              var meta = document.createElement("p");
              meta.textContent = properties.status ? properties.category_name + " · " + properties.status.replace("_", " ") : properties.kind;
              box.appendChild(meta);
            }
            return box;
          }

          function load(url) {
            return fetch(url, { credentials: "same-origin" }).then(function (r) {
              if (!r.ok) throw new Error(url + ": " + r.status);
              return r.json();
            });
          }

          document.querySelectorAll("div.map[data-geojson]").forEach(function (element) {
            var map = L.map(element, { scrollWheelZoom: false });
            map.setView([51.5, -0.1], 12);
            if (element.dataset.tiles) {
              L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution || "" }).addTo(map);
            } else {
              element.classList.add("no-tiles");
            }
            var bounds = null;
            function extend(layer) {
              var b = layer.getBounds();
              if (b.isValid()) bounds = bounds ? bounds.extend(b) : b;
              if (bounds) map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20], animate: false });
            }
            var pending = [];
            if (element.dataset.areas) {
              pending.push(load(element.dataset.areas).then(function (data) {
                var areas = L.geoJSON(data, { style: { color: "#1d4f91", weight: 2, fillOpacity: 0.08 },
                  onEachFeature: function (f, layer) { layer.bindPopup(popup(f.properties || {})); } }).addTo(map);
                extend(areas);
              }));
            }
            pending.push(load(element.dataset.geojson).then(function (data) {
              var points = L.geoJSON(data, {
                pointToLayer: function (f, latlng) {
                  var colour = statusColours[(f.properties || {}).status] || "#1d4f91";
                  return L.circleMarker(latlng, { radius: 7, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 0.9 });
                },
                onEachFeature: function (f, layer) { layer.bindPopup(popup(f.properties || {})); }
              }).addTo(map);
              if (!element.dataset.areas) extend(points);
            }));
            Promise.all(pending).then(function () { element.dataset.loaded = "true"; },
              function () { element.dataset.loaded = "error"; });

            // On the list: a button that limits the list to the area the map shows.
            var bboxInput = document.querySelector("input[data-bbox-input]");
            if (bboxInput) {
              var button = document.createElement("button");
              button.type = "button";
              button.textContent = "Limit the list to the area shown on the map";
              button.addEventListener("click", function () {
                var b = map.getBounds();
                bboxInput.value = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(",");
                bboxInput.form.submit();
              });
              element.insertAdjacentElement("afterend", button);
            }

            if (element.dataset.pick) {
              var lat = document.getElementById("lat"), lon = document.getElementById("lon"), pin = null;
              map.on("click", function (event) {
                lat.value = event.latlng.lat.toFixed(6);
                lon.value = event.latlng.lng.toFixed(6);
                if (pin) pin.setLatLng(event.latlng); else pin = L.marker(event.latlng, { keyboard: false }).addTo(map);
              });
            }
          });
        })();
        """#
}
