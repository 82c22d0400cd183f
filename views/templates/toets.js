// The toetsmodus of the map page: record each group's verdict and remark on the
// agenda's links, and the groups' proposals, in the session itself.
//
// Every entry is kept in the browser (localStorage) the moment it is made, so a
// reload or a closed tab loses nothing; "Opslaan" saves the session as one JSON
// file that `versterkt review-import` reads. Text from the data and from the
// facilitator is only ever put into the page with textContent.
(function () {
  "use strict";

  var source = document.getElementById("vk-toets-data");
  if (!source) return;
  var T = JSON.parse(source.textContent);
  var S = T.strings;
  var KEY = "versterkt-toets:" + T.map + ":" + T.round;
  var LINKS = T.links;
  var linkById = new Map(LINKS.map(function (l) { return [l.id, l]; }));
  var nodeName = new Map(T.nodes.map(function (n) { return [n.id, n.name]; }));
  var groupLabel = new Map(T.groups.map(function (g) { return [g.id, g.label]; }));
  var agendaIds = LINKS.filter(function (l) { return l.onAgenda; }).map(function (l) { return l.id; });

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  // Dates, times and plurals in the page's language ("14:05", "1 voorstel").
  var LOCALE = T.locale || undefined;
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(LOCALE) : null;
  function counted(key, n) {
    var form = plural && plural.select(n) === "one" ? "_one" : "_other";
    return fill(S[key + form], { n: n });
  }
  function clock(date) {
    return date.toLocaleTimeString(LOCALE, { hour: "2-digit", minute: "2-digit" });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ------------------------------------------------------------ what is kept

  function fresh() {
    // The session is chosen by the facilitator, never assumed: the round's own session
    // is only marked in the list.
    return { session: "", current: LINKS.length ? LINKS[0].id : null,
             entries: {}, proposals: [], keptAt: null };
  }

  var storageWorks = true;
  function restore() {
    try {
      var text = window.localStorage.getItem(KEY);
      if (!text) return fresh();
      var kept = JSON.parse(text);
      var state = fresh();
      if (typeof kept.session === "string") state.session = kept.session;
      if (linkById.has(kept.current)) state.current = kept.current;
      if (kept.entries && typeof kept.entries === "object") state.entries = kept.entries;
      if (Array.isArray(kept.proposals)) state.proposals = kept.proposals;
      state.keptAt = kept.keptAt || null;
      return state;
    } catch (e) {
      storageWorks = false;
      return fresh();
    }
  }

  var state = restore();

  function keep() {
    state.keptAt = new Date().toISOString();
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
      storageWorks = true;
    } catch (e) {
      storageWorks = false;
    }
    showKept();
  }

  function entry(linkId, group) {
    var byGroup = state.entries[linkId] || (state.entries[linkId] = {});
    return byGroup[group] || (byGroup[group] = { verdict: "", note: "" });
  }

  function countEntries() {
    var n = 0;
    Object.keys(state.entries).forEach(function (linkId) {
      var byGroup = state.entries[linkId];
      Object.keys(byGroup).forEach(function (g) { if (byGroup[g].verdict) n += 1; });
    });
    return n;
  }

  // ------------------------------------------------------------ the panel

  var body = document.body;
  var panel = el("section", { id: "vk-toets", class: "vk-toets", "aria-label": S.open });
  panel.hidden = true;

  var head = el("div", { class: "vk-toets-head" });
  head.appendChild(el("h2", { class: "vk-toets-title" }, fill(S.title, { round: T.round })));
  var closeButton = el("button", { type: "button", id: "vk-toets-close" }, S.close);
  head.appendChild(closeButton);
  panel.appendChild(head);

  var sessionRow = el("div", { class: "vk-toets-row" });
  sessionRow.appendChild(el("label", { for: "vk-toets-session" }, S.session));
  var sessionSelect = el("select", { id: "vk-toets-session" });
  sessionSelect.appendChild(el("option", { value: "" }, S.session_none));
  T.sessions.forEach(function (s) {
    var label = s.id === T.session ? s.name + fill(S.session_of_round, { round: T.round }) : s.name;
    sessionSelect.appendChild(el("option", { value: s.id }, label));
  });
  sessionSelect.value = state.session;
  sessionRow.appendChild(sessionSelect);
  panel.appendChild(sessionRow);

  var kept = el("p", { id: "vk-toets-kept", class: "vk-toets-kept", role: "status", "aria-live": "polite" });

  // One row to step through the links: previous, the list of every link, next.
  var nav = el("div", { class: "vk-toets-nav" });
  var prevButton = el("button", { type: "button", id: "vk-toets-prev" }, S.previous);
  var nextButton = el("button", { type: "button", id: "vk-toets-next" }, S.next);
  var pick = el("select", { id: "vk-toets-pick", "aria-label": S.pick, title: S.pick });
  [[S.agenda, true], [S.others, false]].forEach(function (part) {
    var group = el("optgroup", { label: part[0] });
    LINKS.forEach(function (l) {
      if (l.onAgenda === part[1]) group.appendChild(el("option", { value: l.id }, l.sentence));
    });
    if (group.children.length) pick.appendChild(group);
  });
  nav.appendChild(prevButton);
  nav.appendChild(pick);
  nav.appendChild(nextButton);
  panel.appendChild(nav);

  // The link under test, then each group's verdict and remark: on a laptop screen all
  // of it fits without scrolling; why it is on the agenda and what it rests on open
  // on request.
  var card = el("article", { id: "vk-toets-link", class: "vk-toets-link" });
  var position = el("p", { id: "vk-toets-position", class: "vk-toets-position" });
  var sentence = el("h3", { id: "vk-toets-sentence" });
  var statusLine = el("p", { class: "vk-toets-status" });
  var more = el("details", { class: "vk-toets-more" });
  more.appendChild(el("summary", {}, S.more));
  var reasonsLine = el("p", { class: "vk-toets-reasons" });
  var evidenceTitle = el("h4", {}, S.evidence);
  var evidenceList = el("ul", { class: "vk-toets-evidence" });
  [reasonsLine, evidenceTitle, evidenceList].forEach(function (n) { more.appendChild(n); });
  [position, sentence, statusLine, more].forEach(function (n) { card.appendChild(n); });
  panel.appendChild(card);

  var groupsBox = el("div", { class: "vk-toets-groups" });
  var groupParts = {};
  T.groups.forEach(function (g) {
    var set = el("fieldset", { class: "vk-toets-group", "data-group": g.id, tabindex: "0" });
    set.appendChild(el("legend", {}, g.label));
    var buttons = el("div", { class: "vk-toets-verdicts", role: "group" });
    var byVerdict = {};
    T.verdicts.forEach(function (v, i) {
      var b = el("button", { type: "button", class: "vk-toets-verdict", "data-verdict": v.id,
                             "aria-pressed": "false" }, (i + 1) + " " + v.label);
      b.addEventListener("click", function () { setVerdict(g.id, v.id); });
      buttons.appendChild(b);
      byVerdict[v.id] = b;
    });
    set.appendChild(buttons);
    var noteId = "vk-toets-note-" + g.id;
    set.appendChild(el("label", { for: noteId, class: "vk-toets-note-label" }, fill(S.remark, { group: g.label })));
    var note = el("textarea", { id: noteId, class: "vk-toets-note", rows: "1", spellcheck: "true" });
    note.addEventListener("input", function () {
      if (!state.current) return;
      entry(state.current, g.id).note = note.value;
      warnFor(g.id);
      keep();
    });
    set.appendChild(note);
    var warn = el("p", { class: "vk-toets-warn" }, S.remark_needs_verdict);
    warn.hidden = true;
    set.appendChild(warn);
    set.addEventListener("keydown", function (event) {
      if (event.target.tagName === "TEXTAREA") return;
      var n = Number(event.key);
      if (n >= 1 && n <= T.verdicts.length) {
        event.preventDefault();
        setVerdict(g.id, T.verdicts[n - 1].id);
      }
    });
    groupsBox.appendChild(set);
    groupParts[g.id] = { set: set, buttons: byVerdict, note: note, warn: warn };
  });
  panel.appendChild(groupsBox);
  panel.appendChild(kept);
  panel.appendChild(el("p", { class: "vk-toets-keys" }, S.keys));

  // ------------------------------------------------------------ proposals

  var proposalBox = el("section", { class: "vk-toets-proposals" });
  proposalBox.appendChild(el("h3", {}, S.proposals));
  function labelled(labelText, control) {
    var row = el("div", { class: "vk-toets-row" });
    row.appendChild(el("label", { for: control.id }, labelText));
    row.appendChild(control);
    return row;
  }
  function selectOf(id, choices) {
    var select = el("select", { id: id });
    select.appendChild(el("option", { value: "" }, S.choose));
    choices.forEach(function (c) { select.appendChild(el("option", { value: c[0] }, c[1])); });
    return select;
  }
  var kindSelect = selectOf("vk-toets-proposal-kind",
    [["link", S.kind_link], ["sign", S.kind_sign], ["factor", S.kind_factor]]);
  var byGroupSelect = selectOf("vk-toets-proposal-group",
    T.groups.map(function (g) { return [g.id, g.label]; }));
  var nodeChoices = T.nodes.map(function (n) { return [n.id, n.name]; });
  var fromSelect = selectOf("vk-toets-proposal-from", nodeChoices);
  var toSelect = selectOf("vk-toets-proposal-to", nodeChoices);
  var signSelect = el("select", { id: "vk-toets-proposal-sign" });
  [["+", S.sign_plus], ["-", S.sign_minus], ["", S.sign_unknown]].forEach(function (c) {
    signSelect.appendChild(el("option", { value: c[0] }, c[1]));
  });
  var nameInput = el("input", { id: "vk-toets-proposal-name", type: "text", autocomplete: "off" });
  var proposalNote = el("textarea", { id: "vk-toets-proposal-note", rows: "2" });
  var rows = {
    kind: labelled(S.proposal_kind, kindSelect),
    group: labelled(S.proposal_group, byGroupSelect),
    from: labelled(S.from, fromSelect),
    to: labelled(S.to, toSelect),
    sign: labelled(S.sign, signSelect),
    name: labelled(S.name, nameInput),
    note: labelled(S.note, proposalNote),
  };
  Object.keys(rows).forEach(function (k) { proposalBox.appendChild(rows[k]); });
  var addButton = el("button", { type: "button", id: "vk-toets-proposal-add", class: "vk-toets-wide" }, S.add);
  var proposalMessage = el("p", { class: "vk-toets-warn", role: "alert" });
  proposalMessage.hidden = true;
  var proposalList = el("ul", { id: "vk-toets-proposal-list", class: "vk-toets-proposal-list" });
  proposalBox.appendChild(addButton);
  proposalBox.appendChild(proposalMessage);
  proposalBox.appendChild(proposalList);
  panel.appendChild(proposalBox);

  function showProposalFields() {
    var kind = kindSelect.value;
    rows.from.hidden = rows.to.hidden = kind !== "link";
    rows.sign.hidden = kind !== "link" && kind !== "sign";
    rows.name.hidden = kind !== "factor";
  }
  kindSelect.addEventListener("change", showProposalFields);

  function signWord(sign) {
    return sign === "+" ? S.sign_plus : sign === "-" ? S.sign_minus : S.sign_unknown;
  }

  function describeProposal(p) {
    var group = groupLabel.get(p.group) || p.group;
    if (p.kind === "link") {
      return fill(S.proposal_link, { group: group, from: nodeName.get(p.source) || p.source,
                                     to: nodeName.get(p.target) || p.target, sign: signWord(p.sign) });
    }
    if (p.kind === "sign") {
      var link = linkById.get(p.link);
      return fill(S.proposal_sign, { group: group, link: link ? link.sentence : p.link, sign: signWord(p.sign) });
    }
    return fill(S.proposal_factor, { group: group, name: p.name });
  }

  addButton.addEventListener("click", function () {
    var p = { kind: kindSelect.value, group: byGroupSelect.value, note: proposalNote.value.trim() };
    var complete = p.kind && p.group;
    if (p.kind === "link") {
      p.source = fromSelect.value; p.target = toSelect.value; p.sign = signSelect.value;
      complete = complete && p.source && p.target && p.source !== p.target;
    } else if (p.kind === "sign") {
      p.link = state.current; p.sign = signSelect.value;
      complete = complete && p.link && p.sign;
    } else if (p.kind === "factor") {
      p.name = nameInput.value.trim();
      complete = complete && p.name;
    }
    if (!complete) {
      proposalMessage.textContent = S.proposal_incomplete;
      proposalMessage.hidden = false;
      return;
    }
    proposalMessage.hidden = true;
    state.proposals.push(p);
    nameInput.value = ""; proposalNote.value = "";
    keep();
    renderProposals();
  });

  function renderProposals() {
    proposalList.textContent = "";
    if (!state.proposals.length) {
      proposalList.appendChild(el("li", { class: "vk-toets-empty" }, S.proposals_none));
      return;
    }
    state.proposals.forEach(function (p, i) {
      var item = el("li", {});
      item.appendChild(el("span", { class: "vk-toets-proposal-text" }, describeProposal(p)));
      if (p.note) item.appendChild(el("span", { class: "vk-toets-proposal-note" }, p.note));
      var remove = el("button", { type: "button" }, S.remove);
      remove.addEventListener("click", function () {
        state.proposals.splice(i, 1);
        keep();
        renderProposals();
      });
      item.appendChild(remove);
      proposalList.appendChild(item);
    });
  }

  // ------------------------------------------------------------ saving

  var saveRow = el("div", { class: "vk-toets-save" });
  var saveButton = el("button", { type: "button", id: "vk-toets-save", class: "vk-toets-primary" }, S.save);
  var clearButton = el("button", { type: "button", id: "vk-toets-clear" }, S.clear);
  saveRow.appendChild(saveButton);
  saveRow.appendChild(clearButton);
  panel.appendChild(saveRow);
  var savedLine = el("p", { id: "vk-toets-saved", class: "vk-toets-saved", role: "status" });
  panel.appendChild(savedLine);

  function sessionFile() {
    var entries = [];
    LINKS.forEach(function (l) {
      var byGroup = state.entries[l.id] || {};
      T.groups.forEach(function (g) {
        var e = byGroup[g.id];
        if (e && (e.verdict || e.note.trim())) {
          entries.push({ link: l.id, group: g.id, verdict: e.verdict, note: e.note.trim() });
        }
      });
    });
    return {
      format: T.format, version: T.version, map: T.map, round: T.round,
      session: state.session || null, saved: new Date().toISOString(),
      entries: entries, proposals: state.proposals,
    };
  }

  function fileName() {
    return "toetssessie-" + T.map + "-ronde-" + T.round + (state.session ? "-" + state.session : "") + ".json";
  }

  saveButton.addEventListener("click", function () {
    if (!state.session && T.sessions.length) {
      savedLine.textContent = S.session_needed;
      sessionSelect.focus();
      return;
    }
    var blob = new Blob([JSON.stringify(sessionFile(), null, 1)], { type: "application/json" });
    var url = URL.createObjectURL(blob);
    var link = el("a", { href: url, download: fileName() });
    link.style.display = "none";
    body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    savedLine.textContent = fill(S.saved_file, {
      file: fileName(), time: clock(new Date()),
      command: "versterkt review-import " + fileName() + " WERKBOEK",
    });
  });

  clearButton.addEventListener("click", function () {
    if (!window.confirm(S.clear_confirm)) return;
    state = fresh();
    keep();
    sessionSelect.value = state.session;
    show(state.current);
    renderProposals();
  });

  sessionSelect.addEventListener("change", function () {
    state.session = sessionSelect.value;
    keep();
  });

  function showKept() {
    kept.classList.toggle("vk-toets-alarm", !storageWorks);
    if (!storageWorks) {
      kept.textContent = S.not_kept;
    } else if (!state.keptAt) {
      kept.textContent = S.kept_none;
    } else {
      kept.textContent = fill(S.kept, {
        time: clock(new Date(state.keptAt)),
        entries: counted("entries", countEntries()),
        proposals: counted("proposals", state.proposals.length),
      });
    }
    Array.prototype.forEach.call(pick.options, function (option) {
      var byGroup = state.entries[option.value] || {};
      var done = Object.keys(byGroup).some(function (g) { return byGroup[g].verdict; });
      var text = linkById.get(option.value).sentence;
      option.textContent = done ? "✓ " + text : text;
    });
  }

  // ------------------------------------------------------------ one link at a time

  function warnFor(group) {
    var e = state.current && (state.entries[state.current] || {})[group];
    groupParts[group].warn.hidden = !(e && !e.verdict && e.note.trim());
  }

  function setVerdict(group, verdict) {
    if (!state.current) return;
    var e = entry(state.current, group);
    e.verdict = e.verdict === verdict ? "" : verdict;  // a second press takes it back
    showVerdicts(group);
    warnFor(group);
    keep();
  }

  function showVerdicts(group) {
    var e = (state.entries[state.current] || {})[group];
    Object.keys(groupParts[group].buttons).forEach(function (v) {
      groupParts[group].buttons[v].setAttribute("aria-pressed", String(!!e && e.verdict === v));
    });
  }

  function show(linkId) {
    var link = linkById.get(linkId);
    state.current = link ? link.id : null;
    card.hidden = !link;
    groupsBox.hidden = !link;
    if (!link) { position.textContent = ""; return; }
    pick.value = link.id;
    sentence.textContent = link.sentence;
    statusLine.textContent = fill(S.status, { status: link.status });
    reasonsLine.textContent = link.reasons ? fill(S.reasons, { reasons: link.reasons }) : "";
    reasonsLine.hidden = !link.reasons;
    sentence.title = link.reasons ? fill(S.reasons, { reasons: link.reasons }) : "";
    evidenceList.textContent = "";
    (link.evidence.length ? link.evidence : [S.evidence_none]).forEach(function (line) {
      evidenceList.appendChild(el("li", {}, line));
    });
    var n = agendaIds.indexOf(link.id);
    position.textContent = n >= 0 ? fill(S.position, { n: n + 1, total: agendaIds.length }) : S.position_other;
    var index = LINKS.indexOf(link);
    prevButton.disabled = index <= 0;
    nextButton.disabled = index >= LINKS.length - 1;
    T.groups.forEach(function (g) {
      var e = (state.entries[link.id] || {})[g.id];
      groupParts[g.id].note.value = e ? e.note : "";
      showVerdicts(g.id);
      warnFor(g.id);
    });
    highlight();
  }

  // ------------------------------------------------------------ the link on the map

  // While the toetsmodus is open, the link under test is drawn with a wide halo and
  // brought to the middle of the map, at a scale where it can be read.
  var halo = null;
  function edgeOf(net, id) {
    var edge = net.body && net.body.edges[id];
    return edge && edge.edgeType && typeof edge.edgeType.getPoint === "function" ? edge : null;
  }
  function highlight() {
    var net = window.versterktNetwork;
    halo = !panel.hidden && state.current ? state.current : null;
    if (!net) return;
    listenToMap();
    var edge = halo && edgeOf(net, halo);
    try { net.selectEdges(edge ? [halo] : []); } catch (e) { /* not drawn */ }
    if (edge) {
      var middle = edge.edgeType.getPoint(0.5);
      net.moveTo({ position: middle, scale: Math.max(net.getScale(), 0.8), animation: false });
    }
    net.redraw();
  }
  function drawHalo(ctx) {
    var net = window.versterktNetwork;
    var edge = halo && net && edgeOf(net, halo);
    if (!edge) return;
    ctx.save();
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "rgba(230, 159, 0, 0.55)";
    ctx.lineWidth = 16 / Math.max(net.getScale(), 0.2);
    ctx.beginPath();
    for (var i = 0; i <= 20; i += 1) {
      var p = edge.edgeType.getPoint(i / 20);
      if (i === 0) ctx.moveTo(p.x, p.y); else ctx.lineTo(p.x, p.y);
    }
    ctx.stroke();
    [edge.fromId, edge.toId].forEach(function (id) {
      var box = net.getBoundingBox(id);
      if (!box) return;
      var pad = 6 / Math.max(net.getScale(), 0.2);
      ctx.strokeRect(box.left - pad, box.top - pad, box.right - box.left + 2 * pad,
                     box.bottom - box.top + 2 * pad);
    });
    ctx.restore();
  }
  window.versterktToetsHighlight = function () { return halo; };

  function step(by) {
    var index = LINKS.indexOf(linkById.get(state.current));
    var next = LINKS[Math.min(LINKS.length - 1, Math.max(0, index + by))];
    if (next && next.id !== state.current) {
      show(next.id);
      keep();
    }
  }
  prevButton.addEventListener("click", function () { step(-1); });
  nextButton.addEventListener("click", function () { step(1); });
  pick.addEventListener("change", function () { show(pick.value); keep(); });

  // ------------------------------------------------------------ open and close

  var openButton = el("button", { type: "button", id: "vk-toets-open", "aria-controls": "vk-toets",
                                  "aria-expanded": "false" }, S.open);
  var actions = document.querySelector(".vk-actions");
  (actions || body).insertBefore(openButton, actions ? actions.firstChild : null);
  body.appendChild(panel);

  // A link clicked on the map is the link shown, while the toetsmodus is open.
  var listening = false;
  function listenToMap() {
    var net = window.versterktNetwork;
    if (!net || listening) return;
    listening = true;
    net.on("beforeDrawing", drawHalo);
    net.on("selectEdge", function (params) {
      if (!panel.hidden && params.edges.length === 1 && !params.nodes.length && linkById.has(params.edges[0])) {
        show(params.edges[0]);
        keep();
      }
    });
  }
  window.addEventListener("load", listenToMap);

  function setOpen(open) {
    panel.hidden = !open;
    body.classList.toggle("vk-toets-on", open);
    openButton.setAttribute("aria-expanded", String(open));
    listenToMap();
    if (open) {
      show(state.current);
      prevButton.focus();
    } else {
      highlight();
      openButton.focus();
    }
    // the map's own canvas follows the room the panel leaves it
    var net = window.versterktNetwork;
    if (net) { net.setSize("100%", "100%"); net.redraw(); }
    if (open) highlight();
  }
  openButton.addEventListener("click", function () { setOpen(panel.hidden); });
  closeButton.addEventListener("click", function () { setOpen(false); });

  document.addEventListener("keydown", function (event) {
    if (panel.hidden) return;
    var tag = event.target.tagName;
    if (tag === "TEXTAREA" || tag === "INPUT" || tag === "SELECT") {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    var by = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 }[event.key];
    if (event.key !== "Escape" && !by) return;
    // These keys are the toetsmodus' while it is open, not the map's: this script
    // runs before the page's own, so its listener comes first.
    event.preventDefault();
    event.stopImmediatePropagation();
    if (event.key === "Escape") setOpen(false);
    else step(by);
  });

  showProposalFields();
  renderProposals();
  show(state.current);
  showKept();
  if (/(^|[#&])toets\b/.test(location.hash)) setOpen(true);
})();
