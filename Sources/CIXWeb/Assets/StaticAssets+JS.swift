extension StaticAssets {
    /// `/static/cix.js`, kept in the binary so a copied `cix` needs no resource files.
    static let mapScript = #"""
        // CIX map enhancement. The pages work without it; with it, each
        // <div class="map" data-geojson="…"> becomes a Leaflet map. Text from
        // records is only ever set with textContent, never parsed as HTML.
        "use strict";
        (function () {
          if (typeof L === "undefined") return;
          // The page's words (its language), from the first map: templates whose {name}s are filled in.
          var words = {};
          var first = document.querySelector("div.map[data-words]");
          try { words = JSON.parse(first ? first.dataset.words : "{}") || {}; } catch (e) { words = {}; }
          function say(name, values) {
            return String(words[name] || "").replace(/\{(\w+)\}/g, function (all, key) {
              return values && key in values ? String(values[key]) : all;
            });
          }
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
              var category = (words.categories || {})[properties.category] || properties.category_name;
              var status = (words.statuses || {})[properties.status] || properties.status;
              meta.textContent = properties.status ? category + " · " + status : properties.kind;
              box.appendChild(meta);
            }
            return box;
          }

          function marker(f, latlng) {
            var colour = statusColours[(f.properties || {}).status] || "#1d4f91";
            var layer = L.circleMarker(latlng, { radius: 8, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 0.9 });
            layer.bindPopup(popup(f.properties || {}));
            return layer;
          }

          // Points closer than a cell on screen are drawn as one numbered circle until the map is
          // zoomed in far enough (or they share a place); selecting it zooms in on them.
          function clustered(map, features) {
            var group = L.featureGroup().addTo(map), cell = 44;
            var items = features.filter(function (f) {
              return f && f.geometry && f.geometry.type === "Point" && f.geometry.coordinates;
            }).map(function (f) {
              return { f: f, latlng: L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]) };
            });
            function draw() {
              group.clearLayers();
              var zoom = map.getZoom(), cells = {};
              items.forEach(function (item) {
                var p = map.project(item.latlng, zoom);
                var key = zoom >= 18 ? item.latlng.toString() : Math.floor(p.x / cell) + ":" + Math.floor(p.y / cell);
                (cells[key] = cells[key] || []).push(item);
              });
              Object.keys(cells).forEach(function (key) {
                var members = cells[key];
                if (members.length === 1) { group.addLayer(marker(members[0].f, members[0].latlng)); return; }
                var bounds = L.latLngBounds(members.map(function (m) { return m.latlng; }));
                var label = say("cluster", { n: members.length });
                var icon = L.divIcon({ className: "cluster", html: "", iconSize: [36, 36] });
                var several = L.marker(bounds.getCenter(), { icon: icon, keyboard: true, title: label, alt: label });
                several.on("click", function () {
                  if (bounds.getNorthEast().equals(bounds.getSouthWest())) map.setView(bounds.getCenter(), Math.min(zoom + 3, 19));
                  else map.fitBounds(bounds, { padding: [30, 30], maxZoom: 19 });
                });
                group.addLayer(several);
                var box = several.getElement ? several.getElement() : several._icon;
                if (box) { box.textContent = String(members.length); box.setAttribute("aria-label", label); }
              });
            }
            map.on("zoomend", draw);
            draw();
            return L.featureGroup(items.map(function (item) { return L.marker(item.latlng); }));
          }

          function load(url) {
            return fetch(url, { credentials: "same-origin" }).then(function (r) {
              if (!r.ok) throw new Error(url + ": " + r.status);
              return r.json();
            });
          }

          // The report form's map: a pin set by a click, by "use my location" (asked only when the
          // resident presses it), from the coordinates typed or chosen from the place search, and
          // moved with the arrow keys once focused (Shift for small steps).
          function picker(map, element, centre) {
            var lat = document.getElementById("lat"), lon = document.getElementById("lon"), pin = null;
            var tools = document.createElement("div"), status = document.createElement("p");
            tools.className = "map-tools";
            status.setAttribute("role", "status");
            status.className = "hint";
            function place(latlng, tell) {
              lat.value = latlng.lat.toFixed(6);
              lon.value = latlng.lng.toFixed(6);
              if (pin) { pin.setLatLng(latlng); } else {
                pin = L.marker(latlng, { keyboard: true, draggable: true,
                  title: say("pinTitle"), alt: say("pinAlt") }).addTo(map);
                pin.on("dragend", function () { place(pin.getLatLng(), true); });
                var icon = pin.getElement ? pin.getElement() : pin._icon;
                icon.addEventListener("keydown", function (event) {
                  var moves = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
                  var move = moves[event.key];
                  if (!move) return;
                  event.preventDefault();
                  event.stopPropagation();
                  var step = event.shiftKey ? 2 : 20;
                  var point = map.latLngToContainerPoint(pin.getLatLng()).add([move[0] * step, move[1] * step]);
                  place(map.containerPointToLatLng(point), true);
                  if (!map.getBounds().pad(-0.1).contains(pin.getLatLng())) map.panTo(pin.getLatLng());
                });
              }
              if (tell) status.textContent = say("pinAt", { lat: lat.value, lon: lon.value });
            }
            function typed() {
              var a = parseFloat(lat.value), b = parseFloat(lon.value);
              if (isFinite(a) && isFinite(b) && Math.abs(a) <= 90 && Math.abs(b) <= 180) {
                place(L.latLng(a, b), false);
                return true;
              }
              return false;
            }
            if (typed()) { centre(); map.setView(pin.getLatLng(), 17); }
            lat.addEventListener("change", function () { if (typed()) map.panTo(pin.getLatLng()); });
            lon.addEventListener("change", function () { if (typed()) map.panTo(pin.getLatLng()); });
            map.on("click", function (event) { place(event.latlng, true); });

            var middle = document.createElement("button");
            middle.type = "button";
            middle.textContent = say("middle");
            middle.addEventListener("click", function () {
              place(map.getCenter(), true);
              var icon = pin.getElement ? pin.getElement() : pin._icon;
              icon.focus();
            });
            tools.appendChild(middle);
            if (navigator.geolocation) {
              var here = document.createElement("button");
              here.type = "button";
              here.textContent = say("locate");
              here.addEventListener("click", function () {
                status.textContent = say("locating");
                navigator.geolocation.getCurrentPosition(function (position) {
                  centre();
                  var latlng = L.latLng(position.coords.latitude, position.coords.longitude);
                  place(latlng, false);
                  map.setView(latlng, 17);
                  status.textContent = say("located", { metres: Math.round(position.coords.accuracy) });
                }, function (error) {
                  status.textContent = say("noLocation", { error: error.message });
                }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
              });
              tools.appendChild(here);
            }
            element.insertAdjacentElement("afterend", tools);
            tools.insertAdjacentElement("afterend", status);
          }

          document.querySelectorAll("div.map[data-geojson]").forEach(function (element) {
            var map = L.map(element, { scrollWheelZoom: false, zoomControl: false });
            L.control.zoom({ zoomInTitle: say("zoomIn"), zoomOutTitle: say("zoomOut") }).addTo(map);
            // Leaflet's credit, without its English title.
            map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
            map.setView([51.5, -0.1], 12);
            if (element.dataset.tiles) {
              L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution || "" }).addTo(map);
            } else {
              element.classList.add("no-tiles");
            }
            var bounds = null, centred = false;
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
              var points = clustered(map, (data && data.features) || []);
              if (!element.dataset.areas && !centred) extend(points);
            }));
            Promise.all(pending).then(function () { element.dataset.loaded = "true"; },
              function () { element.dataset.loaded = "error"; });

            // On the list: a button that limits the list to the area the map shows.
            var bboxInput = document.querySelector("input[data-bbox-input]");
            if (bboxInput) {
              var button = document.createElement("button");
              button.type = "button";
              button.textContent = say("limitList");
              button.addEventListener("click", function () {
                var b = map.getBounds();
                bboxInput.value = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(",");
                bboxInput.form.submit();
              });
              element.insertAdjacentElement("afterend", button);
            }

            if (element.dataset.pick) picker(map, element, function () { centred = true; });
          });
        })();
        """#
}
