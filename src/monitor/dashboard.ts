/**
 * /dashboard: a single self-contained page (no build step, no external assets) that polls
 * ./varz and ./connz and draws connections, message rates and subscriptions over time, plus a
 * table of open connections. Relative URLs keep it working under `http_base_path`.
 * @module
 */

/** How often the page polls, in milliseconds. */
export const DASHBOARD_POLL_MS = 2000;
/** Samples kept per chart (two minutes at the default poll interval). */
export const DASHBOARD_HISTORY_SAMPLES = 60;

const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1d2433; background: #f6f7fb; }
  h1 { font-size: 1.3rem; margin: 0 0 0.2rem; }
  .sub { color: #667; font-size: 0.85rem; margin-bottom: 1rem; }
  .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
    gap: 0.6rem; }
  .tile { background: #fff; border-radius: 8px; padding: 0.6rem 0.8rem;
    box-shadow: 0 1px 2px #0001; }
  .tile .k { font-size: 0.75rem; color: #667; text-transform: uppercase;
    letter-spacing: 0.03em; }
  .tile .v { font-size: 1.3rem; font-weight: 600; font-variant-numeric: tabular-nums; }
  .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr));
    gap: 0.6rem; margin: 1rem 0; }
  .chart { background: #fff; border-radius: 8px; padding: 0.6rem; box-shadow: 0 1px 2px #0001; }
  .chart h2 { font-size: 0.85rem; margin: 0 0 0.3rem; color: #445; }
  svg { width: 100%; height: 110px; display: block; }
  table { border-collapse: collapse; width: 100%; background: #fff; font-size: 0.85rem; }
  th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #eceef4; }
  th { background: #eef0f6; font-weight: 600; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; }
  #error { color: #b00020; min-height: 1.2em; }
`;

const TILES: [string, string][] = [
  ["connections", "Connections"], ["total_connections", "Total connections"],
  ["subscriptions", "Subscriptions"], ["in_msgs", "Msgs in"], ["out_msgs", "Msgs out"],
  ["in_bytes", "Bytes in"], ["out_bytes", "Bytes out"], ["slow_consumers", "Slow consumers"],
  ["mem", "Memory (bytes)"], ["cpu", "CPU %"], ["uptime", "Uptime"],
];

/** The page's script: plain browser JavaScript, kept free of template substitutions. */
const SCRIPT = `
"use strict";
const POLL_MS = ${DASHBOARD_POLL_MS};
const HISTORY = ${DASHBOARD_HISTORY_SAMPLES};
const series = { connections: [], inRate: [], outRate: [], subscriptions: [] };
let previous = null;

function push(name, value) {
  const list = series[name];
  list.push(value);
  if (list.length > HISTORY) list.shift();
}

function fmt(value) {
  return typeof value === "number" ? value.toLocaleString("en-US") : String(value);
}

function draw(id, lists, colors) {
  const svg = document.getElementById(id);
  const width = 300, height = 100;
  const max = Math.max(1, ...lists.flat());
  let paths = "";
  lists.forEach((list, i) => {
    if (list.length < 2) return;
    const step = width / (HISTORY - 1);
    const offset = (HISTORY - list.length) * step;
    const points = list.map((v, j) =>
      (offset + j * step).toFixed(1) + "," + (height - (v / max) * (height - 4) - 2).toFixed(1));
    paths += '<polyline fill="none" stroke-width="2" stroke="' + colors[i] + '" points="' +
      points.join(" ") + '"/>';
  });
  svg.innerHTML = paths +
    '<text x="2" y="10" font-size="9" fill="#889">max ' + fmt(max) + "</text>";
}

function renderTiles(varz) {
  for (const el of document.querySelectorAll("[data-field]")) {
    el.textContent = fmt(varz[el.dataset.field]);
  }
  const identity = varz.server_name === varz.server_id
    ? varz.server_id : varz.server_name + " · " + varz.server_id;
  document.getElementById("server").textContent =
    identity + " · v" + varz.version + " · " + varz.go + " · up " + varz.uptime;
}

function renderConnections(connz) {
  const body = document.getElementById("conns");
  body.textContent = "";
  for (const c of connz.connections || []) {
    const tr = document.createElement("tr");
    const client = (c.lang || "") + " " + (c.version || "");
    const cells = [c.cid, c.name || "", c.ip + ":" + c.port, client,
      c.subscriptions, c.pending_bytes, c.in_msgs, c.out_msgs, c.in_bytes, c.out_bytes, c.rtt || "",
      c.uptime, c.idle];
    cells.forEach((value, i) => {
      const td = document.createElement("td");
      if (typeof value === "number") td.className = "n";
      td.textContent = i >= 4 && i <= 9 ? fmt(value) : String(value);
      tr.appendChild(td);
    });
    body.appendChild(tr);
  }
  document.getElementById("conn-count").textContent = fmt(connz.num_connections) + " of " +
    fmt(connz.total);
}

async function poll() {
  try {
    const [varzResponse, connzResponse] = await Promise.all([
      fetch("./varz", { cache: "no-store" }), fetch("./connz?limit=100", { cache: "no-store" }),
    ]);
    const varz = await varzResponse.json();
    const connz = await connzResponse.json();
    const nowMs = Date.parse(varz.now);
    if (previous) {
      const seconds = Math.max((nowMs - previous.nowMs) / 1000, 0.001);
      push("inRate", (varz.in_msgs - previous.in_msgs) / seconds);
      push("outRate", (varz.out_msgs - previous.out_msgs) / seconds);
    }
    previous = { nowMs, in_msgs: varz.in_msgs, out_msgs: varz.out_msgs };
    push("connections", varz.connections);
    push("subscriptions", varz.subscriptions);
    renderTiles(varz);
    renderConnections(connz);
    draw("chart-connections", [series.connections], ["#2a5db0"]);
    draw("chart-rates", [series.inRate, series.outRate], ["#1b9e77", "#d95f02"]);
    draw("chart-subscriptions", [series.subscriptions], ["#7570b3"]);
    document.getElementById("error").textContent = "";
    document.body.dataset.updated = varz.now;
  } catch (error) {
    document.getElementById("error").textContent = "Update failed: " + error;
  }
}

poll();
setInterval(poll, POLL_MS);
`;

export function dashboardPage(): string {
  const tiles = TILES.map(([field, label]) =>
    `<div class="tile"><div class="k">${label}</div>` +
    `<div class="v" id="v-${field}" data-field="${field}">–</div></div>`).join("\n    ");
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>natsd dashboard</title>
  <link rel="icon" href="data:,">
  <style>${STYLE}</style>
</head>
<body>
  <h1>natsd live dashboard</h1>
  <div class="sub" id="server">loading…</div>
  <div id="error"></div>
  <div class="tiles">
    ${tiles}
  </div>
  <div class="charts">
    <div class="chart"><h2>Connections</h2>
      <svg id="chart-connections" viewBox="0 0 300 100"></svg></div>
    <div class="chart"><h2>Messages per second (in green, out orange)</h2>
      <svg id="chart-rates" viewBox="0 0 300 100"></svg></div>
    <div class="chart"><h2>Subscriptions</h2>
      <svg id="chart-subscriptions" viewBox="0 0 300 100"></svg></div>
  </div>
  <h2 style="font-size:1rem">Connections <small id="conn-count"></small></h2>
  <table>
    <thead><tr><th>cid</th><th>name</th><th>address</th><th>client</th><th>subs</th>
      <th>pending</th><th>msgs in</th><th>msgs out</th><th>bytes in</th><th>bytes out</th>
      <th>rtt</th><th>uptime</th><th>idle</th></tr></thead>
    <tbody id="conns"></tbody>
  </table>
  <script>${SCRIPT}</script>
</body>
</html>
`;
}
