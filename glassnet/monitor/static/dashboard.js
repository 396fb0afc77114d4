// glassnet monitor: the dashboard page's script (no library, no CDN).
//
// Every POLL_MS it asks /api/runs for the runs table, and for each ticked run only the
// metric rows after the last step it already has (/api/runs/<id>/metrics?after=<step>),
// then redraws one SVG chart per metric: one line per run, validation metrics dashed on
// the same chart as their training metric. Every name (run, metric, hyperparameter) is
// put on the page with textContent or as an SVG text node's data, never as HTML.
"use strict";

const POLL_MS = 1000;
const COLORS = ["#2f7fd1", "#e5553b", "#2c9a55", "#8e5bd0", "#d48a0c", "#17a2b8", "#c2417f", "#6b7c14"];
const SVG = "http://www.w3.org/2000/svg";
const token = new URLSearchParams(location.search).get("token");

const state = {
  runs: [], level: "epoch", selected: new Set(), focus: null, touched: false,
  series: {},            // run id -> level -> rows
  colors: {},            // run id -> color
  details: null, detailsKey: null,
};

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = String(text);
  return node;
}

async function api(path) {
  const headers = token ? { Authorization: "Bearer " + token } : {};
  const response = await fetch(path, { headers, cache: "no-store" });
  if (!response.ok) throw new Error(path + ": HTTP " + response.status);
  return response.json();
}

function colorOf(id) {
  if (!(id in state.colors)) state.colors[id] = COLORS[Object.keys(state.colors).length % COLORS.length];
  return state.colors[id];
}

function fmtTime(seconds) {
  if (seconds === null || seconds === undefined) return "";
  const date = new Date(seconds * 1000);
  if (date.toDateString() === new Date().toDateString()) return date.toLocaleTimeString([], { hour12: false });
  return date.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false });
}

function fmtDuration(run) {
  const end = run.ended || (run.status === "running" ? Date.now() / 1000 : run.heartbeat);
  const s = Math.max(0, Math.round(end - run.started));
  return s >= 3600 ? Math.floor(s / 3600) + "h " + Math.floor(s / 60) % 60 + "m" : Math.floor(s / 60) + "m " + s % 60 + "s";
}

