/**
 * The monitoring HTTP server: nats-server's endpoints plus /metrics and /dashboard, served
 * with Bun.serve on `http_port` (-1 picks a free port) under `http_base_path`.
 * @module
 */
import type { Options } from "../server/options.ts";
import { readFileSync } from "node:fs";
import type { Server as BunServer } from "bun";
import { accountz, accstatz } from "./accounts_endpoints.ts";
import { connz, parseConnzQuery } from "./connz.ts";
import { dashboardPage } from "./dashboard.ts";
import { gatewayz, ipqueuesz, leafz, raftz, routez } from "./feature_endpoints.ts";
import { jsz } from "./jsz.ts";
import { EXPOSITION_CONTENT_TYPE } from "./exposition.ts";
import type { GoJsonValue } from "./go_json.ts";
import { health, healthAssets, healthReply, parseHealthQuery } from "./healthz.ts";
import { indexPage } from "./index_page.ts";
import { metricsText } from "./metrics.ts";
import { goMemstats, ProcessUsage } from "./process_usage.ts";
import { json, type Reply } from "./reply.ts";
import type { Query } from "./query.ts";
import { type RequestContext, type Route, Router } from "./router.ts";
import type { MonitorSource } from "./source.ts";
import { parseSubszQuery, subsz } from "./subsz.ts";
import { gatherStackInputs, stackDump } from "./stacksz.ts";
import { varz } from "./varz.ts";
import { WallClock } from "./wall_clock.ts";

export interface MonitorLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface MonitorHooks {
  /** True once JetStream runs; nats-server's /healthz fails while it is configured but off. */
  jetStreamEnabled?: () => boolean;
}

const HTML = "text/html; charset=utf-8";
const TEXT = "text/plain; charset=utf-8";

/** Why the monitor cannot start; nats-server treats it as fatal ("Can't start monitoring"). */
export class MonitorStartError extends Error {
  override name = "MonitorStartError";
}

/** nats-server's option checks before it binds the monitoring port. */
export function checkMonitorOptions(
  o: { httpPort: number; httpsPort: number; tlsCertFile: string; tlsKeyFile: string },
): void {
  if (o.httpPort !== 0 && o.httpsPort !== 0) {
    throw new MonitorStartError(
      `can't specify both HTTP (${o.httpPort}) and HTTPs (${o.httpsPort}) ports`);
  }
  // HTTPS serves the client TLS certificate, as nats-server does.
  if (o.httpsPort !== 0 && (o.tlsCertFile === "" || o.tlsKeyFile === "")) {
    throw new MonitorStartError("TLS cert and key required for HTTPS");
  }
}

/** The certificate for https_port: the client TLS certificate and key. */
function httpsTls(o: Options): { cert: string; key: string } | undefined {
  if (o.httpsPort === 0) return undefined;
  try {
    return { cert: readFileSync(o.tlsCertFile, "utf8"), key: readFileSync(o.tlsKeyFile, "utf8") };
  } catch (error) {
    throw new MonitorStartError(`TLS cert and key required for HTTPS: ${(error as Error).message}`);
  }
}

/**
 * /debug/vars: nats-server serves Go's expvar document (`cmdline`, `memstats`). natsd gives the
 * same two keys; memstats carries the Bun process's numbers under the nearest Go names.
 */
function debugVars(): GoJsonValue {
  return { cmdline: process.argv, memstats: goMemstats() };
}

/** Go's text for a failed bind, e.g. "listen tcp 127.0.0.1:8222: bind: address already in use". */
function listenFailure(host: string, port: number, error: unknown): MonitorStartError {
  const code = (error as { code?: string }).code;
  const reason = code === "EADDRINUSE" ? "bind: address already in use"
    : code === "EACCES" ? "bind: permission denied" : (error as Error).message;
  const hostPort = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  return new MonitorStartError(
    `can't listen to the monitor port: listen tcp ${hostPort}: ${reason}`);
}

export class Monitor {
  readonly router: Router;
  readonly clock: WallClock;
  readonly usage = new ProcessUsage();
  #server: BunServer<undefined> | null = null;

