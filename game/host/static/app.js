// Shared helpers for the host's pages: texts, requests, the websocket, small DOM builders.
// Served by the host itself (no CDN, no framework); the host is the only authority.
"use strict";

const Enclave = (() => {
  let T = {};
  let COUNT_PARAMS = [];
  let lang = localStorage.getItem("enclave.lang") || document.documentElement.lang || "es";

  // The template for a key and its params, as game/text.plural_key picks it: K.zero for exactly
  // 0 when written, then the count's CLDR category (K.one, K.many...), then K.other, then K.
  function template(key, params) {
    const name = COUNT_PARAMS.find((p) => params && typeof params[p] === "number");
    if (name === undefined) return T[key] !== undefined ? T[key] : T[key + ".other"];
    const n = params[name];
    if (n === 0 && T[key + ".zero"] !== undefined) return T[key + ".zero"];
    const form = T[key + "." + new Intl.PluralRules(lang).select(Math.abs(n))];
    if (form !== undefined) return form;
    return T[key + ".other"] !== undefined ? T[key + ".other"] : T[key];
  }

  function tr(key, params) {
    let s = template(key, params);
    if (s === undefined) return key;
    for (const [k, v] of Object.entries(params || {})) s = s.split("{" + k + "}").join(String(v));
    return s;
  }

  async function loadTexts() {
    const r = await fetch("/api/texts?lang=" + lang);
    const data = await r.json();
    T = data.texts;
    COUNT_PARAMS = data.count_params;
    document.documentElement.lang = lang;
  }

  function setLang(l) { lang = l; localStorage.setItem("enclave.lang", l); }
  function getLang() { return lang; }

  async function api(method, path, token, body) {
    const headers = {};
    if (token) headers["Authorization"] = "Bearer " + token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const sep = path.includes("?") ? "&" : "?";
    let r;
    try {
      r = await fetch(path + sep + "lang=" + lang, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      return { ok: false, status: 0, data: { error: "host.error.offline", message: tr("host.error.offline") } };
    }
    let data = {};
    try { data = await r.json(); } catch (e) { data = {}; }
    return { ok: r.ok, status: r.status, data };
  }

  // A websocket that says hello with its role and token, reconnects with back-off,
  // and calls onUpdate for every change the host announces.
  function live(role, token, onUpdate, onState) {
    let delay = 500;
    let ws = null;
    let closedForGood = false;
    function open() {
      const proto = location.protocol === "https:" ? "wss://" : "ws://";
      ws = new WebSocket(proto + location.host + "/ws");
      ws.onopen = () => { ws.send(JSON.stringify({ role, token })); };
      ws.onmessage = (ev) => {
        if (ev.data === "pong") return;
        const msg = JSON.parse(ev.data);
        if (msg.type === "hello") { delay = 500; onState(true); onUpdate(msg); }
        else if (msg.type === "update") onUpdate(msg);
        else if (msg.type === "error") { closedForGood = true; onState(false, msg); }
      };
      ws.onclose = (ev) => {
        if (ev.code === 4401) closedForGood = true;
        onState(false, closedForGood ? { error: "host.error.no_seat" } : null);
        if (!closedForGood) setTimeout(open, delay);
        delay = Math.min(delay * 2, 5000);
      };
    }
    open();
    setInterval(() => { if (ws && ws.readyState === 1) ws.send("ping"); }, 20000);
    return { stop() { closedForGood = true; if (ws) ws.close(); } };
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (k === "colour") e.style.setProperty("--team", v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function toast(message, bad) {
    const t = document.getElementById("toast");
    t.textContent = message;
    t.className = "toast " + (bad ? "bad" : "good");
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { t.className = "toast hidden"; }, 5000);
  }

  function banner(message) {
    const b = document.getElementById("banner");
    if (message) { b.textContent = message; b.className = "banner"; } else { b.className = "banner hidden"; }
  }

  function clock(timer) {
    if (!timer || !timer.minutes) return "";
    if (timer.paused) return tr("host.timer.paused");
    if (timer.seconds_left === null) return tr("host.timer.left", { time: timer.minutes + ":00" });
    const left = Math.max(0, timer.seconds_left - (Date.now() - timer.fetched) / 1000);
    if (left <= 0) return tr("host.timer.up");
    const s = Math.ceil(left);
    return tr("host.timer.left", { time: Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0") });
  }

  function langButton(onChange) {
    return el("button", { class: "lang", type: "button", onclick: async () => { setLang(lang === "es" ? "en" : "es"); await loadTexts(); onChange(); } }, tr("host.lang"));
  }

  function swatch(colour, label) {
    return el("span", { class: "swatch", colour, title: label || "" });
  }

  function line(l) {
    return el("li", { class: "tone-" + (l.tone || "info") + (l.family ? " family-" + l.family : "") + (l.lever ? " lever-" + l.lever : "") }, l.text);
  }

  return { tr, loadTexts, setLang, getLang, api, live, el, toast, banner, clock, langButton, swatch, line };
})();