function fmtNumber(v) {
  if (v === null) return "NaN";   // JSON has no NaN: the store keeps non-finite values as null
  if (typeof v !== "number") return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

// --- the runs table -------------------------------------------------------------------
function renderRuns() {
  const body = document.querySelector("#runs tbody");
  body.replaceChildren();
  if (state.runs.length === 0) {
    const row = el("tr");
    row.append(el("td", { colspan: "6", class: "empty" }, "No runs yet: add glassnet.monitor.Monitor() to fit's callbacks."));
    body.append(row);
  }
  for (const run of state.runs) {
    const row = el("tr", { "data-run": run.id, class: run.id === state.focus ? "focus" : "" });
    const box = el("input", { type: "checkbox", "aria-label": "compare" });
    box.checked = state.selected.has(run.id);
    box.addEventListener("change", () => {
      state.touched = true;
      if (box.checked) state.selected.add(run.id); else state.selected.delete(run.id);
      renderCharts();
    });
    const tick = el("td");
    tick.append(box);
    const name = el("td", { class: "name", title: run.id }, run.name);
    name.style.borderLeft = "4px solid " + (state.selected.has(run.id) ? colorOf(run.id) : "transparent");
    name.addEventListener("click", () => { state.focus = run.id; state.detailsKey = null; renderRuns(); poll(); });
    const status = el("td");
    status.append(el("span", { class: "status status-" + run.status.replace(/ /g, "-") }, run.status));
    const final = run.final_metrics || {};
    const shown = ["loss", "val_loss"].filter(k => k in final).map(k => k + " " + fmtNumber(final[k])).join(", ");
    row.append(tick, name, status, el("td", { class: "num" }, fmtTime(run.started)), el("td", { class: "num" }, fmtDuration(run)),
               el("td", {}, shown));
    body.append(row);
  }
}

// --- charts ---------------------------------------------------------------------------
function niceTicks(lo, hi, count, integer) {
  if (!(hi > lo)) { hi = lo + 1; lo = lo - 1; }
  const raw = (hi - lo) / count, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= raw);
  if (integer) step = Math.max(1, Math.round(step));   // epochs and batches are whole numbers
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function xOf(row, level, run) {
  if (level === "epoch") return row.epoch + 1;
  if (level === "batch") return row.step;
  return row.time - run.started;
}

function chart(metric, lines, level) {
  const W = 460, H = 250, L = 52, R = 12, T = 10, B = 34;
  let xs = [], ys = [];
  for (const line of lines) for (const [x, y] of line.points) { xs.push(x); ys.push(y); }
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)], [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const xt = niceTicks(x0, x1 > x0 ? x1 : x0 + 1, 6, level !== "system"), yt = niceTicks(y0, y1, 6, false);
  const [xa, xb, ya, yb] = [Math.min(x0, xt[0]), Math.max(x1, xt[xt.length - 1]), Math.min(y0, yt[0]), Math.max(y1, yt[yt.length - 1])];
  const sx = x => L + (x - xa) / ((xb - xa) || 1) * (W - L - R), sy = y => H - B - (y - ya) / ((yb - ya) || 1) * (H - T - B);
  const box = el("div", { class: "chart" });
  box.append(el("h3", {}, metric));
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "data-metric": metric });
  for (const t of yt) {
    root.append(svg("line", { class: "grid", x1: L, x2: W - R, y1: sy(t), y2: sy(t) }));
    root.append(svg("text", { x: L - 6, y: sy(t) + 4, "text-anchor": "end" }, fmtNumber(t)));
  }
  for (const t of xt) root.append(svg("text", { x: sx(t), y: H - B + 16, "text-anchor": "middle" }, fmtNumber(t)));
  root.append(svg("line", { class: "axis", x1: L, x2: W - R, y1: H - B, y2: H - B }));
  root.append(svg("line", { class: "axis", x1: L, x2: L, y1: T, y2: H - B }));
  root.append(svg("text", { x: (L + W - R) / 2, y: H - 4, "text-anchor": "middle" },
                  { epoch: "epoch", batch: "batch (since the run began)", system: "seconds since start" }[level]));
  for (const line of lines) {
    const poly = svg("polyline", { points: line.points.map(([x, y]) => sx(x).toFixed(1) + "," + sy(y).toFixed(1)).join(" "),
                                   stroke: line.color, class: line.val ? "val" : "", "data-run": line.run,
                                   "data-series": line.label, "data-points": line.points.length });
    poly.append(svg("title", {}, line.label));
    root.append(poly);
    if (level === "epoch" && line.points.length <= 60) {
      for (const [x, y] of line.points) {
        const dot = svg("circle", { cx: sx(x), cy: sy(y), r: 2.5, fill: line.color });
        dot.append(svg("title", {}, line.label + ": " + fmtNumber(y) + " at " + fmtNumber(x)));
        root.append(dot);
      }
    }
  }
  box.append(root);
  return box;
}

function renderCharts() {
  const holder = document.getElementById("charts"), legend = document.getElementById("legend");
  const groups = new Map();   // metric (without val_) -> lines
  const runs = state.runs.filter(r => state.selected.has(r.id));
  legend.replaceChildren();
  for (const run of runs) {
    const rows = (state.series[run.id] || {})[state.level] || [];
    const names = [];
    for (const row of rows) for (const k of Object.keys(row)) if (!["step", "epoch", "time"].includes(k) && !names.includes(k)) names.push(k);
    for (const name of names) {
      const val = state.level !== "system" && name.startsWith("val_");
      const base = val ? name.slice(4) : name;
      const points = rows.filter(r => typeof r[name] === "number").map(r => [xOf(r, state.level, run), r[name]]);
      if (points.length === 0) continue;
      if (!groups.has(base)) groups.set(base, []);
      groups.get(base).push({ run: run.id, color: colorOf(run.id), val, points, label: run.name + " · " + name });
    }
    const item = el("span");
    const swatch = el("span", { class: "swatch" });
    swatch.style.background = colorOf(run.id);
    item.append(swatch, document.createTextNode(run.name + " (" + run.status + ")"));
    legend.append(item);
  }
  if ([...groups.values()].some(lines => lines.some(line => line.val))) {
    legend.append(el("span", { class: "note" }, "solid: training · dashed: validation"));
  }
  holder.replaceChildren();
  if (groups.size === 0) {
    holder.append(el("p", { class: "empty" }, runs.length ? "No " + state.level + " metrics recorded yet." : "Tick a run to see its charts."));
    return;
  }
  for (const [metric, lines] of groups) holder.append(chart(metric, lines, state.level));
}

