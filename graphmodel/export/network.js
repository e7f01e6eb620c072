/* The interactive network page (graphmodel.export.html). Every value from the
   graph is shown with textContent, never innerHTML: names and quotes stay text. */
(function () {
  "use strict";
  var doc = JSON.parse(document.getElementById("graph-data").textContent);
  var HIGHLIGHT = "#D7191C";

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function show(value) {
    if (value === null || value === undefined) { return ""; }
    if (typeof value === "object") { return JSON.stringify(value); }
    return String(value);
  }

  var hidden = {};
  doc.hiddenTypes.forEach(function (t) { hidden[t] = true; });
  var elements = [];
  doc.nodes.forEach(function (n) {
    var s = doc.styles[n.data.type] || { colour: "#BBBBBB", shape: "ellipse" };
    n.data.colour = s.colour;
    n.data.shape = s.shape;
    elements.push({ group: "nodes", data: n.data, position: n.position });
  });
  doc.edges.forEach(function (e) { elements.push({ group: "edges", data: e.data }); });

  var cy = cytoscape({
    container: document.getElementById("cy"),
    elements: elements,
    layout: { name: "preset", fit: true, padding: 30 },
    style: [
      { selector: "node", style: {
        "background-color": "data(colour)", "shape": "data(shape)",
        "width": "mapData(deg, 0, 16, 14, 36)", "height": "mapData(deg, 0, 16, 14, 36)",
        "label": "data(short)", "font-size": 10, "text-wrap": "wrap", "text-max-width": 140,
        "text-valign": "bottom", "text-margin-y": 3, "color": "#1a1a1a",
        "text-background-color": "#ffffff", "text-background-opacity": 0.75, "text-background-padding": 1,
        "border-width": 1, "border-color": "#ffffff" } },
      { selector: "edge", style: {
        "width": 1, "line-color": "#9a9a9a", "opacity": 0.55, "curve-style": "bezier",
        "target-arrow-shape": "triangle", "target-arrow-color": "#9a9a9a", "arrow-scale": 0.6 } },
      { selector: "edge.not-reported", style: { "line-color": "#4d4d4d", "target-arrow-color": "#4d4d4d", "opacity": 0.85 } },
      { selector: "node.gap", style: { "border-width": 5, "border-color": HIGHLIGHT, "color": HIGHLIGHT } },
      { selector: "edge.gap", style: { "width": 3.5, "line-color": HIGHLIGHT, "target-arrow-color": HIGHLIGHT, "opacity": 0.95 } },
      { selector: "node.match", style: { "border-width": 4, "border-color": "#000000", "font-weight": "bold" } },
      { selector: ".faded", style: { "opacity": 0.15 } },
      { selector: ":selected", style: { "overlay-color": "#0072B2", "overlay-opacity": 0.25, "overlay-padding": 6 } },
      { selector: ".hidden", style: { "display": "none" } }
    ]
  });

  // how each link is known: planned dashed, hoped dotted, inferred dash-dot (graphmodel.export.common.STATUS_STYLE)
  doc.statuses.forEach(function (st) {
    if (!st.dashes.length) { return; }
    cy.style().selector('edge[status = "' + st.id + '"]').style({
      "line-style": "dashed", "line-dash-pattern": st.dashes.map(function (x) { return 1.6 * x; })
    });
  });
  cy.style().update();
  cy.edges().forEach(function (e) { e.toggleClass("not-reported", e.data("status") !== "reported"); });

  // ---------------------------------------------------------------- controls
  var SVGNS = "http://www.w3.org/2000/svg";
  var statusBox = document.getElementById("statuses");
  doc.statuses.forEach(function (st) {
    var label = el("div", null, "status-entry");
    label.setAttribute("data-status", st.id);
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("width", "30");
    svg.setAttribute("height", "8");
    svg.setAttribute("class", "dash");
    var line = document.createElementNS(SVGNS, "line");
    line.setAttribute("x1", "0"); line.setAttribute("y1", "4"); line.setAttribute("x2", "30"); line.setAttribute("y2", "4");
    line.setAttribute("stroke", st.id === "reported" ? "#9a9a9a" : "#4d4d4d");
    line.setAttribute("stroke-width", "2");
    if (st.dashes.length) { line.setAttribute("stroke-dasharray", st.dashes.map(function (x) { return 1.6 * x; }).join(" ")); }
    svg.appendChild(line);
    label.appendChild(svg);
    label.appendChild(document.createTextNode(st.title));
    statusBox.appendChild(label);
  });
  var typeBox = document.getElementById("types");
  var typeInputs = {};
  doc.types.forEach(function (t) {
    var label = el("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = !hidden[t.id];
    box.value = t.id;
    box.addEventListener("change", apply);
    var sw = el("span", null, "swatch");
    sw.style.backgroundColor = t.colour;
    label.appendChild(box);
    label.appendChild(sw);
    label.appendChild(document.createTextNode(t.title + " (" + t.count + ")"));
    typeBox.appendChild(label);
    typeInputs[t.id] = box;
  });
  var province = document.getElementById("province");
  doc.provinces.forEach(function (p) {
    var o = el("option", p.name);
    o.value = p.id;
    province.appendChild(o);
  });
  var since = document.getElementById("since");
  var until = document.getElementById("until");
  var gaps = document.getElementById("gaps");
  var derived = document.getElementById("derived");
  derived.checked = true;
  var search = document.getElementById("search");
  var status = document.getElementById("status");
  [province, since, until, gaps, derived].forEach(function (c) { c.addEventListener("change", apply); });
  search.addEventListener("input", apply);
  document.getElementById("fit").addEventListener("click", function () { cy.fit(cy.elements(":visible"), 30); });

  // Undated elements always show; a meeting shows when its day(s) meet the window,
  // a dated link from its start on (ISO dates compare as text).
  function inWindow(data) {
    var s = since.value, u = until.value;
    var start = data.start || null, end = data.end || null;
    if (s && end && end < s) { return false; }
    if (u && start && start > u) { return false; }
    return true;
  }

  function apply() {
    var sel = province.value;
    var inProvince = null;
    if (sel) {
      inProvince = {};
      cy.nodes().forEach(function (n) {
        if (n.data("province") === sel) {
          inProvince[n.id()] = true;
          n.neighborhood("node").forEach(function (m) { inProvince[m.id()] = true; });
        }
      });
    }
    cy.batch(function () {
      cy.nodes().forEach(function (n) {
        var box = typeInputs[n.data("type")];
        var visible = (!box || box.checked) && (!inProvince || inProvince[n.id()]) && inWindow(n.data());
        n.toggleClass("hidden", !visible);
        n.toggleClass("gap", gaps.checked && !!n.data("highlight"));
      });
      cy.edges().forEach(function (e) {
        var visible = !e.source().hasClass("hidden") && !e.target().hasClass("hidden") && inWindow(e.data())
          && (derived.checked || !e.data("derived"));
        e.toggleClass("hidden", !visible);
        e.toggleClass("gap", gaps.checked && !!e.data("highlight"));
      });
      var q = search.value.trim().toLowerCase();
      var matches = 0;
      cy.elements().removeClass("match faded");
      if (q) {
        cy.nodes(":visible").forEach(function (n) {
          var p = n.data("props") || {};
          var hay = [n.id(), n.data("name"), n.data("short"), show(p.aliases), p.acronym || ""].join(" ").toLowerCase();
          if (hay.indexOf(q) >= 0) { n.addClass("match"); matches += 1; } else { n.addClass("faded"); }
        });
        cy.edges().addClass("faded");
      }
      status.textContent = cy.nodes(":visible").length + " nodes shown" + (q ? ", " + matches + " match" + (matches === 1 ? "" : "es") : "");
    });
  }

  // ---------------------------------------------------------------- details panel
  var panel = document.getElementById("details");
  function table(props, skip) {
    var t = el("table");
    Object.keys(props).sort().forEach(function (k) {
      if (skip && skip.indexOf(k) >= 0) { return; }
      var tr = el("tr");
      tr.appendChild(el("td", k, "k"));
      tr.appendChild(el("td", show(props[k])));
      t.appendChild(tr);
    });
    return t;
  }
  function evidence(list, into) {
    if (!list || !list.length) { return; }
    into.appendChild(el("h3", "Evidence"));
    list.forEach(function (ev) {
      var q = el("blockquote");
      q.appendChild(el("div", ev.quote, "quote"));
      q.appendChild(el("div", "source: " + ev.source, "src"));
      into.appendChild(q);
    });
  }
  function showNode(n) {
    var d = n.data();
    panel.replaceChildren();
    panel.appendChild(el("h2", d.name));
    panel.appendChild(el("div", d.type + " · " + d.id, "src"));
    if (d.when) { panel.appendChild(el("div", "Date: " + d.when + (d.when.charAt(0) === "≤" ? " (no later than: the source dates only a later report)" : ""))); }
    if (d.highlight) { panel.appendChild(el("p", "Highlighted: " + (d.reason || "coordination gap or single point of failure"), "reason")); }
    panel.appendChild(table(d.props, ["name"]));
    evidence(d.evidence, panel);
    var links = n.connectedEdges().filter(function (e) { return !e.data("derived"); });
    if (links.length) {
      panel.appendChild(el("h3", "Relationships (" + links.length + ")"));
      links.forEach(function (e) {
        var other = e.source().id() === n.id() ? e.target() : e.source();
        var arrow = e.source().id() === n.id() ? "→ " : "← ";
        var block = el("div");
        block.appendChild(el("strong", e.data("type") + " " + arrow + other.data("name")));
        if (e.data("status") !== "reported") { block.appendChild(el("span", " (" + e.data("status") + ")", "status")); }
        (e.data("evidence") || []).forEach(function (ev) {
          var q = el("blockquote");
          q.appendChild(el("div", ev.quote, "quote"));
          q.appendChild(el("div", "source: " + ev.source, "src"));
          block.appendChild(q);
        });
        panel.appendChild(block);
      });
    }
  }
  function showEdge(e) {
    var d = e.data();
    panel.replaceChildren();
    panel.appendChild(el("h2", d.type));
    panel.appendChild(el("div", e.source().data("name") + " → " + e.target().data("name"), "src"));
    var st = doc.statuses.filter(function (x) { return x.id === d.status; })[0];
    panel.appendChild(el("p", "Status: " + d.status + (st ? " (" + st.title + ")" : ""), "edge-status"));
    panel.appendChild(table(d.props, ["type"]));
    evidence(d.evidence, panel);
  }
  cy.on("tap", "node", function (evt) { showNode(evt.target); });
  cy.on("tap", "edge", function (evt) { showEdge(evt.target); });

  apply();
  cy.fit(cy.elements(":visible"), 30);
  window.graphmodelNetwork = { cy: cy, nodeCount: doc.nodes.length, edgeCount: doc.edges.length, ready: true };
}());
