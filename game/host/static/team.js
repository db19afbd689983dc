// A team's page: join with the room code, then the quarter, decisions, calls,
// cooperation, the private report and the cluster. The seat token lives in
// localStorage, so a refresh, a closed tab or a dropped Wi-Fi rejoins the same seat.
"use strict";

(() => {
  const { tr, api, el, toast, banner, clock, line } = Enclave;
  const params = new URLSearchParams(location.search);
  let room = (params.get("room") || localStorage.getItem("enclave.room") || "").toUpperCase();
  const tokenKey = () => "enclave.seat." + room;
  let token = null;
  let view = null;
  let tab = localStorage.getItem("enclave.tab") || "quarter";
  let socket = null;
  let pendingFetch = null;
  let lastQuarter = null;
  let confirmEnd = false;

  // A link from a team-mate's device: #room=CODE&token=... (read, stored, then removed from the address).
  if (location.hash.length > 1) {
    const h = new URLSearchParams(location.hash.slice(1));
    if (h.get("room") && h.get("token")) {
      room = h.get("room").toUpperCase();
      localStorage.setItem("enclave.room", room);
      localStorage.setItem(tokenKey(), h.get("token"));
    }
    history.replaceState(null, "", location.pathname + (room ? "?room=" + room : ""));
  }
  token = room ? localStorage.getItem(tokenKey()) : null;

  async function start() {
    await Enclave.loadTexts();
    document.title = tr("host.title");
    if (token) {
      const ok = await refresh();
      if (ok) { connect(); return; }
    }
    showJoin();
  }

  function connect() {
    if (socket) socket.stop();
    socket = Enclave.live("team", token, () => scheduleRefresh(), (up, err) => {
      if (up) banner(null);
      else if (err && err.error === "host.error.no_seat") { forget(); showJoin(tr("host.error.no_seat")); }
      else banner(tr("host.error.offline"));
    });
  }

  function forget() {
    localStorage.removeItem(tokenKey());
    token = null;
    view = null;
    if (socket) { socket.stop(); socket = null; }
  }

  function scheduleRefresh() {
    if (pendingFetch) return;
    pendingFetch = setTimeout(async () => { pendingFetch = null; await refresh(); }, 30);
  }

  async function refresh() {
    const r = await api("GET", "/api/team/state", token);
    if (r.status === 401) { forget(); showJoin(r.data.message); return false; }
    if (!r.ok) { banner(r.data.message || tr("host.error.offline")); return false; }
    const same = view && JSON.stringify({ ...r.data, game: { ...r.data.game, version: 0, timer: 0 } }) === JSON.stringify({ ...view, game: { ...view.game, version: 0, timer: 0 } });
    const timerChanged = !view || JSON.stringify(view.game.timer.minutes) !== JSON.stringify(r.data.game.timer.minutes) || view.game.timer.paused !== r.data.game.timer.paused;
    view = r.data;
    view.game.timer.fetched = Date.now();
    if (same && !timerChanged) return true;  // another team's move: keep what is being typed here
    if (lastQuarter !== null && view.game.quarter > lastQuarter) {
      toast(tr("host.resolved", { quarter: lastQuarter }));
      tab = "report";
    }
    lastQuarter = view.game.quarter || null;
    render();
    return true;
  }

  // -- joining --------------------------------------------------------------------

  async function showJoin(message) {
    const main = document.getElementById("main");
    document.getElementById("top").replaceChildren(el("h1", {}, tr("host.join.title")), Enclave.langButton(() => showJoin(message)));
    let info = null;
    if (room) {
      const r = await api("GET", "/api/info?room=" + encodeURIComponent(room));
      if (r.ok) info = r.data;
    }
    let colour = null;
    const taken = new Set((info ? info.teams : []).map((t) => t.colour));
    const colours = info ? info.colours : ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"];
    const roomInput = el("input", { id: "room", name: "room", autocomplete: "off", autocapitalize: "characters", maxlength: "8", value: room, required: true });
    const nameInput = el("input", { id: "team-name", name: "name", maxlength: "40", required: true });
    const swatches = el("div", { class: "swatches", role: "radiogroup" },
      colours.map((c, k) => el("button", {
        type: "button", class: "swatch-button", colour: c, "data-colour": k, disabled: taken.has(c), "aria-label": String(k + 1),
        onclick: (ev) => { colour = k; for (const b of swatches.children) b.classList.toggle("chosen", b === ev.currentTarget); },
      })));
    const started = info && info.game.started;
    const seatButtons = started ? el("div", { class: "seats" }, info.free_seats.map((k) => el("button", {
      type: "button", class: "seat", colour: info.teams[k].colour, onclick: () => doJoin({ seat: k }),
    }, info.teams[k].name))) : null;
    const form = el("form", { class: "card join", onsubmit: (ev) => { ev.preventDefault(); doJoin({ name: nameInput.value, colour }); } },
      message ? el("p", { class: "error" }, message) : null,
      el("label", { for: "room" }, tr("host.join.room")), roomInput,
      started ? [el("p", {}, tr("host.join.seat")), seatButtons] : [
        el("label", { for: "team-name" }, tr("host.join.name")), nameInput,
        el("p", { class: "muted" }, tr("host.join.hint")),
        el("label", {}, tr("host.join.colour")), swatches,
        el("button", { type: "submit", class: "primary", id: "join" }, tr("host.join.button")),
      ]);
    roomInput.addEventListener("change", () => { room = roomInput.value.trim().toUpperCase(); showJoin(); });
    main.replaceChildren(form);

    async function doJoin(extra) {
      room = roomInput.value.trim().toUpperCase();
      const body = { room, ...extra };
      if (body.colour === null) delete body.colour;
      const r = await api("POST", "/api/join", null, body);
      if (!r.ok) { toast(r.data.message, true); return; }
      localStorage.setItem("enclave.room", room);
      localStorage.setItem(tokenKey(), r.data.token);
      token = r.data.token;
      history.replaceState(null, "", location.pathname + "?room=" + room);
      if (await refresh()) connect();
    }
  }

  // -- acting -----------------------------------------------------------------------

  async function act(action, label) {
    const r = await api("POST", "/api/team/act", token, { action });
    if (!r.ok) { toast(r.data.message, true); return false; }
    toast(tr("host.done_action", { label }));
    await refresh();
    return true;
  }

  async function endTurn() {
    const r = await api("POST", "/api/team/end", token, {});
    confirmEnd = false;
    if (!r.ok) toast(r.data.message, true);
    await refresh();
  }

  // -- rendering ---------------------------------------------------------------------

  function header() {
    const g = view.game;
    const me = view.me;
    const top = document.getElementById("top");
    const timer = el("span", { class: "timer", id: "timer" }, clock(g.timer));
    top.replaceChildren(
      el("div", { class: "team-badge", colour: me.colour }, el("span", { class: "swatch", colour: me.colour }), el("strong", { id: "me" }, me.name)),
      g.started ? el("span", { class: "quarter", id: "quarter", "data-quarter": String(g.quarter) }, tr("host.quarter", { quarter: g.quarter, turns: g.turns })) : null,
      timer,
      Enclave.langButton(render),
    );
  }

  function render() {
    if (!view) return;
    header();
    const main = document.getElementById("main");
    const g = view.game;
    if (!g.started) {
      main.replaceChildren(el("section", { class: "card" }, el("p", { id: "waiting" }, tr("host.join.waiting")), teamsList()), deviceLink());
      return;
    }
    banner(g.timer.paused ? tr("host.paused") : null);
    if (g.finished) {
      main.replaceChildren(el("section", { class: "card" }, el("h2", {}, tr("host.outcome")), el("ul", { class: "plain" }, view.outcome.lines.map((l) => el("li", {}, l)))), reportCard());
      return;
    }
    const tabs = [["quarter", tr("host.tab.quarter")], ["decisions", tr("host.tab.decisions")], ["calls", tr("host.tab.calls")], ["cooperation", tr("host.tab.cooperation")], ["report", tr("host.tab.report")], ["cluster", tr("host.tab.cluster")]];
    const nav = el("nav", { class: "tabs", role: "tablist" }, tabs.map(([id, label]) => el("button", {
      type: "button", role: "tab", id: "tab-" + id, "aria-selected": String(tab === id), class: tab === id ? "active" : "",
      onclick: () => { tab = id; localStorage.setItem("enclave.tab", tab); render(); },
    }, label)));
    const body = { quarter: quarterTab, decisions: decisionsTab, calls: callsTab, cooperation: coopTab, report: () => reportCard(), cluster: clusterTab }[tab] || quarterTab;
    main.replaceChildren(nav, endBar(), body());
  }

  function endBar() {
    const me = view.me;
    if (!me.alive) return el("p", { class: "card bad" }, tr("host.error.bankrupt"));
    if (me.done) {
      const waiting = view.teams.filter((t) => !t.decided).map((t) => t.name).join(", ");
      return el("p", { class: "card ended", id: "ended" }, tr("host.ended", { teams: waiting || "…" }));
    }
    if (confirmEnd) {
      return el("div", { class: "card endbar" }, el("p", {}, tr("host.end_confirm")),
        el("button", { type: "button", class: "primary", id: "end-confirm", onclick: endTurn }, tr("host.end_turn")),
        el("button", { type: "button", onclick: () => { confirmEnd = false; render(); } }, "✕"));
    }
    return el("div", { class: "endbar" }, el("span", { class: "points" }, tr("host.firm.points") + ": " + view.firm.action_points),
      el("button", { type: "button", class: "primary", id: "end-turn", onclick: () => { confirmEnd = true; render(); } }, tr("host.end_turn")));
  }

  function figures() {
    const f = view.firm;
    const rows = [
      ["host.firm.cash", f.cash], ["host.firm.debt", f.debt], ["host.firm.receivables", f.receivables],
      ["host.firm.employees", f.employees], ["host.firm.capacity", f.capacity + " (" + f.free_capacity + ")"],
      ["host.firm.tier", f.tier + " (" + f.best_tier + ")"], ["host.firm.points", f.action_points],
      ["host.firm.consortium", f.consortium || tr("host.none")],
      ["host.firm.certifications", f.certifications.join(", ") || tr("host.none")],
      ["host.firm.certifying", f.certifying.join(", ") || tr("host.none")],
    ];
    return el("section", { class: "card", id: "figures" }, el("h2", {}, f.name),
      el("dl", { class: "figures" }, rows.map(([k, v]) => [el("dt", {}, tr(k)), el("dd", {}, v)])),
      el("div", { class: "bars" }, f.capabilities.map(([label, text, value]) => el("div", { class: "bar" },
        el("span", {}, label), el("meter", { min: "0", max: "1", value: String(value) }), el("span", {}, text)))));
  }

  function quarterTab() {
    const contracts = view.contracts.length
      ? el("ul", { class: "plain" }, view.contracts.map((c) => el("li", {}, tr("host.contract_line", c))))
      : el("p", { class: "muted" }, tr("host.none"));
    const news = view.news.length ? el("ul", { class: "lines" }, view.news.map(line)) : el("p", { class: "muted" }, tr("host.no_news"));
    return el("div", { class: "grid" }, figures(),
      el("section", { class: "card" }, el("h2", {}, tr("host.contracts")), contracts, el("h2", {}, tr("host.news")), news,
        el("p", { class: "muted" }, tr("host.stage", { stage: view.game.stage, share: view.game.local_share }))),
      el("section", { class: "card" }, el("h2", {}, tr("host.teams")), teamsList()));
  }

  function teamsList() {
    return el("ul", { class: "teams" }, view.teams.map((t) => el("li", { colour: t.colour },
      el("span", { class: "swatch", colour: t.colour }), el("strong", {}, t.name),
      t.tier ? " · " + t.tier : "", t.consortium ? " · " + t.consortium : "",
      t.alive === false ? " · " + tr("host.bankrupt") : (t.decided !== undefined ? " · " + (t.decided ? tr("host.decided") : tr("host.deciding")) : ""))));
  }

  // One decision: its parameters, its cost now and the core's refusal, asked again at every change.
  function decisionCard(d, fixed) {
    const values = {};
    const inputs = [];
    const status = el("p", { class: "status" });
    const button = el("button", { type: "button", class: "primary", "data-kind": d.kind }, d.kind === "bid" ? tr("host.calls.bid") : tr("host.decide"));
    function show(p) {
      status.replaceChildren(...[el("span", { class: "cost" }, tr("host.cost", { cost: p.cost_text || p.cost, points: p.points })),
        p.later_text ? el("span", { class: "muted" }, " · " + tr("host.cost_later", { cost: p.later_text })) : null,
        p.subsidy_text ? el("span", { class: "good" }, " · " + tr("host.cost_subsidy", { cost: p.subsidy_text })) : null,
        p.ok ? null : el("span", { class: "refusal" }, tr("host.refused_before", { reason: p.refusal }))].filter(Boolean));
      button.disabled = !p.ok;
    }
    async function check() {
      const r = await api("POST", "/api/team/preview", token, { action: { type: d.kind, ...values } });
      if (!r.ok) { show({ ok: false, refusal: r.data.message, cost: 0, points: d.points }); return; }
      show(r.data);
    }
    for (const p of d.params) {
      values[p.name] = fixed && fixed[p.name] !== undefined ? fixed[p.name] : p.default;
      if (fixed && fixed[p.name] !== undefined) continue;
      const id = "p-" + d.kind + "-" + p.name + (fixed ? "-" + Object.values(fixed).join("-") : "");
      let input;
      if (p.kind === "select") {
        input = el("select", { id }, p.choices.map(([v, label]) => el("option", { value: JSON.stringify(v), selected: JSON.stringify(v) === JSON.stringify(values[p.name]) }, label)));
        input.addEventListener("change", () => { values[p.name] = JSON.parse(input.value); check(); });
      } else if (p.kind === "number") {
        input = el("input", { id, type: "number", inputmode: "numeric", min: String(p.min), step: String(p.step), value: String(values[p.name]) });
        input.addEventListener("change", () => { values[p.name] = Math.round(Number(input.value)); check(); });
      } else if (p.kind === "bool") {
        input = el("input", { id, type: "checkbox", checked: !!values[p.name] });
        input.addEventListener("change", () => { values[p.name] = input.checked; check(); });
      } else {
        input = el("input", { id, type: "text", maxlength: String(p.max || 60), value: values[p.name] || "" });
        input.addEventListener("change", () => { values[p.name] = input.value; check(); });
      }
      inputs.push(el("label", { for: id }, p.label), input);
    }
    button.addEventListener("click", async () => { button.disabled = true; await act({ type: d.kind, ...values }, d.label); });
    show(d);
    if (fixed) check();
    return el("section", { class: "card decision", "data-kind": d.kind }, fixed ? null : el("h3", {}, d.label), fixed ? null : el("p", { class: "muted" }, d.desc), el("div", { class: "params" }, inputs), status, button);
  }

  function decisionsTab() {
    const skip = new Set(["bid", "decline_invitation", "accept_subcontract"]);
    return el("div", { class: "grid decisions" }, view.decisions.filter((d) => !skip.has(d.kind)).map((d) => decisionCard(d)));
  }

  function callsTab() {
    const bid = view.decisions.find((d) => d.kind === "bid");
    if (!view.calls.length) return el("p", { class: "card muted" }, tr("host.calls.none"));
    return el("div", { class: "grid" }, view.calls.map((c) => el("section", { class: "card call", "data-call": c.id },
      el("h3", {}, c.title, " · ", c.tier),
      el("p", {}, tr("host.calls.target", { price: c.target_text, volume: c.volume, quarters: c.quarters, days: c.payment_days })),
      el("h4", {}, tr("host.calls.requirements")), el("ul", { class: "plain" }, c.requirements.map((r) => el("li", {}, r))),
      c.unmet.length ? [el("h4", { class: "bad" }, tr("host.calls.unmet")), el("ul", { class: "plain bad" }, c.unmet.map((u) => el("li", {}, u)))] : el("p", { class: "good" }, tr("host.calls.eligible")),
      c.my_bid ? el("p", { class: "good" }, tr("host.calls.my_bid", { price: c.my_bid })) : null,
      bid && !view.me.done ? decisionCard({ ...bid, params: bid.params.map((p) => p.name === "price" ? { ...p, default: Math.round(c.target_price * 0.95) } : p) }, { rfq: c.id }) : null)));
  }

  function coopTab() {
    const byKind = Object.fromEntries(view.decisions.map((d) => [d.kind, d]));
    const inv = view.invitations.length ? el("ul", { class: "plain" }, view.invitations.map((i) => el("li", {}, i.name, " ",
      el("button", { type: "button", onclick: () => act({ type: "join_consortium", consortium: i.consortium }, tr("host.coop.join")) }, tr("host.coop.join")), " ",
      el("button", { type: "button", onclick: () => act({ type: "decline_invitation", consortium: i.consortium }, tr("host.coop.decline")) }, tr("host.coop.decline")))))
      : el("p", { class: "muted" }, tr("host.coop.none"));
    const offers = view.offers.length ? el("ul", { class: "plain" }, view.offers.map((o) => el("li", {}, tr("host.offer_line", { contract: o.contract, by: o.from, share: o.share, price: o.price }), " ",
      el("button", { type: "button", onclick: () => act({ type: "accept_subcontract", contract: o.contract }, tr("host.coop.accept")) }, tr("host.coop.accept")))))
      : el("p", { class: "muted" }, tr("host.coop.none"));
    const cards = ["found_consortium", "invite_to_consortium", "join_consortium", "leave_consortium", "offer_subcontract"].filter((k) => byKind[k]).map((k) => decisionCard(byKind[k]));
    return el("div", { class: "grid" },
      el("section", { class: "card", id: "invitations" }, el("h2", {}, tr("host.coop.invitations")), inv),
      el("section", { class: "card" }, el("h2", {}, tr("host.coop.offers")), offers), cards);
  }

  function reportCard() {
    const r = view.report;
    if (!r) return el("section", { class: "card", id: "report" }, el("p", { class: "muted" }, tr("host.report.none")));
    return el("section", { class: "card", id: "report" }, el("h2", {}, tr("host.report.title", { quarter: r.quarter })),
      el("p", { class: "muted" }, tr("host.report.legend")),
      el("ul", { class: "lines" }, r.lines.map(line)),
      el("ul", { class: "plain small" }, r.figures.map((f) => el("li", {}, f))));
  }

  function clusterTab() {
    return el("div", { class: "grid" },
      el("section", { class: "card" }, el("h2", {}, tr("host.policies")), el("ul", { class: "plain", id: "policies" }, view.policies.map((p) => el("li", { "data-policy": p.id, class: p.active ? "on" : "off" },
        el("strong", {}, p.name), " · ", p.level, " · ", p.active ? tr("host.policy.on") : tr("host.policy.off"),
        p.pending === true ? " · " + tr("host.policy.pending_on") : "", p.pending === false ? " · " + tr("host.policy.pending_off") : "")))),
      el("section", { class: "card" }, el("h2", {}, tr("host.teams")), teamsList(), el("p", {}, tr("host.stage", { stage: view.game.stage, share: view.game.local_share }))),
      deviceLink());
  }

  function deviceLink() {
    const out = el("section", { class: "card" });
    const button = el("button", { type: "button", onclick: async () => {
      const r = await api("POST", "/api/team/device", token, {});
      if (!r.ok) { toast(r.data.message, true); return; }
      const link = location.origin + "/#room=" + room + "&token=" + r.data.token;
      out.replaceChildren(el("p", {}, tr("host.join.another_device")), el("input", { type: "text", readonly: true, value: link, class: "link" }));
    } }, tr("host.join.another_device"));
    out.append(button);
    return out;
  }

  setInterval(() => { const t = document.getElementById("timer"); if (t && view) t.textContent = clock(view.game.timer); }, 1000);
  start();
})();