// --- details of the focused run ---------------------------------------------------------
function table(obj, metrics) {
  const dl = el("dl");
  for (const [k, v] of Object.entries(obj || {})) {
    const text = v === null ? (metrics ? "NaN" : "null") : typeof v === "object" ? JSON.stringify(v) : fmtNumber(v);
    dl.append(el("dt", {}, k), el("dd", {}, text));
  }
  return dl;
}

function renderDetails() {
  const run = state.details, box = document.getElementById("details");
  box.replaceChildren();
  document.getElementById("details-title").textContent = run ? "Run: " + run.name : "Run";
  if (!run) { box.append(el("p", { class: "empty" }, "Click a run's name.")); return; }
  box.append(table({ id: run.id, status: run.status, host: run.host, pid: run.pid, started: fmtTime(run.started),
                     ended: fmtTime(run.ended) }));
  if (run.exception) {
    box.append(el("h3", {}, "Exception"), el("pre", { class: "traceback" }, run.traceback || run.exception));
  }
  box.append(el("h3", {}, "Hyperparameters"));
  box.append(Object.keys(run.hyperparameters || {}).length ? table(run.hyperparameters) : el("p", { class: "empty" }, "none given"));
  if (run.final_metrics) box.append(el("h3", {}, "Final metrics"), table(run.final_metrics, true));
  const some = obj => obj && Object.keys(obj).length > 0;
  if (some(run.params)) box.append(el("h3", {}, "fit"), table(run.params));
  if (some(run.compile_config)) box.append(el("h3", {}, "compile"), table(run.compile_config));
  if (run.summary) box.append(el("h3", {}, "Model"), el("pre", {}, run.summary));
}

// --- polling ------------------------------------------------------------------------------
let busy = false;
async function poll() {
  if (busy) return;
  busy = true;
  try {
    state.runs = await api("/api/runs");
    const ids = new Set(state.runs.map(r => r.id));
    for (const id of [...state.selected]) if (!ids.has(id)) state.selected.delete(id);
    if (!state.touched && state.selected.size === 0 && state.runs.length) state.selected.add(state.runs[0].id);
    if (!state.focus && state.runs.length) state.focus = state.runs[0].id;
    for (const id of state.selected) {
      const series = state.series[id] || (state.series[id] = {});
      const rows = series[state.level] || (series[state.level] = []);
      const after = rows.length ? "&after=" + rows[rows.length - 1].step : "";
      const fresh = await api(`/api/runs/${encodeURIComponent(id)}/metrics?level=${state.level}${after}`);
      rows.push(...fresh);
    }
    const focused = state.runs.find(r => r.id === state.focus);
    const key = focused ? focused.id + "/" + focused.status : null;
    if (key !== state.detailsKey) {
      state.details = focused ? await api("/api/runs/" + encodeURIComponent(focused.id)) : null;
      state.detailsKey = key;
      renderDetails();
    }
    renderRuns();
    renderCharts();
    document.getElementById("state").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (error) {
    document.getElementById("state").textContent = "connection lost: " + error.message;
  } finally {
    busy = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("#levels button")) {
    button.addEventListener("click", () => {
      state.level = button.dataset.level;
      for (const b of document.querySelectorAll("#levels button")) b.classList.toggle("active", b === button);
      renderCharts();
      poll();
    });
  }
  poll();
  setInterval(poll, POLL_MS);
});
