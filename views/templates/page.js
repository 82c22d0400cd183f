/*
 * Interactive network map: search, neighbourhood focus, facet filters,
 * stable positions, projector mode, image export and a size guard.
 *
 * All text from the data is put into the page with textContent, never as
 * HTML. Tooltips are plain strings, which vis-network (9.x) shows with
 * innerText: as text, never as markup.
 *
 * A map of thousands of nodes must be on the screen within seconds, so the
 * page draws it once: the data is set up and framed with drawing held back,
 * and data-ready is set when that one drawing is done.
 */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("vk-data").textContent);
  var S = DATA.strings;
  var CFG = DATA.config;
  var body = document.body;

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

  function withAlpha(color, alpha) {
    // Accepts #rgb / #rrggbb; other colour forms fall back to a neutral grey.
    var m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(color).trim());
    var r = 120, g = 120, b = 120;
    if (m) {
      var hex = m[1];
      if (hex.length === 3) hex = hex.replace(/(.)/g, "$1$1");
      r = parseInt(hex.slice(0, 2), 16);
      g = parseInt(hex.slice(2, 4), 16);
      b = parseInt(hex.slice(4, 6), 16);
    }
    return "rgba(" + r + "," + g + "," + b + "," + alpha + ")";
  }

  function download(href, filename) {
    var link = el("a");
    link.href = href;
    link.download = filename;
    link.style.display = "none";
    body.appendChild(link);
    link.click();
    link.remove();
  }

  // ------------------------------------------------------------ graph model

  // The data is compact: a value most nodes (edges) share is given once in
  // DATA.defaults, facet sets and tooltip lines once each in a table.
  function unpack(items, defaults) {
    var keys = Object.keys(defaults);
    items.forEach(function (item) {
      keys.forEach(function (k) {
        if (!Object.prototype.hasOwnProperty.call(item, k)) item[k] = defaults[k];
      });
      item.facets = DATA.facetSets[item.facets];
      item.tooltip = item.tooltip
        ? item.tooltip.map(function (i) { return DATA.texts[i]; }).join("\n")
        : "";
    });
    return items;
  }

  var NODES = unpack(DATA.nodes, DATA.defaults.node);
  var EDGES = unpack(DATA.edges, DATA.defaults.edge);
  var nodeById = new Map();
  var outgoing = new Map();
  var incoming = new Map();
  NODES.forEach(function (n) {
    nodeById.set(n.id, n);
    outgoing.set(n.id, []);
    incoming.set(n.id, []);
    n.searchKey = fold(n.label);
  });
  EDGES.forEach(function (e) {
    outgoing.get(e.from).push(e);
    incoming.get(e.to).push(e);
  });

  // Nodes within `steps` steps of `startId`. Direction "down" follows arrows,
  // "up" goes against them, "both" ignores them. Edges without an arrow are
  // walked both ways.
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

  var state = {
    focusId: null,
    steps: 1,
    direction: "both",
    filters: new Map(DATA.facets.map(function (f) { return [f.key, new Set(f.values)]; })),
    projector: !!CFG.projector || /(^|[#&])(beamer|projector)\b/.test(location.hash),
    highlight: null, // a loop or path: {key, label, nodes: Set, edges: Set}
  };

  var large = NODES.length > CFG.maxDrawnNodes;
  var knownPositions = new Map();
  NODES.forEach(function (n) {
    if (typeof n.x === "number" && typeof n.y === "number") knownPositions.set(n.id, { x: n.x, y: n.y });
  });

  var drawnIds = [];
  var drawnEdges = [];
  var fadedNodes = new Set();
  var fadedEdges = new Set();
  var drawing = false;
  var afterDraw = [];
  var drawCount = 0;

  // An item with several values for a facet (a list) matches when any of
  // them is chosen; an item without the facet always matches it.
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

  function filtersRestrict() {
    return DATA.facets.some(function (f) { return state.filters.get(f.key).size < f.values.length; });
  }

  // ------------------------------------------------------------ vis items

  var fontColor = DATA.options.nodes.font.color;
  var edgeFontColor = DATA.options.edges.font.color;
  // Shapes that draw their label inside: no white halo around the letters.
  var LABEL_INSIDE = new Set(["box", "ellipse", "circle", "database", "text"]);

  function nodeFont(n, faded) {
    var font = { color: faded ? withAlpha(fontColor, CFG.fadedOpacity + 0.1) : fontColor };
    if (LABEL_INSIDE.has(n.shape)) font.strokeWidth = 0;
    return font;
  }

  // vis-network items carry only what differs from the options: every extra
  // property costs time for each of thousands of items.
  var PAGE_ONLY = new Set(["tooltip", "facets", "kind", "searchKey", "x", "y", "label", "projectorLabel", "halo"]);

  function visNode(n) {
    var item = { label: n.label, opacity: 1 };
    Object.keys(n).forEach(function (k) {
      if (!PAGE_ONLY.has(k)) item[k] = n[k];
    });
    if (n.tooltip) item.title = n.tooltip;
    var p = knownPositions.get(n.id);
    if (p) {
      item.x = p.x;
      item.y = p.y;
      item.physics = false; // keep given positions while the others settle
    }
    if (LABEL_INSIDE.has(n.shape)) item.font = nodeFont(n, false);
    return item;
  }

  function edgeColor(e, faded) {
    return { color: e.color, highlight: e.color, hover: e.color, inherit: false, opacity: faded ? CFG.fadedOpacity : 1 };
  }

  function visEdge(e) {
    var item = {};
    Object.keys(e).forEach(function (k) {
      if (!PAGE_ONLY.has(k)) item[k] = e[k];
    });
    // In projector mode a link may have a shorter label (its sign and status
    // mark), so that link labels do not run over the labels of the nodes.
    var label = state.projector && e.projectorLabel !== undefined ? e.projectorLabel : e.label;
    if (label) item.label = label;
    if (!e.dashes) delete item.dashes;
    if (e.tooltip) item.title = e.tooltip;
    // a link that divides the groups: a halo around its line
    if (e.halo) item.shadow = { enabled: true, color: e.halo, size: 10, x: 0, y: 0 };
    return item;
  }

  // ------------------------------------------------------------ network

  var container = byId("vk-network");
  var startOptions = JSON.parse(JSON.stringify(DATA.options));
  startOptions.physics.enabled = false;
  var network = new vis.Network(container, { nodes: [], edges: [] }, startOptions);
  holdDrawing(); // nothing to draw before the first map
  keepDashesOnScreen(container.querySelector("canvas").getContext("2d"));
  var nodesDS = null;
  var edgesDS = null;
  var waitingForLayout = false;
  var drawToken = 0; // a newer draw makes an unfinished older one moot

  function draw(ids) {
    drawing = true;
    byId("vk-loading").textContent = S.loading;
    byId("vk-loading").hidden = false;
    drawnIds = ids.slice();
    var idSet = new Set(ids);
    drawnEdges = EDGES.filter(function (e) { return idSet.has(e.from) && idSet.has(e.to); });
    var nodeItems = ids.map(function (id) { return visNode(nodeById.get(id)); });
    nodesDS = new vis.DataSet(nodeItems);
    edgesDS = new vis.DataSet(drawnEdges.map(visEdge));
    fadedNodes = new Set();
    fadedEdges = new Set();
    var needsLayout = nodeItems.some(function (item) { return item.x === undefined; });
    waitingForLayout = needsLayout;
    drawToken += 1;
    // With a layout to run, vis-network holds drawing back itself until the
    // layout is done (see "stabilizationIterationsDone").
    if (!needsLayout) holdDrawing();
    network.setOptions({ physics: { enabled: needsLayout } });
    network.setData({ nodes: nodesDS, edges: edgesDS });
    restorePositions(ids);
    if (!needsLayout) drawOnce();
  }

  // vis-network draws the whole map when its data is set, again when asked
  // to, and once more on a frame it asked for earlier; a big map takes a
  // second or more each time. So: hold drawing back while the data, the
  // fading and the camera are set up, let the frames asked for meanwhile pass
  // (they find drawing held back), then draw once and say the map is ready.
  function holdDrawing() {
    network.body.emitter.emit("_blockRedraw");
  }

  function releaseDrawing() {
    network.body.emitter.emit("_allowRedraw");
  }

  // What the camera frames when a map is drawn: the part that stands out when
  // something is chosen (a large map starts at its outcome), else everything.
  function frameIds() {
    if (state.focusId === null && !state.highlight) return null;
    var shown = Array.from(activeSets().nodes);
    return shown.length < drawnIds.length ? shown : null;
  }

  function drawOnce() {
    var token = drawToken;
    applyView();
    fitView(frameIds());
    requestAnimationFrame(function () {
      if (token !== drawToken) return; // a newer drawing replaced this one
      network.once("afterDrawing", function () {
        if (token !== drawToken) return;
        var refit = refitToLabels();
        if (dropCollidingLinkLabels() || refit) {
          network.once("afterDrawing", function () {
            if (token === drawToken) finishDraw();
          });
          network.redraw();
        } else {
          finishDraw();
        }
      });
      releaseDrawing();
      network.redraw();
    });
  }

  // vis-network knows exactly how large the labels are only once it has drawn
  // them, so the first fit can leave part of a label off the screen. In
  // projector mode, where the labels are large, a map that is not too large is
  // fitted again, labels and all, and drawn once more.
  var REFIT_MAX_NODES = 500;
  function refitToLabels() {
    if (!state.projector || !drawnIds.length || drawnIds.length > REFIT_MAX_NODES) return false;
    var before = { scale: network.getScale(), view: network.getViewPosition() };
    fitView(frameIds());
    var view = network.getViewPosition();
    return (
      Math.abs(network.getScale() - before.scale) > 1e-3 ||
      Math.hypot(view.x - before.view.x, view.y - before.view.y) > 0.5
    );
  }

  // In projector mode a link keeps its label (sign and status mark) only where
  // the label is clear of every element and of the labels of other links; the
  // line itself still shows the status. Sizes are known once drawn.
  function dropCollidingLinkLabels() {
    if (!state.projector || !drawnIds.length || drawnIds.length > REFIT_MAX_NODES) return false;
    var taken = drawnIds.map(function (id) {
      var b = network.getBoundingBox(id);
      return [b.left, b.top, b.right, b.bottom];
    });
    var cleared = [];
    drawnEdges.forEach(function (e) {
      var edge = network.body.edges[e.id];
      if (!edge || !edge.options.label) return;
      var size = edge.labelModule.size;
      if (!size || !size.width) return;
      var box = [size.left, size.top, size.left + size.width, size.top + size.height];
      var hit = taken.some(function (t) {
        return box[0] < t[2] && t[0] < box[2] && box[1] < t[3] && t[1] < box[3];
      });
      if (hit) cleared.push({ id: e.id, label: " " });
      else taken.push(box);
    });
    if (cleared.length) edgesDS.update(cleared);
    return cleared.length > 0;
  }

  // vis-network dashes lines in map units: zoomed out on a big map, a dash is
  // a fraction of a pixel, the line looks solid, and millions of tiny dashes
  // take seconds to draw. Stretch every dash pattern so that a dash is never
  // shorter on the screen than CFG.minDashPixels.
  function keepDashesOnScreen(ctx) {
    var setLineDash = ctx.setLineDash;
    ctx.setLineDash = function (pattern) {
      var shortest = Math.min.apply(null, pattern.filter(function (v) { return v > 0; }));
      var stretch = isFinite(shortest) ? CFG.minDashPixels / (shortest * network.getScale()) : 1;
      if (!(stretch > 1)) return setLineDash.call(ctx, pattern);
      return setLineDash.call(ctx, pattern.map(function (v) { return v * stretch; }));
    };
  }

  // vis-network truncates given x/y to whole pixels, and its initial layout
  // may move nodes that have a position when fewer than half of them do.
  // Put the known positions back exactly; layout only moves the others.
  function restorePositions(ids) {
    var bodyNodes = network.body.nodes;
    ids.forEach(function (id) {
      var p = knownPositions.get(id);
      var node = bodyNodes[id];
      if (p && node) {
        node.x = p.x;
        node.y = p.y;
      }
    });
  }

  network.on("stabilizationProgress", function (params) {
    if (!waitingForLayout || !params.total) return;
    var percent = Math.round((100 * params.iterations) / params.total);
    byId("vk-loading").textContent = fmt(S.loading_progress, { percent: percent });
  });

  network.on("stabilizationIterationsDone", function () {
    if (!waitingForLayout) return;
    waitingForLayout = false;
    holdDrawing();
    network.setOptions({ physics: { enabled: false } });
    rememberPositions();
    drawOnce();
  });

  // Exact positions: network.getPositions() rounds to whole pixels.
  function exactPositions(ids) {
    var out = {};
    var bodyNodes = network.body && network.body.nodes;
    var rounded = network.getPositions(ids);
    ids.forEach(function (id) {
      var node = bodyNodes && bodyNodes[id];
      if (node && typeof node.x === "number") out[id] = { x: node.x, y: node.y };
      else if (rounded[id]) out[id] = rounded[id];
    });
    return out;
  }

  function rememberPositions() {
    var pos = exactPositions(drawnIds);
    Object.keys(pos).forEach(function (id) { knownPositions.set(id, pos[id]); });
  }

  // In projector mode labels must be readable from the back of the room: when
  // the whole map would make them smaller than CFG.projectorMinPixels, zoom in
  // on its middle instead (pan or search for the rest).
  function fitView(ids, largest) {
    if (!drawnIds.length) return;
    // The panel or the legend may have changed the map's room since the last
    // drawing; vis-network would only notice when it next draws.
    network.canvas.setSize();
    network.fit(ids && ids.length ? { nodes: ids, animation: false } : { animation: false });
    var most = largest || 1.6;
    if (network.getScale() > most) network.moveTo({ scale: most, animation: false });
    var readable = CFG.projectorMinPixels / CFG.projectorFontSize;
    if (state.projector && network.getScale() < readable) {
      network.moveTo({ scale: readable, animation: false });
    }
  }

  // After the page layout changes (panel hidden, projector mode), fit the
  // map once vis-network has taken its new size.
  var fitAfterResize = false;
  network.on("resize", function () {
    if (!fitAfterResize) return;
    fitAfterResize = false;
    // vis-network restores its own camera right after this event.
    setTimeout(function () { whenDrawn(fitView); }, 0);
  });

  function refitSoon() {
    fitAfterResize = true;
    setTimeout(function () {
      if (fitAfterResize) {
        fitAfterResize = false;
        whenDrawn(fitView);
      }
    }, 250);
  }

  function finishDraw() {
    drawing = false;
    byId("vk-loading").hidden = true;
    drawCount += 1;
    body.dataset.drawCount = String(drawCount);
    body.dataset.ready = "1";
    var queued = afterDraw;
    afterDraw = [];
    queued.forEach(function (fn) { fn(); });
  }

  function whenDrawn(fn) {
    if (drawing) afterDraw.push(fn);
    else fn();
  }

  network.on("dragEnd", function (params) {
    if (!params.nodes || !params.nodes.length) return;
    var pos = exactPositions(params.nodes);
    params.nodes.forEach(function (id) { knownPositions.set(id, pos[id]); });
  });

  network.on("click", function (params) {
    if (params.nodes && params.nodes.length) setFocus(params.nodes[0], false);
  });

  // ------------------------------------------------------------ fading

  function activeSets() {
    if (state.highlight) {
      var chosen = state.highlight;
      return {
        nodes: new Set(drawnIds.filter(function (id) { return chosen.nodes.has(id); })),
        edges: new Set(drawnEdges.filter(function (e) { return chosen.edges.has(e.id); }).map(function (e) { return e.id; })),
      };
    }
    var inFocus = state.focusId === null ? null : neighbourhood(state.focusId, state.steps, state.direction);
    var nodes = new Set();
    drawnIds.forEach(function (id) {
      if (id === state.focusId) nodes.add(id);
      else if ((!inFocus || inFocus.has(id)) && facetMatches(nodeById.get(id))) nodes.add(id);
    });
    var edges = new Set();
    drawnEdges.forEach(function (e) {
      if (nodes.has(e.from) && nodes.has(e.to) && facetMatches(e)) edges.add(e.id);
    });
    return { nodes: nodes, edges: edges };
  }

  function applyView() {
    if (!nodesDS) return;
    var active = activeSets();
    var alpha = CFG.fadedOpacity;
    var nodeUpdates = [];
    var newFadedNodes = new Set();
    drawnIds.forEach(function (id) {
      var faded = !active.nodes.has(id);
      if (faded) newFadedNodes.add(id);
      if (faded !== fadedNodes.has(id)) {
        nodeUpdates.push({
          id: id,
          opacity: faded ? alpha : 1,
          font: nodeFont(nodeById.get(id), faded),
        });
      }
    });
    var edgeUpdates = [];
    var newFadedEdges = new Set();
    drawnEdges.forEach(function (e) {
      var faded = !active.edges.has(e.id);
      if (faded) newFadedEdges.add(e.id);
      if (faded !== fadedEdges.has(e.id)) {
        edgeUpdates.push({
          id: e.id,
          color: edgeColor(e, faded),
          font: { color: faded ? withAlpha(edgeFontColor, alpha) : edgeFontColor },
        });
      }
    });
    fadedNodes = newFadedNodes;
    fadedEdges = newFadedEdges;
    if (nodeUpdates.length) nodesDS.update(nodeUpdates);
    if (edgeUpdates.length) edgesDS.update(edgeUpdates);
    body.dataset.faded = String(fadedNodes.size);
    updateStatus(active.nodes.size);
  }

  function updateStatus(activeCount) {
    var text;
    if (large) {
      text = drawnIds.length ? fmt(S.status_subset, { drawn: drawnIds.length, total: NODES.length }) : "";
    } else if (activeCount < drawnIds.length) {
      text = fmt(S.status_partial, { active: activeCount, nodes: drawnIds.length });
    } else if (drawnIds.length < NODES.length) {
      text = fmt(S.status_projector, { drawn: drawnIds.length, total: NODES.length });
    } else {
      text = fmt(S.status_all, { nodes: NODES.length, edges: EDGES.length });
    }
    byId("vk-status").textContent = text;
  }

  function showMessage(text) {
    var box = byId("vk-message");
    box.textContent = text || "";
    box.hidden = !text;
  }

  // ------------------------------------------------------------ large maps

  function largeCandidates() {
    if (state.highlight) return NODES.filter(function (n) { return state.highlight.nodes.has(n.id); }).map(function (n) { return n.id; });
    if (state.focusId !== null) {
      var reach = neighbourhood(state.focusId, state.steps, state.direction);
      return NODES.filter(function (n) {
        return reach.has(n.id) && (n.id === state.focusId || facetMatches(n));
      }).map(function (n) { return n.id; });
    }
    if (filtersRestrict()) {
      return NODES.filter(facetMatches).map(function (n) { return n.id; });
    }
    return null;
  }

  function refreshLarge() {
    var ids = largeCandidates();
    if (ids === null) {
      showMessage(fmt(S.too_large, { count: NODES.length }));
      ids = [];
    } else if (ids.length > CFG.maxDrawnNodes) {
      showMessage(fmt(S.subset_too_large, { count: ids.length, max: CFG.maxDrawnNodes }));
      ids = [];
    } else {
      showMessage("");
    }
    var same = ids.length === drawnIds.length && ids.every(function (id, i) { return id === drawnIds[i]; });
    if (same && drawCount > 0) {
      applyView();
      return;
    }
    if (drawnIds.length) rememberPositions();
    draw(ids);
  }

  // ------------------------------------------------------------ focus

  function refresh() {
    if (large) refreshLarge();
    else applyView();
    renderFocusPanel();
  }

  function setFocus(id, moveCamera) {
    if (!nodeById.has(id)) return;
    state.focusId = id;
    setHighlight(null);
    showStepBar(-1);
    refresh();
    whenDrawn(function () {
      if (!nodesDS || !nodesDS.get(id)) return;
      network.selectNodes([id]);
      if (moveCamera) {
        network.focus(id, {
          scale: Math.max(network.getScale(), 1.1),
          animation: { duration: 450, easingFunction: "easeInOutQuad" },
        });
      }
    });
  }

  function resetView() {
    byId("vk-start-note").hidden = true;
    state.focusId = null;
    setHighlight(null);
    showStepBar(-1);
    DATA.facets.forEach(function (f) { state.filters.set(f.key, new Set(f.values)); });
    syncFilterInputs();
    byId("vk-search").value = "";
    renderResults([]);
    network.unselectAll();
    refresh();
    whenDrawn(fitView);
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
    refresh();
  });

  var directionSelect = byId("vk-direction");
  directionSelect.addEventListener("change", function () {
    state.direction = directionSelect.value;
    refresh();
  });

  byId("vk-reset").addEventListener("click", resetView);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") resetView();
  });

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
      return sa - sb || a.label.localeCompare(b.label, DATA.lang);
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
        refresh();
      });
      none.addEventListener("click", function () {
        state.filters.set(facet.key, new Set());
        syncFilterInputs();
        refresh();
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
          refresh();
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

  // ------------------------------------------------------------ loops and paths

  // Highlight a loop or a path: exactly its nodes and links stay, the rest fades.
  // Choosing the one already highlighted again shows everything again.
  function setHighlight(route) {
    if (route && state.highlight && state.highlight.key === route.key) route = null;
    state.highlight = route;
    document.querySelectorAll("[data-route]").forEach(function (button) {
      button.setAttribute("aria-pressed", route && button.dataset.route === route.key ? "true" : "false");
    });
    if (route) body.dataset.highlight = route.key;
    else delete body.dataset.highlight;
  }

  function chooseRoute(route) {
    state.focusId = null;
    showStepBar(-1);
    network.unselectAll();
    setHighlight(route);
    refresh();
    whenDrawn(function () {
      if (!state.highlight) return fitView();
      fitView(drawnIds.filter(function (id) { return state.highlight.nodes.has(id); }), 1.2);
    });
  }

  function routeButton(key, label, detail, route) {
    var li = el("li");
    var button = el("button", "vk-result", label);
    button.type = "button";
    button.dataset.route = key;
    button.setAttribute("aria-pressed", "false");
    if (detail) button.appendChild(el("span", "vk-route-kind", detail));
    button.addEventListener("click", function () { chooseRoute(route); });
    li.appendChild(button);
    return li;
  }

  function buildLoops() {
    if (DATA.loops === null) return;
    byId("vk-loop-box").hidden = false;
    var list = byId("vk-loops");
    if (!DATA.loops.length) {
      byId("vk-loops-intro").textContent = S.loops_none;
      return;
    }
    DATA.loops.forEach(function (loop, i) {
      var key = "loop:" + i;
      list.appendChild(routeButton(key, loop.label, loop.polarity, {
        key: key, label: loop.label, nodes: new Set(loop.nodes), edges: new Set(loop.edges),
      }));
    });
  }

  // Simple paths from `from` to `to` along edges a path may follow, in the order
  // of the `paths` question (queries.paths): by length, then by the ids of the
  // nodes passed, then of the links; up to CFG.pathMaxLinks links and
  // CFG.pathMaxListed paths, within a bounded number of steps.
  function findPaths(from, to) {
    var found = [];
    var budget = 200000;
    function walk(id, trail, seen, length, ofLength) {
      if (budget-- <= 0) return;
      var out = outgoing.get(id);
      for (var i = 0; i < out.length; i++) {
        var e = out[i];
        if (!e.route || seen.has(e.to)) continue;
        if (trail.length + 1 === length) {
          if (e.to === to) ofLength.push(trail.concat([e]));
        } else if (e.to !== to) {
          seen.add(e.to);
          walk(e.to, trail.concat([e]), seen, length, ofLength);
          seen.delete(e.to);
        }
      }
    }
    for (var length = 1; length <= CFG.pathMaxLinks && found.length < CFG.pathMaxListed; length++) {
      var ofLength = [];
      walk(from, [], new Set([from]), length, ofLength);
      ofLength.sort(comparePaths);
      found = found.concat(ofLength.slice(0, CFG.pathMaxListed - found.length));
    }
    return found;
  }

  // Two paths of one length, compared as the `paths` question orders them: by the
  // ids of the nodes they pass, then by the ids of their links.
  function comparePaths(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i].to !== b[i].to) return a[i].to < b[i].to ? -1 : 1;
    }
    for (var j = 0; j < a.length; j++) {
      if (a[j].id !== b[j].id) return a[j].id < b[j].id ? -1 : 1;
    }
    return 0;
  }

  function pathSign(trail) {
    var negative = 0;
    for (var i = 0; i < trail.length; i++) {
      if (trail[i].sign !== "+" && trail[i].sign !== "-") return "";
      if (trail[i].sign === "-") negative += 1;
    }
    return negative % 2 ? "−" : "+";
  }

  function buildPaths() {
    if (!DATA.paths) return;
    var routable = NODES.filter(function (n) {
      return outgoing.get(n.id).some(function (e) { return e.route; }) ||
        incoming.get(n.id).some(function (e) { return e.route; });
    }).sort(function (a, b) { return a.label.localeCompare(b.label, DATA.lang); });
    if (!routable.length) return;
    byId("vk-path-box").hidden = false;
    ["vk-path-from", "vk-path-to"].forEach(function (selectId) {
      var select = byId(selectId);
      routable.forEach(function (n) {
        var option = el("option", null, n.label);
        option.value = n.id;
        select.appendChild(option);
      });
    });
    byId("vk-path-find").addEventListener("click", showPaths);
  }

  function showPaths() {
    var from = byId("vk-path-from").value;
    var to = byId("vk-path-to").value;
    var list = byId("vk-paths");
    var message = byId("vk-path-message");
    list.replaceChildren();
    if (!from || !to || from === to) {
      message.hidden = true;
      return;
    }
    var found = findPaths(from, to);
    message.hidden = false;
    message.textContent = found.length
      ? fmt(S.path_count, { count: found.length })
      : fmt(S.path_none, { from: nodeById.get(from).label, to: nodeById.get(to).label, max: CFG.pathMaxLinks });
    found.forEach(function (trail, i) {
      var names = [nodeById.get(from).label].concat(trail.map(function (e) { return nodeById.get(e.to).label; }));
      var label = names.join(" → ");
      var nodes = new Set([from]);
      trail.forEach(function (e) { nodes.add(e.to); });
      var key = "path:" + from + ":" + to + ":" + i;
      list.appendChild(routeButton(key, label, pathSign(trail), {
        key: key, label: label, nodes: nodes, edges: new Set(trail.map(function (e) { return e.id; })),
      }));
    });
  }

  // ------------------------------------------------------------ steps of a session

  var stepIndex = -1;

  function showStepBar(index) {
    stepIndex = index;
    var bar = byId("vk-step-bar");
    document.querySelectorAll("[data-step]").forEach(function (button) {
      button.setAttribute("aria-pressed", Number(button.dataset.step) === index ? "true" : "false");
    });
    if (index < 0) {
      bar.hidden = true;
      delete body.dataset.step;
      return;
    }
    bar.textContent = fmt(S.session_step, { number: index + 1, count: DATA.steps.length }) +
      ": " + DATA.steps[index].name;
    bar.hidden = false;
    body.dataset.step = String(index + 1);
  }

  // Show step `index`: its focus, distance and direction, its filters (a filter
  // it does not name shows everything) and what it highlights, framed.
  function showStep(index) {
    var step = DATA.steps[index];
    state.focusId = step.focus;
    state.steps = step.depth;
    state.direction = step.direction;
    stepsInput.value = String(step.depth);
    directionSelect.value = step.direction;
    DATA.facets.forEach(function (f) {
      var chosen = Object.prototype.hasOwnProperty.call(step.filters, f.key) ? step.filters[f.key] : f.values;
      state.filters.set(f.key, new Set(chosen));
    });
    syncFilterInputs();
    state.highlight = null;
    setHighlight(step.highlight ? {
      key: "step:" + index,
      label: step.name,
      nodes: new Set(step.highlight.nodes),
      edges: new Set(step.highlight.edges),
    } : null);
    network.unselectAll();
    showStepBar(index);
    refresh();
    whenDrawn(function () {
      if (step.focus !== null && nodesDS && nodesDS.get(step.focus)) network.selectNodes([step.focus]);
      var shown = Array.from(activeSets().nodes);
      fitView(shown.length < drawnIds.length ? shown : null, 1.2);
    });
  }

  function listSteps() {
    var list = byId("vk-steps-list");
    list.replaceChildren();
    byId("vk-steps-intro").textContent = DATA.steps.length ? S.session_steps_intro : S.steps_none;
    DATA.steps.forEach(function (step, i) {
      var li = el("li");
      var button = el("button", "vk-result", (i + 1) + ". " + step.name);
      button.type = "button";
      button.dataset.step = String(i);
      button.setAttribute("aria-pressed", i === stepIndex ? "true" : "false");
      button.addEventListener("click", function () { showStep(i); });
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  // The view as it is now, as a step: focus, distance, direction, the filters
  // that leave something out, and what is highlighted.
  function currentStep() {
    var filters = {};
    DATA.facets.forEach(function (f) {
      var chosen = state.filters.get(f.key);
      if (chosen.size < f.values.length) {
        filters[f.key] = f.values.filter(function (v) { return chosen.has(v); });
      }
    });
    var lit = state.highlight;
    var name = lit ? lit.label : state.focusId !== null ? nodeById.get(state.focusId).label
      : fmt(S.step_name, { number: DATA.steps.length + 1 });
    return {
      name: name,
      focus: state.focusId,
      depth: state.steps,
      direction: state.direction,
      highlight: lit ? { nodes: Array.from(lit.nodes), edges: Array.from(lit.edges) } : null,
      filters: filters,
    };
  }

  function csvCell(value) {
    return '"' + String(value).replace(/"/g, '""') + '"';
  }

  // The steps as the workbook's sheet of steps, in a CSV file (UTF-8 with a
  // byte order mark, so that spreadsheet programs read the accents right).
  function stepsCsv() {
    var sheet = CFG.stepSheet;
    var rows = [sheet.headers.map(csvCell).join(",")];
    DATA.steps.forEach(function (step, i) {
      var lit = [];
      if (step.highlight) {
        var ends = new Set();
        step.highlight.edges.forEach(function (id) {
          lit.push(id);
          var e = EDGES.find(function (x) { return x.id === id; });
          if (e) { ends.add(e.from); ends.add(e.to); }
        });
        step.highlight.nodes.forEach(function (id) { if (!ends.has(id)) lit.push(id); });
      }
      var filter = Object.keys(step.filters).map(function (key) {
        return key + "=" + step.filters[key].join(", ");
      }).join("; ");
      rows.push([
        i + 1, step.name, step.focus === null ? "" : step.focus, step.depth,
        sheet.directions[step.direction], lit.join(", "), filter,
      ].map(csvCell).join(","));
    });
    return "\ufeff" + rows.join("\r\n") + "\r\n";
  }

  function buildSteps() {
    if (CFG.stepSheet) {
      byId("vk-step-tools").hidden = false;
      byId("vk-step-add").addEventListener("click", function () {
        DATA.steps.push(currentStep());
        listSteps();
      });
      byId("vk-steps-save").addEventListener("click", function () {
        var blob = new Blob([stepsCsv()], { type: "text/csv" });
        var url = URL.createObjectURL(blob);
        download(url, CFG.stepSheet.name);
        setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      });
    } else if (!DATA.steps.length) {
      return;
    }
    byId("vk-step-box").hidden = false;
    listSteps();
    // Arrow keys, and the page keys a presenter's clicker sends, go from step
    // to step; not while typing in a field.
    document.addEventListener("keydown", function (event) {
      var tag = event.target && event.target.tagName;
      if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
      var next = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 }[event.key];
      if (!next) return;
      event.preventDefault();
      if (!DATA.steps.length) return;
      var index = stepIndex < 0 ? (next > 0 ? 0 : DATA.steps.length - 1) : stepIndex + next;
      if (index >= 0 && index < DATA.steps.length) showStep(index);
    });
  }

  // ------------------------------------------------------------ notes

  function buildNotes() {
    var holder = byId("vk-notes");
    DATA.notes.forEach(function (note) {
      var box = el("section", "vk-box vk-note");
      box.appendChild(el("h2", "vk-box-title", note.title));
      if (!note.items.length) {
        box.appendChild(el("p", "vk-note-empty", note.empty));
      } else {
        var list = el("ul", "vk-note-items");
        note.items.forEach(function (text) { list.appendChild(el("li", null, text)); });
        box.appendChild(list);
      }
      holder.appendChild(box);
    });
  }

  // ------------------------------------------------------------ legend

  // The line patterns of the legend, as the map draws them (vis-network's
  // dashes: [5, 5]), a little thicker.
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
      // the amber halo the map draws around a link that divides the groups
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
      if (entry.projector === false) item.classList.add("vk-not-projected");
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

  // ------------------------------------------------------------ projector mode

  var projectorButton = byId("vk-projector");

  // The nodes the page draws: all of them, or in projector mode only those of
  // the kinds CFG.projectorKinds names (when it names any).
  function fullMapIds() {
    var kinds = new Set(CFG.projectorKinds);
    return NODES.filter(function (n) {
      return !state.projector || !kinds.size || kinds.has(n.kind);
    }).map(function (n) { return n.id; });
  }

  function showPanel(show) {
    body.classList.toggle("panel-hidden", !show);
    byId("vk-panel").hidden = !show;
    panelButton.setAttribute("aria-expanded", show ? "true" : "false");
    panelButton.textContent = show ? S.panel_hide : S.panel_show;
  }

  function applyProjector() {
    body.classList.toggle("projector", state.projector);
    showPanel(!state.projector);
    projectorButton.setAttribute("aria-pressed", state.projector ? "true" : "false");
    var on = state.projector;
    network.setOptions({
      nodes: {
        font: { size: on ? CFG.projectorFontSize : CFG.fontSize },
        widthConstraint: { maximum: on ? CFG.projectorLabelWidth : CFG.labelWidth },
      },
      edges: { font: { size: on ? CFG.projectorEdgeFontSize : CFG.edgeFontSize } },
    });
  }

  projectorButton.addEventListener("click", function () {
    state.projector = !state.projector;
    applyProjector();
    if (large) {
      refitSoon();
      return;
    }
    rememberPositions();
    draw(fullMapIds());
  });

  // ------------------------------------------------------------ control panel

  var panelButton = byId("vk-panel-toggle");
  panelButton.addEventListener("click", function () {
    showPanel(body.classList.contains("panel-hidden"));
    refitSoon();
  });

  // ------------------------------------------------------------ saving

  function currentPositions() {
    var out = {};
    NODES.forEach(function (n) {
      var p = knownPositions.get(n.id);
      if (p) out[n.id] = p;
    });
    var pos = exactPositions(drawnIds);
    drawnIds.forEach(function (id) {
      if (pos[id]) out[id] = pos[id];
    });
    var rounded = {};
    Object.keys(out).forEach(function (id) {
      rounded[id] = { x: Math.round(out[id].x * 100) / 100, y: Math.round(out[id].y * 100) / 100 };
    });
    return rounded;
  }

  byId("vk-save-positions").addEventListener("click", function () {
    var blob = new Blob([JSON.stringify(currentPositions(), null, 1)], { type: "application/json" });
    var url = URL.createObjectURL(blob);
    download(url, CFG.fileStem + "-posities.json");
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  });

  // The saved picture has the title on top and the legend below the map.
  function composeImage() {
    var source = container.querySelector("canvas");
    var ratio = source.width / Math.max(source.clientWidth, 1);
    var pad = Math.round(16 * ratio);
    var titleSize = Math.round(26 * ratio);
    var legendSize = Math.round(17 * ratio);
    var width = source.width;
    var probe = document.createElement("canvas").getContext("2d");
    var font = getComputedStyle(body).fontFamily;
    probe.font = legendSize + "px " + font;
    var rows = [[]];
    var x = pad;
    function textOffset(entry) {
      return entry.kind === "edge" ? legendSize * 2.8 : legendSize * 1.6;
    }
    DATA.legend.forEach(function (entry) {
      var w = textOffset(entry) + probe.measureText(entry.label).width + legendSize * 1.6;
      if (x + w > width - pad && rows[rows.length - 1].length) {
        rows.push([]);
        x = pad;
      }
      rows[rows.length - 1].push({ entry: entry, x: x });
      x += w;
    });
    var legendHeight = DATA.legend.length ? rows.length * legendSize * 1.8 + pad : 0;
    var headerHeight = titleSize * 1.3 + pad * 2;
    var out = document.createElement("canvas");
    out.width = width;
    out.height = Math.round(headerHeight + source.height + legendHeight);
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = "#1b1b1b";
    ctx.textBaseline = "middle";
    ctx.font = "bold " + titleSize + "px " + font;
    ctx.fillText(DATA.title, pad, pad + titleSize * 0.65);
    ctx.drawImage(source, 0, headerHeight);
    ctx.font = legendSize + "px " + font;
    rows.forEach(function (row, r) {
      var y = headerHeight + source.height + pad / 2 + legendSize * (0.9 + r * 1.8);
      row.forEach(function (cell) {
        var e = cell.entry;
        if (e.kind === "edge") {
          ctx.strokeStyle = e.color;
          ctx.lineWidth = Math.max(3, legendSize / 5);
          ctx.setLineDash(dashPattern(e.dashes, legendSize / 10));
          ctx.beginPath();
          ctx.moveTo(cell.x, y);
          ctx.lineTo(cell.x + legendSize * 2.2, y);
          ctx.stroke();
          ctx.setLineDash([]);
        } else {
          ctx.fillStyle = e.color;
          ctx.beginPath();
          ctx.arc(cell.x + legendSize * 0.55, y, legendSize * 0.5, 0, 2 * Math.PI);
          ctx.fill();
        }
        ctx.fillStyle = "#1b1b1b";
        ctx.fillText(e.label, cell.x + textOffset(e), y);
      });
    });
    return out.toDataURL("image/png");
  }

  byId("vk-save-png").addEventListener("click", function () {
    download(composeImage(), CFG.fileStem + ".png");
  });

  // ------------------------------------------------------------ test hooks

  window.versterktNetwork = network;
  var framesDrawn = 0;
  network.on("afterDrawing", function () { framesDrawn += 1; });
  window.versterktFramesDrawn = function () { return framesDrawn; };
  window.versterktDrawnNodeIds = function () { return drawnIds.slice(); };
  window.versterktFadedNodeIds = function () { return Array.from(fadedNodes); };
  window.versterktFadedEdgeIds = function () { return Array.from(fadedEdges); };
  window.versterktPaths = function (from, to) {
    return findPaths(from, to).map(function (trail) {
      return { links: trail.map(function (e) { return e.id; }), sign: pathSign(trail) };
    });
  };
  window.versterktPositions = currentPositions;
  window.versterktLinkLabelBoxes = function () {
    return drawnEdges.map(function (e) {
      var edge = network.body.edges[e.id];
      var size = edge && edge.labelModule.size;
      var text = edge && edge.options.label;
      if (!text || !text.trim() || !size || !size.width) return null;
      return { id: e.id, box: [size.left, size.top, size.left + size.width, size.top + size.height] };
    }).filter(Boolean);
  };
  window.versterktState = function () {
    return {
      focusId: state.focusId,
      steps: state.steps,
      direction: state.direction,
      projector: state.projector,
      large: large,
      drawCount: drawCount,
    };
  };

  // ------------------------------------------------------------ start

  // A large map starts at its outcome and what it is connected to, and says so.
  if (CFG.startFocus !== null && nodeById.has(CFG.startFocus)) {
    state.focusId = CFG.startFocus;
    byId("vk-start-note").textContent = fmt(S.large_start, {
      count: NODES.length,
      label: nodeById.get(CFG.startFocus).label,
    });
    byId("vk-start-note").hidden = false;
  }

  buildLegend();
  buildSteps();
  buildLoops();
  buildPaths();
  buildNotes();
  buildFilters();
  renderFocusPanel();
  if (state.projector) applyProjector();
  if (large) {
    body.dataset.mode = "large";
    refreshLarge();
  } else {
    body.dataset.mode = "full";
    draw(fullMapIds());
  }
})();
