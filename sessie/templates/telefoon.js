// The phone page of a live session: join with the code, answer what the projector
// shows. Every answer is kept in this browser until the laptop has acknowledged it,
// and sent again (with the same id) until then, so none is lost and none counts twice.
// Texts are set with textContent only.
"use strict";
(function () {
  const KEY = "versterkt-sessie";
  const $ = (id) => document.getElementById(id);
  // The words of the session's language, given by the page (see sessie.app).
  const W = JSON.parse($("woorden").textContent);
  const LABELS = W.answers;
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (all, key) => String(values[key]));
  const CHOICES = { stelling: ["eens", "neutraal", "oneens"], relatie: ["eens", "oneens", "neutraal", "aanvulling"] };
  let plan = null;
  let shown = null;
  let me = load("me");
  let pending = load("pending") || [];
  let given = load("given") || {};

  function load(name) {
    try { return JSON.parse(localStorage.getItem(KEY + ":" + name)); } catch (e) { return null; }
  }
  function save(name, value) {
    try { localStorage.setItem(KEY + ":" + name, JSON.stringify(value)); } catch (e) { /* full: kept in memory */ }
  }
  function newId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  function say(text) { $("melding").textContent = text || ""; }

  async function post(path, data) {
    const response = await fetch(path, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(data),
      cache: "no-store",
    });
    let body = {};
    try { body = await response.json(); } catch (e) { /* not JSON */ }
    return { status: response.status, body: body };
  }

  function choice(type, name, value, label) {
    const wrap = document.createElement("label");
    wrap.className = "keuze";
    const input = document.createElement("input");
    input.type = type; input.name = name; input.value = value;
    const span = document.createElement("span");
    span.textContent = label;
    wrap.append(input, span);
    return wrap;
  }

  function showJoin() {
    $("aanmelden").hidden = false; $("vraag").hidden = true; $("wachten").hidden = true;
    const code = new URLSearchParams(location.search).get("code");
    if (code && !$("code").value) $("code").value = code;
    const box = $("groepen");
    if (!box.querySelector("input")) {
      for (const g of plan.groups) box.append(choice("radio", "groep", g.id, g.label));
    }
  }

  function render() {
    if (!plan) return;
    if (!me) { showJoin(); return; }
    $("aanmelden").hidden = true;
    const label = (plan.groups.find((g) => g.id === me.group) || { label: me.group }).label;
    $("mijngroep").textContent = fill(W.you_are, { group: label });
    const s = shown;
    if (!s) return;
    if (s.ended) {
      $("vraag").hidden = true; $("wachten").hidden = false;
      $("wachttekst").textContent = W.thanks;
      return;
    }
    if (!s.open) {
      $("vraag").hidden = true; $("wachten").hidden = false;
      $("wachttekst").textContent = W.wait;
      return;
    }
    const item = plan.items.find((i) => i.id === s.item);
    $("wachten").hidden = true; $("vraag").hidden = false;
    if ($("vraag").dataset.item === item.id) return;  // keep what is being typed
    $("vraag").dataset.item = item.id;
    $("stap").textContent = fill(W.step, { position: s.position, count: s.count });
    $("vraagtekst").textContent = item.text;
    const box = $("keuzes");
    box.querySelectorAll(".keuze").forEach((n) => n.remove());
    if (item.kind === "prioriteit") {
      $("keuzelegende").textContent = fill(W.pick_at_most, { picks: plan.picks });
      for (const other of plan.items.filter((i) => i.kind === "stelling")) {
        box.append(choice("checkbox", "keuze", other.id, other.text));
      }
      $("opmerking").hidden = true; $("opmerkinglabel").hidden = true;
    } else {
      $("keuzelegende").textContent = W.your_answer;
      for (const c of CHOICES[item.kind]) box.append(choice("radio", "keuze", c, LABELS[c]));
      $("opmerking").hidden = false; $("opmerkinglabel").hidden = false;
    }
    $("opmerking").value = "";
    $("ontvangen").textContent = given[item.id] ? W.received_change : "";
  }

  function limitPicks() {
    const boxes = Array.from($("keuzes").querySelectorAll("input[type=checkbox]"));
    const n = boxes.filter((b) => b.checked).length;
    for (const b of boxes) b.disabled = !b.checked && n >= plan.picks;
  }

  async function flush() {
    while (pending.length) {
      const next = pending[0];
      let reply;
      try { reply = await post("/api/answer", next); } catch (e) { return; }  // offline: later
      if (reply.status === 429 || reply.status >= 500) return;
      pending.shift(); save("pending", pending);
      if (reply.status === 200) {
        given[next.item] = true; save("given", given);
        if (shown && shown.item === next.item) $("ontvangen").textContent = W.received;
      } else {
        if (reply.status === 403 && next.phone === (me && me.phone)) {
          if (reply.body.reason === "not-joined") { me = null; save("me", null); render(); }
        }
        say(reply.body.error || W.not_arrived);
        $("ontvangen").textContent = "";
      }
    }
  }

  async function join(event) {
    event.preventDefault();
    const picked = document.querySelector("input[name=groep]:checked");
    if (!picked) { say(W.pick_group); return; }
    let reply;
    try { reply = await post("/api/join", { code: $("code").value.trim(), group: picked.value }); }
    catch (e) { say(W.offline_retry); return; }
    if (reply.status !== 200) { say(reply.body.error || W.join_failed); return; }
    me = reply.body; save("me", me); given = {}; save("given", given); say("");
    render();
  }

  function answer(event) {
    event.preventDefault();
    const item = plan.items.find((i) => i.id === $("vraag").dataset.item);
    if (!item || !me) return;
    let value;
    if (item.kind === "prioriteit") {
      value = Array.from(document.querySelectorAll("input[name=keuze]:checked"), (b) => b.value);
      if (!value.length) { say(W.pick_one); return; }
    } else {
      const picked = document.querySelector("input[name=keuze]:checked");
      if (!picked) { say(W.pick_answer); return; }
      value = picked.value;
    }
    say("");
    const message = { id: newId(), phone: me.phone, secret: me.secret, group: me.group,
                      item: item.id, answer: value };
    const remark = $("opmerking").value.trim();
    if (remark && item.kind !== "prioriteit") message.remark = remark;
    pending.push(message); save("pending", pending);
    $("ontvangen").textContent = W.sending;
    flush();
  }

  function listen() {
    const source = new EventSource("/api/events");
    source.addEventListener("state", (e) => { shown = JSON.parse(e.data); render(); flush(); });
    source.addEventListener("open", () => flush());
  }

  async function start() {
    try {
      plan = await (await fetch("/api/state", { cache: "no-store" })).json();
    } catch (e) { say(W.offline); setTimeout(start, 2000); return; }
    shown = plan.state;
    document.title = plan.sessionName + " — " + W.taking_part;
    $("titel").textContent = plan.sessionName;
    $("aanmelden").addEventListener("submit", join);
    $("antwoorden").addEventListener("submit", answer);
    $("keuzes").addEventListener("change", limitPicks);
    render();
    listen();
    setInterval(flush, 2000);
    flush();
    document.body.dataset.ready = "1";
  }
  start();
})();
