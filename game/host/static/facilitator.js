// The facilitator's console behind the PIN: who is connected and who has decided,
// the timer and pause, late teams to the computer, seats, policies, events, notes,
// every team's dashboard and the leaderboard.
"use strict";

(() => {
  const { tr, api, el, toast, banner, clock, line } = Enclave;
  let token = localStorage.getItem("enclave.facilitator");
  let view = null;
  let socket = null;
  let pending = null;
  let noteDraft = "";

  async function start() {
    await Enclave.loadTexts();
    document.title = tr("host.fac.title");
    if (token && await refresh()) { connect(); return; }
    showLogin();
  }

  function showLogin(message) {
    document.getElementById("top").replaceChildren(el("h1", {}, tr("host.fac.title")), Enclave.langButton(() => showLogin(message)));
    const pin = el("input", { id: "pin", type: "password", inputmode: "numeric", autocomplete: "off", maxlength: "6", required: true });
    document.getElementById("main").replaceChildren(el("form", { class: "card join", onsubmit: async (ev) => {
      ev.preventDefault();
      const r = await api("POST", "/api/fac/login", null, { pin: pin.value });
      if (!r.ok) { showLogin(r.data.message); return; }
      token = r.data.token;
      localStorage.setItem("enclave.facilitator", token);
      if (await refresh()) connect();
    } }, message ? el("p", { class: "error", id: "login-error" }, message) : null,
    el("label", { for: "pin" }, tr("host.fac.pin")), pin, el("button", { type: "submit", class: "primary", id: "login" }, tr("host.fac.login"))));
  }

  function connect() {
    if (socket) socket.stop();
    socket = Enclave.live("facilitator", token, () => {
      if (pending) return;
      pending = setTimeout(async () => { pending = null; await refresh(); }, 30);
    }, (up, err) => {
      if (up) banner(null);
      else if (err) { localStorage.removeItem("enclave.facilitator"); token = null; showLogin(); }
      else banner(tr("host.error.offline"));
    });
  }

  async function refresh() {
    const r = await api("GET", "/api/fac/state", token);
    if (r.status === 401) { localStorage.removeItem("enclave.facilitator"); token = null; showLogin(); return false; }
    if (!r.ok) { banner(r.data.message); return false; }
    view = r.data;
    view.game.timer.fetched = Date.now();
    render();
    return true;
  }

  async function op(body) {
    const r = await api("POST", "/api/fac/do", token, body);
    if (!r.ok) { toast(r.data.message, true); return false; }
    await refresh();
    return true;
  }

  function render() {
    const g = view.game;
    document.getElementById("top").replaceChildren(
      el("h1", {}, tr("host.fac.title")),
      el("span", { class: "room", id: "room-code" }, tr("host.fac.room", { room: view.room })),
      g.started ? el("span", { class: "quarter", id: "quarter", "data-quarter": String(g.quarter) }, tr("host.quarter", { quarter: g.quarter, turns: g.turns })) : null,
      el("span", { class: "timer", id: "timer" }, clock(g.timer)),
      Enclave.langButton(render));
    const main = document.getElementById("main");
    const active = document.activeElement && document.activeElement.id === "note" ? document.getElementById("note").value : null;
    if (active !== null) noteDraft = active;
    main.replaceChildren(el("div", { class: "grid" }, joinCard(), sessionCard(), teamsCard(), g.started ? [dashCard(), boardCard(), policiesCard(), eventsCard(), notesCard()] : []));
  }

  function joinCard() {
    return el("section", { class: "card" }, el("h2", {}, tr("host.fac.join_at")),
      el("ul", { class: "plain" }, (view.join_urls || []).map((u) => el("li", {}, el("code", {}, u)))),
      el("img", { src: "/qr.svg", alt: "QR", class: "qr" }),
      el("p", {}, el("a", { href: "/projector", target: "_blank" }, tr("host.fac.projector"))));
  }

  function sessionCard() {
    const g = view.game;
    const minutes = el("input", { id: "minutes", type: "number", min: "0", max: "120", value: String(g.timer.minutes) });
    const strategy = el("select", { id: "strategy" }, view.strategies.map((s) => el("option", { value: s, selected: s === view.strategy }, tr("strategy." + s))));
    strategy.addEventListener("change", () => op({ op: "strategy", strategy: strategy.value }));
    return el("section", { class: "card" },
      !g.started ? el("button", { type: "button", class: "primary", id: "start", disabled: !view.teams.length, onclick: () => op({ op: "start" }) }, tr("host.fac.start")) : null,
      el("div", { class: "row" },
        el("button", { type: "button", id: g.timer.paused ? "resume" : "pause", onclick: () => op({ op: g.timer.paused ? "resume" : "pause" }) }, g.timer.paused ? tr("host.fac.resume") : tr("host.fac.pause")),
        el("button", { type: "button", id: "add-minute", onclick: async () => { if (await op({ op: "add_minute" })) toast(tr("host.fac.minute_added")); } }, tr("host.fac.add_minute"))),
      el("div", { class: "row" }, el("label", { for: "minutes" }, tr("host.fac.timer")), minutes,
        el("button", { type: "button", id: "set-timer", onclick: async () => {
          // As the window's console says it: how long each quarter now lasts, or that the clock is off.
          const m = Math.round(Number(minutes.value));
          if (await op({ op: "timer", minutes: m })) toast(m > 0 ? tr("host.fac.timer_changed", { minutes: m }) : tr("host.fac.timer_stopped"));
        } }, tr("host.fac.set_timer"))),
      g.started && !g.finished ? [el("label", { for: "strategy" }, tr("host.fac.strategy")), strategy,
        el("button", { type: "button", class: "primary", id: "close-quarter", disabled: !g.waiting, onclick: () => op({ op: "computer", strategy: strategy.value }) }, tr("host.fac.close", { strategy: tr("strategy." + strategy.value) }))] : null,
      g.started ? el("p", {}, tr("host.stage", { stage: g.stage, share: g.local_share })) : null,
      g.finished ? el("p", { class: "good" }, tr("host.game_over")) : null);
  }

  function teamsCard() {
    const g = view.game;
    return el("section", { class: "card" }, el("h2", {}, tr("host.teams")), el("table", { class: "table", id: "seats" },
      el("tbody", {}, view.teams.map((t) => el("tr", { "data-seat": t.seat },
        el("td", {}, el("span", { class: "swatch", colour: t.colour }), " ", t.name),
        el("td", { class: t.connected ? "good" : "muted" }, !t.claimed ? tr("host.fac.free_seat") : (t.connected ? tr("host.fac.connected") : tr("host.fac.offline"))),
        el("td", {}, t.alive === false ? tr("host.bankrupt") : (t.decided === undefined ? "" : (t.decided ? tr("host.decided") : tr("host.deciding")))),
        el("td", {}, g.started && !g.finished && t.alive && !t.decided ? el("button", { type: "button", class: "hand", onclick: () => op({ op: "computer", seats: [t.seat], strategy: view.strategy }) }, tr("host.fac.hand")) : null,
          t.claimed ? el("button", { type: "button", class: "kick", onclick: () => { if (window.confirm(tr("host.fac.kick_confirm", { team: t.name }))) op({ op: "kick", seat: t.seat }); } }, tr("host.fac.kick")) : null))))));
  }

  function dashCard() {
    const cols = [["host.firm.cash", "cash"], ["host.firm.debt", "debt"], ["host.firm.receivables", "receivables"], ["host.firm.tier", "tier"], ["host.fac.contracts", "contracts"], ["host.fac.mean_capability", "mean_capability"], ["host.firm.points", "action_points"], ["host.firm.consortium", "consortium"]];
    return el("section", { class: "card wide" }, el("h2", {}, tr("host.fac.dashboards")), el("div", { class: "scroll" }, el("table", { class: "table", id: "dashboards" },
      el("thead", {}, el("tr", {}, el("th", {}, ""), cols.map(([k]) => el("th", {}, tr(k))))),
      el("tbody", {}, view.dashboards.map((d) => el("tr", {}, el("td", {}, el("span", { class: "swatch", colour: view.teams[d.seat].colour }), " ", d.name, d.decided ? " ✓" : ""),
        cols.map(([, key]) => el("td", {}, d[key] === null ? "—" : String(d[key])))))))));
  }

  function boardCard() {
    return el("section", { class: "card" }, el("h2", {}, tr("host.fac.leaderboard")), el("ol", { id: "leaderboard" }, view.leaderboard.map((r) => el("li", {},
      el("span", { class: "swatch", colour: r.colour }), " ", r.name, " · ", String(r.score), " · ", r.best_tier))));
  }

  function policiesCard() {
    return el("section", { class: "card" }, el("h2", {}, tr("host.fac.policies")), el("ul", { class: "plain", id: "fac-policies" }, view.policies.map((p) => {
      const now = p.pending === null || p.pending === undefined ? p.active : p.pending;
      return el("li", { "data-policy": p.id }, el("strong", {}, p.name), " · ", p.active ? tr("host.policy.on") : tr("host.policy.off"),
        p.pending === true ? " (" + tr("host.policy.pending_on") + ")" : "", p.pending === false ? " (" + tr("host.policy.pending_off") + ")" : "", " ",
        el("button", { type: "button", class: "switch", onclick: () => op({ op: "policy", policy: p.id, on: !now }) }, now ? tr("host.fac.switch_off") : tr("host.fac.switch_on")));
    })));
  }

  function eventsCard() {
    return el("section", { class: "card" }, el("h2", {}, tr("host.fac.events")), el("ul", { class: "plain", id: "fac-events" }, view.events.map((e) => el("li", { "data-event": e.id },
      e.name, e.fired ? " · " + tr("host.fac.fired") : "", e.pending ? " · " + tr("host.fac.pending") : "", " ",
      e.pending ? null : el("button", { type: "button", class: "inject", onclick: () => op({ op: "inject", event: e.id }) }, tr("host.fac.inject"))))),
    view.news.length ? el("ul", { class: "lines" }, view.news.map(line)) : null);
  }

  function notesCard() {
    const note = el("textarea", { id: "note", maxlength: "500", rows: "3" });
    note.value = noteDraft;
    note.addEventListener("input", () => { noteDraft = note.value; });
    return el("section", { class: "card" }, el("h2", {}, tr("host.fac.note")), note,
      el("button", { type: "button", id: "save-note", onclick: async () => { if (await op({ op: "note", text: note.value })) { noteDraft = ""; render(); } } }, tr("host.fac.save_note")),
      el("h3", {}, tr("host.fac.notes")), el("ul", { class: "plain" }, view.notes.map((n) => el("li", {}, n))),
      el("h3", {}, tr("host.fac.cluster")), el("dl", { class: "figures" }, view.cluster.map(([k, v]) => [el("dt", {}, k), el("dd", {}, String(v))])));
  }

  setInterval(() => { const t = document.getElementById("timer"); if (t && view) t.textContent = clock(view.game.timer); }, 1000);
  start();
})();
