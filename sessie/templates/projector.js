// The projector page of a live session: the item shown, the join code, the results as
// they come in; with the control token (given after # in the address, then kept in this
// tab only and taken out of the address) the facilitator's controls. textContent only.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  // The words of the session's language, given by the page (see sessie.app).
  const W = JSON.parse($("woorden").textContent);
  const LABELS = W.answers;
  const STATUS = W.statuses;
  const say = (text, values) => text.replace(/\{(\w+)\}/g, (all, key) => String(values[key]));
  let plan = null;
  let shown = null;
  let token = null;

  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get("token")) {
    try { sessionStorage.setItem("versterkt-sessie-token", hash.get("token")); } catch (e) { /* kept below */ }
    token = hash.get("token");
    history.replaceState(null, "", location.pathname + location.search);
  } else {
    try { token = sessionStorage.getItem("versterkt-sessie-token"); } catch (e) { token = null; }
  }

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function bar(label, n, most, key) {
    const row = el("div", undefined, "balk");
    row.dataset.antwoord = key;
    const fill = el("div", undefined, "vulling");
    fill.style.width = (most ? (100 * n) / most : 0) + "%";
    const track = el("div");
    track.append(fill);
    const count = el("span", String(n), "aantal");
    count.dataset.key = key;
    row.append(el("span", label), track, count);
    return row;
  }

  function showResults(r) {
    if (!shown || r.item !== shown.item) return;
    const out = $("uitslag");
    out.replaceChildren();
    out.dataset.item = r.item;
    out.dataset.results = JSON.stringify(r);
    $("stand").textContent = say(W.answered, { answered: r.answered, phones: shown.phones });
    $("status").textContent = "";
    if (r.kind === "stelling") {
      const most = Math.max(1, ...Object.values(r.counts));
      for (const key of ["eens", "neutraal", "oneens"]) out.append(bar(LABELS[key], r.counts[key], most, key));
    } else if (r.kind === "prioriteit") {
      const most = Math.max(1, ...Object.values(r.counts));
      for (const item of plan.items.filter((i) => i.kind === "stelling")) {
        out.append(bar(item.text, r.counts[item.id] || 0, most, item.id));
      }
    } else {
      const table = el("table", undefined, "groepen");
      const head = el("tr");
      head.append(el("th", W.group));
      for (const key of ["eens", "oneens", "neutraal", "aanvulling"]) head.append(el("th", LABELS[key]));
      head.append(el("th", W.verdict));
      table.append(head);
      for (const g of plan.groups) {
        const counts = r.groups[g.id];
        const given = counts && ["eens", "oneens", "neutraal", "aanvulling"].some((k) => counts[k]);
        if (!given) continue;  // a group without answers has no row
        const row = el("tr");
        row.dataset.group = g.id;
        row.append(el("td", g.label));
        for (const key of ["eens", "oneens", "neutraal", "aanvulling"]) row.append(el("td", String(counts[key])));
        row.append(el("td", STATUS[counts.verdict] || counts.verdict || "—"));
        table.append(row);
      }
      out.append(table);
      $("status").textContent = say(W.status, { status: STATUS[r.status] || r.status });
    }
    const list = $("opmerkingen");
    list.replaceChildren();
    for (const remark of r.remarks || []) list.append(el("li", remark.group + ": " + remark.text));
  }

  function showState(s) {
    shown = s;
    const item = plan.items.find((i) => i.id === s.item);
    $("stap").textContent = say(W.step, { position: s.position, count: s.count }) + " · " +
      (s.ended ? W.ended : s.open ? W.voting_open : W.voting_closed);
    $("vraagtekst").textContent = item ? item.text : "";
    document.body.dataset.item = s.item || "";
    document.body.dataset.open = s.open ? "1" : "0";
    const o = s.outcome || {};
    $("uitkomst").textContent = o.error ? say(W.not_recorded, { error: o.error }) : o.recorded || "";
  }

  async function control(action) {
    const response = await fetch("/api/control", {
      method: "POST", cache: "no-store",
      headers: { "Content-Type": "application/json", Authorization: "Bearer " + token },
      body: JSON.stringify({ action: action }),
    });
    if (response.status !== 200) {
      let body = {};
      try { body = await response.json(); } catch (e) { /* not JSON */ }
      $("uitkomst").textContent = body.error || W.failed;
    }
  }

  async function start() {
    plan = await (await fetch("/api/state", { cache: "no-store" })).json();
    $("titel").textContent = plan.sessionName + " — " + plan.mapName;
    document.title = plan.sessionName;
    showState(plan.state);
    if (token) {
      const response = await fetch("/api/facilitator", {
        cache: "no-store", headers: { Authorization: "Bearer " + token },
      });
      if (response.status === 200) {
        const info = await response.json();
        $("code").textContent = info.code;
        $("adres").textContent = info.joinUrl.replace(/\?.*$/, "");
        $("qr").src = info.qr;
        $("meedoen").hidden = false;
        $("bediening").hidden = false;
        for (const button of document.querySelectorAll("#bediening button")) {
          button.addEventListener("click", () => control(button.dataset.actie));
        }
      }
    }
    const source = new EventSource("/api/events");
    source.addEventListener("state", (e) => showState(JSON.parse(e.data)));
    source.addEventListener("results", (e) => showResults(JSON.parse(e.data)));
    source.addEventListener("open", () => { document.body.dataset.live = "1"; });
    document.body.dataset.ready = "1";
  }
  start();
})();