  constructor(readonly source: MonitorSource, readonly log: MonitorLog,
    readonly hooks: MonitorHooks = {}) {
    this.clock = new WallClock(source.clock);
    this.router = new Router(source.options.httpBasePath, this.#routes());
  }

  /** The bound port, 0 before start. */
  get port(): number {
    return this.#server?.port ?? 0;
  }

  /** The host the monitor binds: `http` host, or the client host when unset. */
  get host(): string {
    return this.source.options.httpHost || this.source.options.host;
  }

  /** Binds and serves; throws MonitorStartError when the options or the bind fail. */
  start(): number {
    const o = this.source.options;
    checkMonitorOptions(o);
    const port = o.httpsPort !== 0 ? o.httpsPort : o.httpPort;
    const requested = port === -1 ? 0 : port;
    const tls = httpsTls(o);
    try {
      this.#server = Bun.serve({
        hostname: this.host,
        port: requested,
        ...(tls ? { tls } : {}),
        fetch: (request) => this.handle(request),
        error: (error) => {
          this.log.error(`monitoring: ${error.message}`);
          return new Response("Internal Server Error", { status: 500 });
        },
      });
    } catch (error) {
      throw listenFailure(this.host, requested, error);
    }
    return this.port;
  }

  stop(): void {
    this.#server?.stop(true);
    this.#server = null;
  }

  handle(request: Request): Response {
    return this.router.handle(new URL(request.url));
  }

  varzDocument(): Record<string, GoJsonValue> {
    return varz(this.source, {
      clock: this.clock, usage: this.usage, httpReqStats: this.router.requestCounts,
    }) as Record<string, GoJsonValue>;
  }

  #routes(): Route[] {
    const source = this.source;
    const clock = this.clock;
    const counted = (path: string, build: (ctx: RequestContext) => Reply): Route => ({
      path,
      handle: (ctx) => {
        ctx.count();
        return build(ctx);
      },
    });
    return [
      counted("/", () => ({ kind: "page", body: indexPage(), contentType: HTML })),
      counted("/varz", () => json(this.varzDocument())),
      {
        path: "/connz",
        handle: (ctx) => {
          const options = parseConnzQuery(ctx.query);
          ctx.count();
          return json(connz(source, options, clock));
        },
      },
      {
        path: "/routez",
        handle: (ctx) => {
          ctx.query.subs();
          ctx.count();
          return routez(source, ctx.query, clock);
        },
      },
      counted("/gatewayz", (ctx) => gatewayz(source, ctx.query, clock)),
      counted("/leafz", (ctx) => leafz(source, ctx.query, clock)),
      counted("/subsz", (ctx) => json(subsz(source, parseSubszQuery(ctx.query), clock))),
      { path: "/subscriptionsz", handle: (ctx) => this.#subsAlias(ctx) },
      counted("/accountz", (ctx) => accountz(source, ctx.query, clock)),
      counted("/accstatz", (ctx) => accstatz(source, ctx.query, clock)),
      counted("/jsz", (ctx) => jsz(source, ctx.query, clock)),
      counted("/healthz", (ctx) => this.#healthz(ctx.query)),
      { path: "/ipqueuesz", handle: (ctx) => ipqueuesz(ctx.query) },
      { path: "/raftz", handle: () => raftz() },
      // Not counted in http_req_stats, as nats-server does not count it.
      { path: "/stacksz", handle: () => ({ kind: "page", contentType: TEXT,
        body: stackDump(source, gatherStackInputs()) }) },
      counted("/metrics", (ctx) => ({
        kind: "page",
        body: metricsText(source, this.varzDocument(), ctx.query.bool("connz_detailed")),
        contentType: EXPOSITION_CONTENT_TYPE,
      })),
      counted("/dashboard", () => ({ kind: "page", body: dashboardPage(), contentType: HTML })),
      counted("/debug/vars", () => json(debugVars())),
    ];
  }

  /** /subscriptionsz is counted under /subsz, as nats-server counts it. */
  #subsAlias(ctx: RequestContext): Reply {
    this.router.count("/subsz");
    return json(subsz(this.source, parseSubszQuery(ctx.query), this.clock));
  }

  #healthz(query: Query): Reply {
    const { options, deprecated } = parseHealthQuery(query);
    if (deprecated) {
      this.log.warn("Healthcheck: js-enabled deprecated, use js-enabled-only instead");
    }
    const result = health(options, {
      jetStreamConfigured: this.source.options.jetstream,
      jetStreamEnabled: this.hooks.jetStreamEnabled?.() ?? false,
      assets: healthAssets(this.source.jetstream, (name) => this.source.accounts.has(name)),
    });
    if (result.warning) this.log.warn(`Healthcheck failed: ${result.warning}`);
    return healthReply(result);
  }
}
