// Live updates for the launch list and map: new and revised launches from /api/stream
// (server-sent events) appear without a reload. The page is complete without this file.
(function () {
  "use strict";
  if (!("EventSource" in window)) return;
  var list = document.getElementById("events");
  var markers = document.getElementById("markers");
  var status = document.getElementById("live-status");
  var total = document.getElementById("event-total");
  if (!list || !markers) return;
  var form = document.querySelector("form.filters");
  var filters = {};
  new URLSearchParams(window.location.search).forEach(function (value, key) { filters[key] = value; });
  if (Number(filters.offset || 0) > 0) return; // older pages do not change with news
  var SVG = "http://www.w3.org/2000/svg";

  function matches(event) {
    var day = event.launch_date || event.first_reported_at.slice(0, 10);
    if (filters.country && event.country !== filters.country.toUpperCase()) return false;
    if (filters.type && event.missile_type !== filters.type) return false;
    if (filters.since && day < filters.since) return false;
    if (filters.until && day > filters.until) return false;
    return true;
  }

  function circle(cls, x, y, r) {
    var c = document.createElementNS(SVG, "circle");
    c.setAttribute("class", cls);
    c.setAttribute("cx", x);
    c.setAttribute("cy", y);
    c.setAttribute("r", r);
    return c;
  }

  function placeMarker(event, feature, label) {
    var old = document.getElementById("marker-" + event.event_id);
    if (old) old.remove();
    if (!feature) return;
    var p = feature.properties;
    var x = (feature.geometry.coordinates[0] + 180).toFixed(2);
    var y = (90 - feature.geometry.coordinates[1]).toFixed(2);
    var a = document.createElementNS(SVG, "a");
    a.setAttribute("id", "marker-" + event.event_id);
    a.setAttribute("href", "/events/" + event.event_id);
    a.setAttribute("class", "marker fresh " + p.precision);
    a.setAttribute("aria-label", label);
    if (p.precision === "country") {
      a.appendChild(circle("doubt", x, y, Math.max(1.5, (p.uncertainty_km || 0) / 111.32).toFixed(2)));
    }
    a.appendChild(circle("dot", x, y, 1.2));
    var title = document.createElementNS(SVG, "title");
    title.textContent = label;
    a.appendChild(title);
    markers.appendChild(a);
  }

  function onLaunch(message) {
    var data = JSON.parse(message.data);
    var event = data.event;
    if (!matches(event)) return;
    var old = document.getElementById("event-" + event.event_id);
    var holder = document.createElement("ol");
    holder.innerHTML = data.html;
    var item = holder.firstElementChild;
    item.classList.add("fresh");
    if (old) {
      old.replaceWith(item);
    } else {
      list.insertBefore(item, list.firstElementChild);
      if (total) total.textContent = String(Number(total.textContent) + 1);
    }
    var label = item.querySelector("a").textContent;
    placeMarker(event, data.feature, label);
    if (status) status.textContent = (old ? "Launch updated: " : "New launch: ") + label;
  }

  var source = new EventSource("/api/stream");
  source.addEventListener("launch", onLaunch);
  if (form) form.setAttribute("data-live", "on");
})();
