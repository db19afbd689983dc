// The page to project: public facts only (leaderboard, the chain map, stage, timer, events).
"use strict";

(() => {
  const { tr, api, el, banner, clock, line } = Enclave;
  let view = null;
  let pending = null;

  async function refresh() {
    const r = await api("GET", "/api/projector/state");
    if (!r.ok) return;
    view = r.data;
    view.game.timer.fetched = Date.now();
    render();
  }

  function render() {
    const g = view.game;
    document.getElementById("top").replaceChildren(el("h1", {}, g.level),
      g.started ? el("span", { class: "quarter" }, tr("host.quarter", { quarter: g.quarter, turns: g.turns })) : null,
      el("span", { class: "timer", id: "timer" }, clock(g.timer)), Enclave.langButton(render));
    const main = document.getElementById("main");
    if (!g.started) {
      main.replaceChildren(el("section", { class: "card" }, el("img", { src: "/qr.svg", alt: "QR", class: "qr big" }),
        el("ul", { class: "teams" }, view.teams.map((t) => el("li", {}, el("span", { class: "swatch", colour: t.colour }), " ", t.name)))));
      return;
    }
    main.replaceChildren(el("div", { class: "grid" },
      el("section", { class: "card" }, el("h2", {}, tr("host.stage", { stage: g.stage, share: g.local_share })),
        g.finished ? el("p", {}, tr("host.game_over")) : el("p", {}, tr("host.proj.waiting", { n: g.waiting }))),
      el("section", { class: "card" }, el("h2", {}, tr("host.fac.leaderboard")), el("ol", { id: "leaderboard" }, view.leaderboard.map((r) => el("li", {},
        el("span", { class: "swatch", colour: r.colour }), " ", r.name, " · ", String(r.score), " · ", r.best_tier)))),
      el("section", { class: "card" }, el("h2", {}, tr("host.proj.map")), el("div", { class: "map" }, view.map.map((row) => el("div", { class: "tier-row" },
        el("span", { class: "tier-name" }, row.tier), row.teams.map((k) => el("span", { class: "dot", colour: view.teams[k].colour, title: view.teams[k].name }, view.teams[k].name)))))),
      el("section", { class: "card" }, el("h2", {}, tr("host.proj.events")), view.news.length ? el("ul", { class: "lines" }, view.news.map(line)) : el("p", { class: "muted" }, tr("host.no_news")))));
  }

  (async () => {
    await Enclave.loadTexts();
    document.title = tr("host.proj.title");
    await refresh();
    Enclave.live("projector", null, () => {
      if (pending) return;
      pending = setTimeout(async () => { pending = null; await refresh(); }, 50);
    }, (up) => banner(up ? null : tr("host.error.offline")));
    setInterval(() => { const t = document.getElementById("timer"); if (t && view) t.textContent = clock(view.game.timer); }, 1000);
  })();
})();
