/*
 * The map page for large maps, drawn with WebGL (sigma.js, vendored in
 * sigma-bundle.min.js): every node at once, at the positions computed in Python,
 * with the small page's search, neighbourhood focus, facet filters, status styles
 * (dashed lines), legend and toetsmodus; labels appear as one zooms in, and groups
 * of nodes (by a facet of the nodes, or the clusters chosen in Python: DATA.clusters,
 * each node's in DATA.clusterOf) can be collapsed into one circle and expanded.
 *
 * The toetsmodus (toets.js) talks to window.versterktNetwork as to vis-network;
 * here that object is a small facade over sigma with the calls it uses.
 *
 * All text from the data is put into the page with textContent, never as HTML;
 * labels are drawn on a canvas.
 */
(function () {
  "use strict";

  // Marks of the start steps (performance.mark), read by the view benchmark:
  // where the time until the first picture goes.
  function mark(name) {
    if (window.performance && performance.mark) performance.mark("vk:" + name);
  }
  mark("script");
  var DATA = JSON.parse(document.getElementById("vk-data").textContent);
  mark("parsed");
  var S = DATA.strings;
  var CFG = DATA.config;
  var body = document.body;
  var V = window.VersterktSigma;
  var probe = document.createElement("canvas");
  if (!(probe.getContext("webgl2") || probe.getContext("webgl"))) {
    var box = document.getElementById("vk-message");
    box.textContent = DATA.strings.no_webgl;
    box.hidden = false;
    document.getElementById("vk-loading").hidden = true;
    document.body.dataset.ready = "1";
    return;
  }

  // ------------------------------------------------------------ small helpers

  function byId(id) {
    return document.getElementById(id);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function fold(text) {
    return String(text)
      .toLocaleLowerCase(DATA.lang)
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "");
  }

  function rgb(color) {
    var m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(color || "").trim());
    if (!m) return [120, 120, 120];
    var hex = m[1].length === 3 ? m[1].replace(/(.)/g, "$1$1") : m[1];
    return [parseInt(hex.slice(0, 2), 16), parseInt(hex.slice(2, 4), 16), parseInt(hex.slice(4, 6), 16)];
  }

  // A colour faded towards the white background (WebGL blends no alpha between
  // thousands of lines in a useful way).
  var fadedColours = new Map();
  function faded(color, share) {
    var key = color + "|" + share;
    var known = fadedColours.get(key);
    if (known) return known;
    var c = rgb(color);
    var mix = function (v) { return Math.round(255 - (255 - v) * share); };
    var out = "rgb(" + mix(c[0]) + "," + mix(c[1]) + "," + mix(c[2]) + ")";
    fadedColours.set(key, out);
    return out;
  }

  // ------------------------------------------------------------ graph model

  function unpack(items, defaults) {
    var keys = Object.keys(defaults);
    items.forEach(function (item) {
      keys.forEach(function (k) {
        if (!Object.prototype.hasOwnProperty.call(item, k)) item[k] = defaults[k];
      });
      item.facets = DATA.facetSets[item.facets];
    });
    return items;
  }

  // An item's tooltip: the numbers of its lines in DATA.texts, joined only when
  // the tooltip is shown (not for every one of tens of thousands at the start).
  function tooltipOf(item) {
    var lines = item.tooltip;
    if (!Array.isArray(lines)) return lines || "";
    return lines.map(function (i) { return DATA.texts[i]; }).join("\n");
  }

  var NODES = unpack(DATA.nodes, DATA.defaults.node);
  // The clusters, each once with its number of members and its centre.
  var CLUSTERS = DATA.clusters || null;
  var clusterById = new Map();
  if (CLUSTERS) {
    CLUSTERS.forEach(function (c) { clusterById.set(c.id, c); });
    NODES.forEach(function (n, i) { n.cluster = CLUSTERS[DATA.clusterOf[i]].id; });
  }
  var EDGES = unpack(DATA.edges, DATA.defaults.edge);
  var nodeById = new Map();
  var edgeById = new Map();
  var outgoing = new Map();
  var incoming = new Map();
  NODES.forEach(function (n) {
    nodeById.set(n.id, n);
    outgoing.set(n.id, []);
    incoming.set(n.id, []);
    n.searchKey = fold(n.label);
  });
  EDGES.forEach(function (e) {
    edgeById.set(e.id, e);
    outgoing.get(e.from).push(e);
    incoming.get(e.to).push(e);
  });

  function neighbourhood(startId, steps, direction) {
    var forward = direction !== "up";
    var backward = direction !== "down";
    var dist = new Map([[startId, 0]]);
    var frontier = [startId];
    for (var step = 1; step <= steps && frontier.length; step++) {
      var next = [];
      frontier.forEach(function (id) {
        outgoing.get(id).forEach(function (e) {
          if ((forward || !e.arrows) && !dist.has(e.to)) {
            dist.set(e.to, step);
            next.push(e.to);
          }
        });
        incoming.get(id).forEach(function (e) {
          if ((backward || !e.arrows) && !dist.has(e.from)) {
            dist.set(e.from, step);
            next.push(e.from);
          }
        });
      });
      frontier = next;
    }
    return dist;
  }

  // ------------------------------------------------------------ state

  var nodeFacets = DATA.facets.filter(function (f) {
    return NODES.some(function (n) { return Object.prototype.hasOwnProperty.call(n.facets, f.key); });
  });
  // The value of "group by" for the clusters (a facet's key never starts with "@").
  var CLUSTER_KEY = "@clusters";
  var state = {
    focusId: null,
    steps: 1,
    direction: "both",
    filters: new Map(DATA.facets.map(function (f) { return [f.key, new Set(f.values)]; })),
    groupBy: nodeFacets.length ? nodeFacets[0].key : null,
    collapsed: new Set(), // values of state.groupBy whose nodes are one circle
    selectedEdge: null,
  };

  function facetMatches(item) {
    var facets = item.facets || {};
    for (var i = 0; i < DATA.facets.length; i++) {
      var key = DATA.facets[i].key;
      if (!Object.prototype.hasOwnProperty.call(facets, key)) continue;
      var chosen = state.filters.get(key);
      var values = facets[key];
      var ok = Array.isArray(values)
        ? values.some(function (v) { return chosen.has(v); })
        : chosen.has(values);
      if (!ok) return false;
    }
    return true;
  }

  // ------------------------------------------------------------ WebGL programs

  // A line with a dash pattern (up to two dashes and gaps, in pixels on the
  // screen), as the small page draws the status of a link: vis-network's
  // dashes, a pattern of [0, 0, 0, 0] is a solid line.
  var DASH_VERTEX = [
    "attribute vec4 a_id;", "attribute vec4 a_color;", "attribute vec2 a_normal;",
    "attribute float a_normalCoef;", "attribute vec2 a_positionStart;",
    "attribute vec2 a_positionEnd;", "attribute float a_positionCoef;", "attribute vec4 a_dash;",
    "uniform mat3 u_matrix;", "uniform float u_sizeRatio;", "uniform float u_zoomRatio;",
    "uniform float u_pixelRatio;", "uniform float u_correctionRatio;",
    "uniform float u_minEdgeThickness;", "uniform float u_feather;", "uniform vec2 u_dimensions;",
    "varying vec4 v_color;", "varying vec2 v_normal;", "varying float v_thickness;",
    "varying float v_feather;", "varying float v_along;", "varying vec4 v_dash;",
    "const float bias = 255.0 / 254.0;",
    "void main() {",
    "  vec2 normal = a_normal * a_normalCoef;",
    "  vec2 position = a_positionStart * (1.0 - a_positionCoef) + a_positionEnd * a_positionCoef;",
    "  float normalLength = length(normal);",
    "  vec2 unitNormal = normal / normalLength;",
    "  float pixelsThickness = max(normalLength, u_minEdgeThickness * u_sizeRatio);",
    "  float webGLThickness = pixelsThickness * u_correctionRatio / u_sizeRatio;",
    "  gl_Position = vec4((u_matrix * vec3(position + unitNormal * webGLThickness, 1)).xy, 0, 1);",
    "  vec2 s0 = (u_matrix * vec3(a_positionStart, 1)).xy;",
    "  vec2 s1 = (u_matrix * vec3(a_positionEnd, 1)).xy;",
    "  v_along = a_positionCoef * length((s1 - s0) * u_dimensions / 2.0);",
    "  v_dash = a_dash;",
    "  v_thickness = webGLThickness / u_zoomRatio;",
    "  v_normal = unitNormal;",
    "  v_feather = u_feather * u_correctionRatio / u_zoomRatio / u_pixelRatio * 2.0;",
    "  #ifdef PICKING_MODE",
    "  v_color = a_id;",
    "  #else",
    "  v_color = a_color;",
    "  #endif",
    "  v_color.a *= bias;",
    "}",
  ].join("\n");

  var DASH_FRAGMENT = [
    "precision mediump float;",
    "varying vec4 v_color;", "varying vec2 v_normal;", "varying float v_thickness;",
    "varying float v_feather;", "varying float v_along;", "varying vec4 v_dash;",
    "const vec4 transparent = vec4(0.0, 0.0, 0.0, 0.0);",
    "void main(void) {",
    "  #ifdef PICKING_MODE",
    "  gl_FragColor = v_color;",
    "  #else",
    "  float period = v_dash.x + v_dash.y + v_dash.z + v_dash.w;",
    "  if (period > 0.0) {",
    "    float t = mod(v_along, period);",
    "    bool on = t < v_dash.x || (t >= v_dash.x + v_dash.y && t < v_dash.x + v_dash.y + v_dash.z);",
    "    if (!on) discard;",
    "  }",
    "  float dist = length(v_normal) * v_thickness;",
    "  float t2 = smoothstep(v_thickness - v_feather, v_thickness, dist);",
    "  gl_FragColor = mix(v_color, transparent, t2);",
    "  #endif",
    "}",
  ].join("\n");

  var SOLID = [0, 0, 0, 0];

  class DashedEdgeProgram extends V.rendering.EdgeRectangleProgram {
    getDefinition() {
      var d = super.getDefinition();
      return Object.assign({}, d, {
        VERTEX_SHADER_SOURCE: DASH_VERTEX,
        FRAGMENT_SHADER_SOURCE: DASH_FRAGMENT,
        UNIFORMS: d.UNIFORMS.concat(["u_dimensions"]),
        ATTRIBUTES: d.ATTRIBUTES.concat([{ name: "a_dash", size: 4, type: WebGLRenderingContext.FLOAT }]),
      });
    }
    processVisibleItem(edgeIndex, startIndex, sourceData, targetData, data) {
      super.processVisibleItem(edgeIndex, startIndex, sourceData, targetData, data);
      var dash = data.dash || SOLID;
      var array = this.array;
      var at = startIndex + 8; // after the rectangle's own attributes
      array[at] = dash[0];
      array[at + 1] = dash[1];
      array[at + 2] = dash[2];
      array[at + 3] = dash[3];
    }
    setUniforms(params, programInfo) {
      super.setUniforms(params, programInfo);
      programInfo.gl.uniform2f(programInfo.uniformLocations.u_dimensions, params.width, params.height);
    }
  }

  var DashedArrowProgram = V.rendering.createEdgeCompoundProgram([
    DashedEdgeProgram,
    V.rendering.EdgeArrowHeadProgram,
  ]);

  // vis-network's dashes as a pattern of four lengths in pixels.
  function dashOf(dashes) {
    if (Array.isArray(dashes)) {
      var p = dashes.slice(0, 4);
      while (p.length < 4) p.push(p.length % 2 ? p[p.length - 1] : 0);
      if (dashes.length === 2) p = [dashes[0], dashes[1], dashes[0], dashes[1]];
      return p.map(function (v) { return Math.max(1, v * 0.8); });
    }
    return dashes ? [5, 4, 5, 4] : SOLID;
  }

  // ------------------------------------------------------------ the graph

  var container = byId("vk-network");
  var graph = new V.Graph({ multi: true, type: "directed", allowSelfLoops: true });
  // Sizes on the screen: the small page's sizes (pixels at zoom 1) are for a map
  // of dozens of nodes; a map of thousands is read zoomed out.
  // The more nodes, the smaller each (zoomed out, they would cover one another).
  var NODE_SCALE = 0.28 * Math.min(1, Math.max(0.45, Math.sqrt(3000 / NODES.length)));
  NODES.forEach(function (n) {
    graph.addNode(n.id, {
      x: n.x,
      y: -n.y, // sigma's y axis points up, the map's (and vis-network's) down
      size: Math.max(2, (n.size || 16) * NODE_SCALE),
      color: n.color && n.color.background ? n.color.background : n.color,
      label: n.label,
      kind: n.kind,
    });
  });
  // A link that divides the groups has an amber halo: a wider line of the halo's
  // colour under its own, shown and faded with it.
  var HALO_PREFIX = "\u0000halo:";
  EDGES.forEach(function (e) {
    if (e.from === e.to) return; // a loop on one node has no length to draw
    if (e.halo) {
      graph.addDirectedEdgeWithKey(HALO_PREFIX + e.id, e.from, e.to, {
        size: Math.max(0.5, (e.width || 2) * 0.35) * 3 + 2,
        color: e.halo,
        type: e.arrows ? "arrow" : "line", // one program with its link: drawn before it
        dash: SOLID,
        haloOf: e.id,
      });
    }
    graph.addDirectedEdgeWithKey(e.id, e.from, e.to, {
      size: Math.max(0.5, (e.width || 2) * 0.35),
      color: e.color,
      type: e.arrows ? "arrow" : "line",
      dash: dashOf(e.dashes),
    });
  });

  mark("graph");

  // ------------------------------------------------------------ groups

  var GROUP_PREFIX = "\u0000groep:";
  // Up to this many collapsed groups all have their names on the screen.
  var FORCED_GROUP_LABELS = 6;
  var groupEdges = [];

  function groupOf(n) {
    if (state.groupBy === null) return null;
    if (state.groupBy === CLUSTER_KEY) return n.cluster;
    var v = n.facets[state.groupBy];
    if (v === undefined) return null;
    return Array.isArray(v) ? v[0] : v;
  }

  function hiddenInGroup(n) {
    var g = groupOf(n);
    return g !== null && state.collapsed.has(g);
  }

  // Frame what is drawn: the circles of the collapsed groups and the other nodes,
  // with room for the names beside them. A circle on no line (the nodes without
  // links, on their shelf away from the rest) is left out of the frame when others
  // are on lines: it would make every other circle small.
  function fitDrawn() {
    var points = [], apart = [];
    graph.forEachNode(function (id, attrs) {
      if (attrs.group === undefined) return;
      (graph.degree(id) ? points : apart).push({ x: attrs.x, y: -attrs.y });
    });
    NODES.forEach(function (n) { if (!hiddenInGroup(n)) points.push(n); });
    fitPoints(points.length ? points : apart, 4, 220);
  }

  // Collapsed groups are one circle each, at the middle of their nodes, as large
  // as their number; the links to and from their nodes become one line per pair.
  function rebuildGroups() {
    graph.forEachNode(function (id, attrs) {
      if (attrs.group) graph.dropNode(id);
    });
    groupEdges = [];
    if (!state.collapsed.size) return;
    var sums = new Map();
    NODES.forEach(function (n) {
      var g = groupOf(n);
      if (g === null || !state.collapsed.has(g)) return;
      var s = sums.get(g) || { x: 0, y: 0, count: 0, color: n.color };
      s.x += n.x;
      s.y += n.y;
      s.count += 1;
      sums.set(g, s);
    });
    sums.forEach(function (s, g) {
      // a cluster: its centre and name as Python wrote them
      var c = state.groupBy === CLUSTER_KEY ? clusterById.get(g) : null;
      graph.addNode(GROUP_PREFIX + g, {
        x: c ? c.x : s.x / s.count,
        y: c ? -c.y : -s.y / s.count,
        size: Math.min(40, 7 + 1.5 * Math.sqrt(s.count)),
        color: "#6b6b6b",
        label: fmt(S.group_label, { value: c ? c.label : g, count: s.count }),
        group: g,
        // many circles: their names go through sigma's grid of labels (the largest
        // first, fewer where circles crowd), more of them as one zooms in
        forceLabel: state.collapsed.size <= FORCED_GROUP_LABELS,
        zIndex: 2,
      });
    });
    var pairs = new Map();
    EDGES.forEach(function (e) {
      var a = nodeById.get(e.from), b = nodeById.get(e.to);
      var ga = hiddenInGroup(a) ? GROUP_PREFIX + groupOf(a) : null;
      var gb = hiddenInGroup(b) ? GROUP_PREFIX + groupOf(b) : null;
      if (ga === null && gb === null) return;
      var from = ga || e.from, to = gb || e.to;
      if (from === to) return;
      var key = from + "\u0000" + to;
      pairs.set(key, (pairs.get(key) || 0) + 1);
    });
    pairs.forEach(function (count, key) {
      // the separator after the first end (a group's id starts with it)
      var from = key.slice(0, key.indexOf("\u0000", 1));
      var to = key.slice(from.length + 1);
      if (!graph.hasNode(from) || !graph.hasNode(to)) return;
      var id = "\u0000lijnen:" + key;
      graph.addDirectedEdgeWithKey(id, from, to, {
        size: Math.min(6, 0.6 + Math.log(1 + count)),
        color: "#9a9a9a",
        type: "line",
        dash: SOLID,
        grouped: count,
      });
      groupEdges.push(id);
    });
  }

  // ------------------------------------------------------------ sigma

  var active = null; // {nodes: Set, edges: Set} while something is highlighted
  var FADE = CFG.fadedOpacity;

  // Tens of thousands of links are left out while the view moves (as on the small
  // page): panning and zooming stay smooth on computers without a graphics card.
  var MOVING_EDGES_MAX = 20000;
  // Above this many nodes the names are left out while the view moves too, and
  // drawn again when it stops.
  var MOVING_LABELS_MAX = 5000;
  // sigma draws the whole map once as it starts, before the panels and the focus
  // are set; on a computer without a graphics card that drawing alone takes
  // seconds, so it draws nothing until the page has set up the first picture.
  var starting = true;
  var HIDDEN = { hidden: true };
  var renderer = new V.Sigma(graph, container, {
    hideEdgesOnMove: EDGES.length > MOVING_EDGES_MAX,
    hideLabelsOnMove: NODES.length > MOVING_LABELS_MAX,
    edgeProgramClasses: { line: DashedEdgeProgram, arrow: DashedArrowProgram },
    defaultEdgeType: "line",
    labelFont: "DejaVu Sans, Verdana, Arial, sans-serif",
    labelSize: 13,
    labelColor: { color: "#1b1b1b" },
    labelDensity: 0.7,
    labelGridCellSize: 90,
    labelRenderedSizeThreshold: 7,
    zIndex: true,
    minEdgeThickness: 0.8,
    stagePadding: 24,
    enableEdgeEvents: false,
    minCameraRatio: 0.005,
    maxCameraRatio: 4,
    nodeReducer: function (id, attrs) {
      if (starting) return Object.assign({}, attrs, HIDDEN);
      var n = nodeById.get(id);
      if (n && hiddenInGroup(n)) return Object.assign({}, attrs, { hidden: true });
      if (!active || attrs.group !== undefined) return attrs;
      if (active.nodes.has(id)) {
        return Object.assign({}, attrs, { zIndex: 1, forceLabel: id === state.focusId });
      }
      return Object.assign({}, attrs, { color: faded(attrs.color, FADE), label: "", zIndex: 0 });
    },
    edgeReducer: function (id, attrs) {
      if (starting) return Object.assign({}, attrs, HIDDEN);
      if (attrs.haloOf !== undefined) {
        // under its link: gone where the link is faded
        if (active && !active.edges.has(attrs.haloOf)) return Object.assign({}, attrs, HIDDEN);
        return attrs;
      }
      if (id === state.selectedEdge) {
        return Object.assign({}, attrs, { size: attrs.size * 3 + 2, color: "#E69F00", zIndex: 3, dash: SOLID });
      }
      if (!active || attrs.grouped) return attrs;
      if (active.edges.has(id)) return Object.assign({}, attrs, { zIndex: 1 });
      return Object.assign({}, attrs, { color: faded(attrs.color, FADE * 0.6), zIndex: 0 });
    },
  });

  mark("renderer");

  // ------------------------------------------------------------ the camera in map units

  // Map units are the Python layout's pixels (y down), as on the small page.
  function toViewport(x, y) {
    return renderer.graphToViewport({ x: x, y: -y });
  }

  function getScale() {
    var a = toViewport(0, 0), b = toViewport(1000, 0);
    return Math.hypot(b.x - a.x, b.y - a.y) / 1000;
  }

  function framedOf(x, y) {
    return renderer.viewportToFramedGraph(toViewport(x, y));
  }

  function moveTo(options) {
    var camera = renderer.getCamera();
    var current = camera.getState();
    var next = { x: current.x, y: current.y, ratio: current.ratio, angle: current.angle };
    if (options.scale) next.ratio = current.ratio * getScale() / options.scale;
    if (options.position) {
      var f = framedOf(options.position.x, options.position.y);
      next.x = f.x;
      next.y = f.y;
    }
    if (options.animation) camera.animate(next, { duration: options.animation.duration || 300 });
    else camera.setState(next);
  }

  // Frame the nodes `ids` (all when null), at most `largest` pixels per map unit.
  function fitView(ids, largest) {
    var list = ids && ids.length ? ids : null;
    var points = [];
    (list || NODES.map(function (n) { return n.id; })).forEach(function (id) {
      var n = nodeById.get(id);
      if (n) points.push(n);
    });
    fitPoints(points, largest, 60);
  }

  // Frame the points {x, y} (map units), `pad` pixels to spare.
  function fitPoints(points, largest, pad) {
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    points.forEach(function (n) {
      if (n.x < minX) minX = n.x;
      if (n.x > maxX) maxX = n.x;
      if (n.y < minY) minY = n.y;
      if (n.y > maxY) maxY = n.y;
    });
    if (!isFinite(minX)) return;
    var camera = renderer.getCamera();
    camera.setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
    var dims = renderer.getDimensions();
    var spanX = Math.max(maxX - minX, 1), spanY = Math.max(maxY - minY, 1);
    var scale = Math.min((dims.width - pad) / spanX, (dims.height - pad) / spanY, largest || 1.2);
    moveTo({ position: { x: (minX + maxX) / 2, y: (minY + maxY) / 2 }, scale: scale });
  }

  // ------------------------------------------------------------ the view

  function computeActive() {
    var restricted = DATA.facets.some(function (f) { return state.filters.get(f.key).size < f.values.length; });
    if (state.focusId === null && !restricted) return null;
    var inFocus = state.focusId === null ? null : neighbourhood(state.focusId, state.steps, state.direction);
    var nodes = new Set();
    NODES.forEach(function (n) {
      if (n.id === state.focusId) nodes.add(n.id);
      else if ((!inFocus || inFocus.has(n.id)) && facetMatches(n)) nodes.add(n.id);
    });
    var edges = new Set();
    EDGES.forEach(function (e) {
      if (nodes.has(e.from) && nodes.has(e.to) && facetMatches(e)) edges.add(e.id);
    });
    return { nodes: nodes, edges: edges };
  }

  function drawnIds() {
    var out = [];
    NODES.forEach(function (n) {
      if (!hiddenInGroup(n)) out.push(n.id);
    });
    return out;
  }

  function updateStatus() {
    var shown = drawnIds().length;
    var text;
    if (active) {
      var lit = 0;
      active.nodes.forEach(function (id) { if (!hiddenInGroup(nodeById.get(id))) lit += 1; });
      text = fmt(S.status_partial, { active: lit, nodes: shown });
    } else if (shown < NODES.length) {
      text = fmt(S.status_subset, { drawn: shown, total: NODES.length });
    } else {
      text = fmt(S.status_all, { nodes: NODES.length, edges: EDGES.length });
    }
    byId("vk-status").textContent = text;
  }

  function applyView() {
    active = computeActive();
    body.dataset.faded = String(active ? NODES.length - active.nodes.size : 0);
    updateStatus();
    renderer.refresh();
  }

  // ------------------------------------------------------------ focus

  // Expand the collapsed groups that hold any of the nodes `ids`.
  function expandGroupsOf(ids) {
    var opened = false;
    ids.forEach(function (id) {
      var n = nodeById.get(id);
      if (n && hiddenInGroup(n)) {
        state.collapsed.delete(groupOf(n));
        opened = true;
      }
    });
    if (!opened) return;
    rebuildGroups();
    renderGroups();
    updateStatus();
  }

  function setFocus(id, moveCamera) {
    if (!nodeById.has(id)) return;
    var n = nodeById.get(id);
    expandGroupsOf([id]);
    state.focusId = id;
    renderFocusPanel();
    applyView();
    if (moveCamera) {
      moveTo({
        position: { x: n.x, y: n.y },
        scale: Math.max(getScale(), 1.1),
        animation: { duration: 450 },
      });
    }
  }

  function resetView() {
    byId("vk-start-note").hidden = true;
    state.focusId = null;
    state.selectedEdge = null;
    DATA.facets.forEach(function (f) { state.filters.set(f.key, new Set(f.values)); });
    syncFilterInputs();
    state.collapsed.clear();
    rebuildGroups();
    renderGroups();
    byId("vk-search").value = "";
    renderResults([]);
    renderFocusPanel();
    applyView();
    fitView(null);
  }

  function renderFocusPanel() {
    var box = byId("vk-focus-current");
    if (state.focusId === null) {
      box.textContent = S.focus_none;
      box.classList.remove("vk-active");
      delete body.dataset.focus;
    } else {
      box.textContent = fmt(S.focus_current, { label: nodeById.get(state.focusId).label });
      box.classList.add("vk-active");
      body.dataset.focus = state.focusId;
    }
  }

  var stepsInput = byId("vk-steps");
  stepsInput.addEventListener("input", function () {
    var value = parseInt(stepsInput.value, 10);
    if (!isFinite(value) || value < 1) return;
    state.steps = Math.min(value, 9);
    applyView();
  });

  var directionSelect = byId("vk-direction");
  directionSelect.addEventListener("change", function () {
    state.direction = directionSelect.value;
    applyView();
  });

  byId("vk-reset").addEventListener("click", resetView);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") resetView();
  });

  renderer.on("clickNode", function (event) {
    var attrs = graph.getNodeAttributes(event.node);
    if (attrs.group !== undefined) {
      toggleGroup(attrs.group);
      return;
    }
    setFocus(event.node, false);
  });

  // ------------------------------------------------------------ tooltips

  var tip = el("div", "vk-webgl-tip");
  tip.hidden = true;
  tip.style.cssText = "position:absolute;z-index:5;max-width:26em;white-space:pre-line;" +
    "background:#ffffff;border:1px solid #999999;padding:0.4em 0.6em;pointer-events:none;" +
    "font-size:0.85em;box-shadow:0 2px 6px rgba(0,0,0,0.2);";
  container.appendChild(tip);
  function showTip(text, event) {
    if (!text) return;
    tip.textContent = text;
    tip.style.left = event.x + 14 + "px";
    tip.style.top = event.y + 14 + "px";
    tip.hidden = false;
  }
  renderer.on("enterNode", function (event) {
    var n = nodeById.get(event.node);
    showTip(n ? tooltipOf(n) || n.label : graph.getNodeAttribute(event.node, "label"), event.event);
  });
  renderer.on("leaveNode", function () { tip.hidden = true; });
  renderer.on("enterEdge", function (event) {
    var e = edgeById.get(event.edge);
    if (e) showTip(tooltipOf(e), event.event);
  });
  renderer.on("leaveEdge", function () { tip.hidden = true; });

  // ------------------------------------------------------------ search

  var searchInput = byId("vk-search");
  var resultsList = byId("vk-search-results");
  var MAX_RESULTS = 12;

  function searchNodes(query) {
    var q = fold(query.trim());
    if (!q) return [];
    var hits = NODES.filter(function (n) { return n.searchKey.indexOf(q) !== -1; });
    hits.sort(function (a, b) {
      var sa = a.searchKey.indexOf(q) === 0 ? 0 : 1;
      var sb = b.searchKey.indexOf(q) === 0 ? 0 : 1;
      // the exact name first, then names that start with it, shortest first
      var ea = a.searchKey === q ? 0 : 1;
      var eb = b.searchKey === q ? 0 : 1;
      return ea - eb || sa - sb || a.label.length - b.label.length ||
        a.label.localeCompare(b.label, DATA.lang);
    });
    return hits.slice(0, MAX_RESULTS);
  }

  function chooseResult(id) {
    searchInput.value = nodeById.get(id).label;
    renderResults([]);
    setFocus(id, true);
  }

  function renderResults(hits, showEmpty) {
    resultsList.replaceChildren();
    if (!hits.length && showEmpty) {
      resultsList.appendChild(el("li", "vk-empty", S.search_none));
      return;
    }
    hits.forEach(function (n) {
      var li = el("li");
      li.setAttribute("role", "option");
      var button = el("button", "vk-result", n.label);
      button.type = "button";
      button.dataset.id = n.id;
      button.addEventListener("click", function () { chooseResult(n.id); });
      li.appendChild(button);
      resultsList.appendChild(li);
    });
  }

  searchInput.addEventListener("input", function () {
    renderResults(searchNodes(searchInput.value), searchInput.value.trim() !== "");
  });

  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var hits = searchNodes(searchInput.value);
      if (hits.length) chooseResult(hits[0].id);
      event.preventDefault();
    } else if (event.key === "ArrowDown") {
      var first = resultsList.querySelector("button");
      if (first) first.focus();
      event.preventDefault();
    } else if (event.key === "Escape") {
      event.stopPropagation();
      searchInput.value = "";
      renderResults([]);
    }
  });

  // ------------------------------------------------------------ filters

  var filterInputs = [];

  function syncFilterInputs() {
    filterInputs.forEach(function (input) {
      input.checked = state.filters.get(input.dataset.facet).has(input.value);
    });
  }

  function buildFilters() {
    var holder = byId("vk-filters");
    if (!DATA.facets.length) {
      byId("vk-filter-box").hidden = true;
      return;
    }
    DATA.facets.forEach(function (facet) {
      var fieldset = el("fieldset", "vk-facet");
      fieldset.dataset.facet = facet.key;
      var legend = el("legend", null, facet.label);
      var tools = el("span", "vk-facet-tools");
      var all = el("button", null, S.filter_all);
      var none = el("button", null, S.filter_none);
      all.type = none.type = "button";
      all.addEventListener("click", function () {
        state.filters.set(facet.key, new Set(facet.values));
        syncFilterInputs();
        applyView();
      });
      none.addEventListener("click", function () {
        state.filters.set(facet.key, new Set());
        syncFilterInputs();
        applyView();
      });
      tools.appendChild(all);
      tools.appendChild(none);
      legend.appendChild(tools);
      fieldset.appendChild(legend);
      facet.values.forEach(function (value, i) {
        var label = el("label");
        var input = el("input");
        input.type = "checkbox";
        input.checked = true;
        input.value = value;
        input.dataset.facet = facet.key;
        input.addEventListener("change", function () {
          var chosen = state.filters.get(facet.key);
          if (input.checked) chosen.add(value);
          else chosen.delete(value);
          applyView();
        });
        filterInputs.push(input);
        label.appendChild(input);
        label.appendChild(el("span", "vk-facet-value", value === "" ? "–" : value));
        label.appendChild(el("span", "vk-count", "(" + facet.counts[i] + ")"));
        fieldset.appendChild(label);
      });
      holder.appendChild(fieldset);
    });
  }

  // ------------------------------------------------------------ groups panel

  var groupBox = el("section", "vk-box");
  groupBox.id = "vk-group-box";
  var groupList = el("ul", "vk-results");
  groupList.id = "vk-groups";
  var groupSelect = el("select");
  groupSelect.id = "vk-group-by";
  var groupIntro = el("p", "vk-muted-text");

  function toggleGroup(value) {
    if (state.collapsed.has(value)) state.collapsed.delete(value);
    else state.collapsed.add(value);
    if (state.focusId !== null && hiddenInGroup(nodeById.get(state.focusId))) {
      state.focusId = null;
      renderFocusPanel();
    }
    rebuildGroups();
    renderGroups();
    applyView();
  }

  // The groups of the current "group by": value, name and number of nodes of each.
  function groupEntries() {
    if (state.groupBy === CLUSTER_KEY) {
      return CLUSTERS.map(function (c) { return { value: c.id, label: c.label, count: c.count }; });
    }
    var facet = nodeFacets.find(function (f) { return f.key === state.groupBy; });
    if (!facet) return [];
    return facet.values.map(function (value, i) {
      return { value: value, label: value, count: facet.counts[i] };
    });
  }

  function renderGroups() {
    groupList.replaceChildren();
    groupIntro.textContent = state.groupBy === CLUSTER_KEY ? S.clusters_intro : S.groups_intro;
    groupEntries().forEach(function (entry) {
      var value = entry.value;
      var li = el("li");
      var collapsed = state.collapsed.has(value);
      var button = el("button", "vk-result",
        fmt(S.group_label, { value: entry.label, count: entry.count }) + " · " +
        (collapsed ? S.expand : S.collapse));
      button.type = "button";
      button.dataset.group = value;
      button.setAttribute("aria-pressed", collapsed ? "true" : "false");
      button.addEventListener("click", function () { toggleGroup(value); });
      li.appendChild(button);
      groupList.appendChild(li);
    });
  }

  function buildGroups() {
    if (!nodeFacets.length && !CLUSTERS) return;
    if (state.groupBy === null) state.groupBy = CLUSTER_KEY;
    groupBox.appendChild(el("h2", "vk-box-title", S.groups));
    var row = el("div", "vk-row vk-stack");
    var label = el("label", null, S.group_by);
    label.htmlFor = "vk-group-by";
    nodeFacets.forEach(function (f) {
      var option = el("option", null, f.label);
      option.value = f.key;
      groupSelect.appendChild(option);
    });
    if (CLUSTERS) {
      var clusterOption = el("option", null, S.cluster_option);
      clusterOption.value = CLUSTER_KEY;
      groupSelect.appendChild(clusterOption);
    }
    groupSelect.value = state.groupBy;
    groupSelect.addEventListener("change", function () {
      state.groupBy = groupSelect.value;
      state.collapsed.clear();
      rebuildGroups();
      renderGroups();
      applyView();
    });
    row.appendChild(label);
    row.appendChild(groupSelect);
    groupBox.appendChild(row);
    groupBox.appendChild(groupIntro);
    var tools = el("div", "vk-row");
    var all = el("button", null, S.collapse_all);
    var none = el("button", null, S.expand_all);
    all.type = none.type = "button";
    all.id = "vk-groups-collapse";
    none.id = "vk-groups-expand";
    all.addEventListener("click", function () {
      groupEntries().forEach(function (entry) { state.collapsed.add(entry.value); });
      if (state.focusId !== null) {
        state.focusId = null;
        renderFocusPanel();
      }
      rebuildGroups();
      renderGroups();
      applyView();
      fitDrawn();
    });
    none.addEventListener("click", function () {
      state.collapsed.clear();
      rebuildGroups();
      renderGroups();
      applyView();
    });
    tools.appendChild(all);
    tools.appendChild(none);
    groupBox.appendChild(tools);
    groupBox.appendChild(groupList);
    byId("vk-panel").insertBefore(groupBox, byId("vk-filter-box"));
    renderGroups();
  }

  // ------------------------------------------------------------ legend

  function dashPattern(dashes, unit) {
    if (Array.isArray(dashes)) return dashes.map(function (v) { return v * unit; });
    return dashes ? [5 * unit, 5 * unit] : [];
  }

  function edgeSwatch(entry) {
    var ratio = window.devicePixelRatio || 1;
    var swatch = el("canvas", "vk-swatch-edge");
    swatch.width = Math.round(48 * ratio);
    swatch.height = Math.round(12 * ratio);
    swatch.setAttribute("aria-hidden", "true");
    var ctx = swatch.getContext("2d");
    ctx.scale(ratio, ratio);
    if (entry.halo) {
      // the amber halo the map draws under a link that divides the groups
      ctx.strokeStyle = entry.halo;
      ctx.lineWidth = 11;
      ctx.beginPath();
      ctx.moveTo(0, 6);
      ctx.lineTo(48, 6);
      ctx.stroke();
    }
    ctx.strokeStyle = entry.color;
    ctx.lineWidth = 4;
    ctx.setLineDash(dashPattern(entry.dashes, 1.5));
    ctx.beginPath();
    ctx.moveTo(0, 6);
    ctx.lineTo(48, 6);
    ctx.stroke();
    return swatch;
  }

  function buildLegend() {
    var bar = byId("vk-legend");
    if (!DATA.legend.length) {
      bar.hidden = true;
      return;
    }
    DATA.legend.forEach(function (entry) {
      var item = el("span", "vk-legend-item");
      var swatch;
      if (entry.kind === "edge") {
        swatch = edgeSwatch(entry);
      } else {
        swatch = el("span", "vk-swatch-node");
        swatch.style.backgroundColor = entry.color;
      }
      item.appendChild(swatch);
      item.appendChild(el("span", "vk-legend-label", entry.label));
      bar.appendChild(item);
    });
  }

  // ------------------------------------------------------------ panel, saving

  var panelButton = byId("vk-panel-toggle");
  function showPanel(show) {
    body.classList.toggle("panel-hidden", !show);
    byId("vk-panel").hidden = !show;
    panelButton.setAttribute("aria-expanded", show ? "true" : "false");
    panelButton.textContent = show ? S.panel_hide : S.panel_show;
    renderer.resize();
    renderer.refresh();
  }
  panelButton.addEventListener("click", function () {
    showPanel(body.classList.contains("panel-hidden"));
  });

  var projectorButton = byId("vk-projector");
  projectorButton.addEventListener("click", function () {
    var on = !body.classList.contains("projector");
    body.classList.toggle("projector", on);
    projectorButton.setAttribute("aria-pressed", on ? "true" : "false");
    renderer.setSetting("labelSize", on ? 20 : 13);
    showPanel(!on);
  });
  if (CFG.projector) projectorButton.click();

  function download(href, filename) {
    var link = el("a");
    link.href = href;
    link.download = filename;
    link.style.display = "none";
    body.appendChild(link);
    link.click();
    link.remove();
  }

  function currentPositions() {
    var out = {};
    NODES.forEach(function (n) {
      out[n.id] = { x: Math.round(n.x * 100) / 100, y: Math.round(n.y * 100) / 100 };
    });
    return out;
  }

  byId("vk-save-positions").addEventListener("click", function () {
    var blob = new Blob([JSON.stringify(currentPositions(), null, 1)], { type: "application/json" });
    var url = URL.createObjectURL(blob);
    download(url, CFG.fileStem + "-posities.json");
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  });

  // The picture: the layers of the map on white, as they are on the screen.
  byId("vk-save-png").addEventListener("click", function () {
    var canvases = renderer.getCanvases();
    var first = canvases.edges;
    var out = document.createElement("canvas");
    out.width = first.width;
    out.height = first.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    renderer.refresh(); // WebGL keeps no drawing buffer: draw, then copy at once
    ["edges", "nodes", "labels"].forEach(function (name) {
      if (canvases[name]) ctx.drawImage(canvases[name], 0, 0);
    });
    download(out.toDataURL("image/png"), CFG.fileStem + ".png");
  });

  // Session steps, loops and paths are panels of the small page.
  ["vk-step-box", "vk-loop-box", "vk-path-box"].forEach(function (id) {
    var box = byId(id);
    if (box) box.hidden = true;
  });

  // ------------------------------------------------------------ the facade for the toetsmodus

  var handlers = { beforeDrawing: [], afterDrawing: [], selectEdge: [] };
  var overlay = document.createElement("canvas");
  overlay.className = "vk-webgl-overlay";
  overlay.setAttribute("aria-hidden", "true");
  overlay.style.cssText = "position:absolute;inset:0;pointer-events:none;";
  var nodesLayer = renderer.getCanvases().nodes;
  nodesLayer.parentNode.insertBefore(overlay, nodesLayer);

  // The overlay is only touched when something is drawn on it (the toetsmodus):
  // an empty overlay is not cleared again for every frame.
  var overlayDrawn = false;
  function drawOverlay() {
    if (!handlers.beforeDrawing.length && !overlayDrawn) return;
    var ratio = window.devicePixelRatio || 1;
    var dims = renderer.getDimensions();
    if (overlay.width !== Math.round(dims.width * ratio)) overlay.width = Math.round(dims.width * ratio);
    if (overlay.height !== Math.round(dims.height * ratio)) overlay.height = Math.round(dims.height * ratio);
    if (overlay.style.width !== dims.width + "px") overlay.style.width = dims.width + "px";
    if (overlay.style.height !== dims.height + "px") overlay.style.height = dims.height + "px";
    var ctx = overlay.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    overlayDrawn = handlers.beforeDrawing.length > 0;
    if (!overlayDrawn) return;
    var o = toViewport(0, 0), ex = toViewport(1, 0), ey = toViewport(0, 1);
    ctx.setTransform(ratio * (ex.x - o.x), ratio * (ex.y - o.y), ratio * (ey.x - o.x),
      ratio * (ey.y - o.y), ratio * o.x, ratio * o.y);
    handlers.beforeDrawing.forEach(function (fn) {
      ctx.save();
      fn(ctx);
      ctx.restore();
    });
  }

  function edgeFacade(id) {
    var e = edgeById.get(id);
    if (!e || !graph.hasEdge(id)) return undefined;
    var a = nodeById.get(e.from), b = nodeById.get(e.to);
    return {
      id: id,
      fromId: e.from,
      toId: e.to,
      edgeType: {
        getPoint: function (t) {
          return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
        },
      },
    };
  }

  var network = {
    renderer: "webgl",
    sigma: renderer,
    graph: graph,
    body: {
      edges: new Proxy({}, { get: function (target, id) { return edgeFacade(String(id)); } }),
    },
    on: function (name, fn) {
      if (handlers[name]) handlers[name].push(fn);
    },
    selectEdges: function (ids) {
      state.selectedEdge = ids && ids.length ? ids[0] : null;
      var e = state.selectedEdge === null ? null : edgeById.get(state.selectedEdge);
      if (e) expandGroupsOf([e.from, e.to]);
      renderer.refresh();
    },
    getScale: getScale,
    moveTo: moveTo,
    redraw: function () { renderer.refresh(); },
    setSize: function () { renderer.resize(); },
    getBoundingBox: function (id) {
      var n = nodeById.get(id);
      if (!n) return null;
      var half = Math.max(2, (n.size || 16) * NODE_SCALE) / getScale();
      return { left: n.x - half, right: n.x + half, top: n.y - half, bottom: n.y + half };
    },
    getPositions: function (ids) {
      var out = {};
      (ids || NODES.map(function (n) { return n.id; })).forEach(function (id) {
        var n = nodeById.get(id);
        if (n) out[id] = { x: n.x, y: n.y };
      });
      return out;
    },
    canvasToDOM: function (p) { return toViewport(p.x, p.y); },
  };

  renderer.on("clickEdge", function (event) {
    if (!edgeById.has(event.edge)) return;
    handlers.selectEdge.forEach(function (fn) { fn({ edges: [event.edge], nodes: [] }); });
  });

  // Clicking links is for the toetsmodus: only while it is open are the links
  // picked under the mouse (which costs a drawing of every link).
  new MutationObserver(function () {
    var on = body.classList.contains("vk-toets-on");
    if (renderer.getSetting("enableEdgeEvents") !== on) renderer.setSetting("enableEdgeEvents", on);
  }).observe(body, { attributes: true, attributeFilter: ["class"] });

  // Whether the view is moving (dragged, zoomed with the wheel, or animated):
  // then sigma leaves out the names (hideLabelsOnMove) and, on maps with very
  // many links, the links; once it has stopped they are drawn again.
  var captor = renderer.getMouseCaptor();
  function moving() {
    return Boolean(renderer.getCamera().isAnimated() || captor.isMoving || captor.draggedEvents ||
      captor.currentWheelDirection);
  }
  var drawnWhileMoving = false;
  var stillTimer = null;
  function drawWhenStill() {
    stillTimer = null;
    if (!drawnWhileMoving) return;
    if (moving()) {
      stillTimer = setTimeout(drawWhenStill, 80);
      return;
    }
    drawnWhileMoving = false;
    renderer.scheduleRender(); // the same data: drawn again, not processed again
  }

  var framesDrawn = 0;
  renderer.on("afterRender", function () {
    framesDrawn += 1;
    if (moving() && (renderer.getSetting("hideLabelsOnMove") || renderer.getSetting("hideEdgesOnMove"))) {
      drawnWhileMoving = true;
      if (stillTimer === null) stillTimer = setTimeout(drawWhenStill, 80);
    } else {
      drawnWhileMoving = false;
    }
    drawOverlay();
    handlers.afterDrawing.forEach(function (fn) { fn(); });
  });

  // ------------------------------------------------------------ test hooks

  window.versterktNetwork = network;
  window.versterktFramesDrawn = function () { return framesDrawn; };
  // The nodes drawn: every node of the map that is not inside a collapsed group
  // and that sigma has on its screen list (not hidden).
  window.versterktDrawnNodeIds = function () {
    return drawnIds().filter(function (id) {
      var d = renderer.getNodeDisplayData(id);
      return d && !d.hidden;
    });
  };
  window.versterktFadedNodeIds = function () {
    return active ? NODES.filter(function (n) { return !active.nodes.has(n.id); }).map(function (n) { return n.id; }) : [];
  };
  window.versterktPositions = currentPositions;
  window.versterktState = function () {
    return {
      focusId: state.focusId,
      steps: state.steps,
      direction: state.direction,
      renderer: "webgl",
      collapsed: Array.from(state.collapsed),
      groupBy: state.groupBy,
      drawCount: framesDrawn,
    };
  };
  // The labels on the screen now (level of detail: more as one zooms in).
  // None while the view moves on a map whose names are left out then.
  window.versterktLabelsShown = function () {
    if (drawnWhileMoving && renderer.getSetting("hideLabelsOnMove")) return [];
    return renderer.getNodeDisplayedLabels ? Array.from(renderer.getNodeDisplayedLabels()) : [];
  };

  // ------------------------------------------------------------ start

  buildLegend();
  buildFilters();
  buildGroups();
  body.dataset.mode = "webgl";

  if (CFG.startFocus !== null && nodeById.has(CFG.startFocus)) {
    state.focusId = CFG.startFocus;
    byId("vk-start-note").textContent = fmt(S.large_start, {
      count: NODES.length,
      label: nodeById.get(CFG.startFocus).label,
    });
    byId("vk-start-note").hidden = false;
  }
  renderFocusPanel();
  active = computeActive();
  body.dataset.faded = String(active ? NODES.length - active.nodes.size : 0);
  updateStatus();
  starting = false;
  fitView(null);
  renderer.refresh();
  mark("drawn");
  // Ready when the first full picture is on the screen.
  requestAnimationFrame(function () {
    mark("ready");
    byId("vk-loading").hidden = true;
    body.dataset.drawCount = "1";
    body.dataset.ready = "1";
  });
})();
