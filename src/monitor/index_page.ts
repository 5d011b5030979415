/**
 * The page at the monitoring root: links to every endpoint, relative so that `http_base_path`
 * prefixes keep working. Self-contained (no external assets).
 * @module
 */
import { NATS_SERVER_VERSION, NATSD_VERSION } from "../server/version.ts";

interface IndexLink {
  title: string;
  path: string;
}

export const INDEX_LINKS: readonly IndexLink[] = [
  { title: "General", path: "/varz" },
  { title: "JetStream", path: "/jsz" },
  { title: "Connections", path: "/connz" },
  { title: "Accounts", path: "/accountz" },
  { title: "Account Stats", path: "/accstatz" },
  { title: "Subscriptions", path: "/subsz" },
  { title: "Routes", path: "/routez" },
  { title: "LeafNodes", path: "/leafz" },
  { title: "Gateways", path: "/gatewayz" },
  { title: "Raft Groups", path: "/raftz" },
  { title: "Health Probe", path: "/healthz" },
  { title: "Prometheus Metrics", path: "/metrics" },
  { title: "Live Dashboard", path: "/dashboard" },
];

export function indexPage(): string {
  const links = INDEX_LINKS.map((link) =>
    `    <li><a href=".${link.path}">${link.title}</a> <code>${link.path}</code></li>`).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>natsd monitoring</title>
  <style>
    body { font-family: system-ui, sans-serif; margin: 2rem; color: #223; }
    h1 { font-size: 1.4rem; }
    li { margin: 0.35rem 0; }
    a { color: #2a5db0; text-decoration: none; font-weight: 600; }
    a:hover { text-decoration: underline; }
    code { color: #889; margin-left: 0.5rem; }
  </style>
</head>
<body>
  <h1>natsd v${NATSD_VERSION} <small>(nats-server v${NATS_SERVER_VERSION} compatible)</small></h1>
  <ul>
${links}
  </ul>
  <p><a href="https://docs.nats.io/running-a-nats-service/nats_admin/monitoring">Help</a></p>
</body>
</html>
`;
}
