/**
 * What a config reload (SIGHUP) may change, decided as nats-server's server/reload.go does:
 * every changed option is either applied (grouped so the server knows what to refresh) or
 * refused, and one refusal refuses the whole reload so the running configuration stays.
 * Pure: old and new Options in, a plan out.
 *
 * The policy table covers every Options field (the type makes a missing one a compile
 * error): a new option must be classified before it can be reloaded.
 * @module
 */
import type { Options } from "../server/options.ts";
import { parseHostPort } from "./options_from_config.ts";

export type ReloadGroup =
  | "logging" | "auth" | "limits" | "ping" | "process" | "identity" | "jetstream"
  | "profiling" | "reports" | "tls";

export interface ReloadChange {
  option: keyof Options;
  /** nats-server's config key, for messages. */
  key: string;
  group: ReloadGroup;
  oldValue: unknown;
  newValue: unknown;
}

export interface RefusedChange {
  option: keyof Options;
  key: string;
  oldValue: unknown;
  newValue: unknown;
  reason: string;
}

export interface ReloadPlan {
  /** Changes to apply, in Options field order; empty when nothing reloadable changed. */
  changes: ReloadChange[];
  /** Non-empty means: apply nothing, keep the running configuration, log each reason. */
  refused: RefusedChange[];
}

type Policy =
  | { kind: "reload"; key: string; group: ReloadGroup }
  | { kind: "refuse"; key: string }
  /** Kept from the running server whatever the file says (nats-server does the same). */
  | { kind: "keep" }
  | { kind: "special"; key: string; group: ReloadGroup };

const reload = (key: string, group: ReloadGroup): Policy => ({ kind: "reload", key, group });
const refuse = (key: string): Policy => ({ kind: "refuse", key });
const special = (key: string, group: ReloadGroup): Policy => ({ kind: "special", key, group });

const POLICY: Record<keyof Options, Policy> = {
  configFile: { kind: "keep" },
  disableShortFirstPing: { kind: "keep" },
  serverName: refuse("server_name"),
  clusterName: refuse("cluster"),
  host: refuse("host"),
  port: special("port", "identity"),
  clientAdvertise: special("client_advertise", "identity"),
  serverTags: reload("server_tags", "identity"),
  serverMetadata: reload("server_metadata", "identity"),
  featureFlags: refuse("feature_flags"),
  debug: reload("debug", "logging"),
  trace: reload("trace", "logging"),
  traceVerbose: reload("trace_verbose", "logging"),
  traceHeaders: reload("trace_headers", "logging"),
  logtime: reload("logtime", "logging"),
  logtimeUtc: reload("logtime_utc", "logging"),
  logFile: reload("logfile", "logging"),
  syslog: reload("syslog", "logging"),
  remoteSyslog: reload("remote_syslog", "logging"),
  maxTracedMsgLen: reload("max_traced_msg_len", "logging"),
  logSizeLimitBytes: refuse("logfile_size_limit"),
  logMaxFiles: refuse("logfile_max_num"),
  connectErrorReports: reload("connect_error_reports", "reports"),
  reconnectErrorReports: reload("reconnect_error_reports", "reports"),
  maxConnections: reload("max_connections", "limits"),
  maxPayloadBytes: reload("max_payload", "limits"),
  maxControlLineBytes: reload("max_control_line", "limits"),
  writeDeadlineMs: reload("write_deadline", "limits"),
  noFastProducerStall: reload("no_fast_producer_stall", "limits"),
  maxSubscriptions: refuse("max_subscriptions"),
  maxSubTokens: refuse("max_sub_tokens"),
  maxPendingBytes: refuse("max_pending"),
  maxClosedClients: refuse("max_closed_clients"),
  writeTimeoutPolicy: refuse("write_timeout"),
  noHeaderSupport: refuse("no_header_support"),
  noSublistCache: refuse("disable_sublist_cache"),
  pingIntervalMs: reload("ping_interval", "ping"),
  pingMax: reload("ping_max", "ping"),
  pidFile: reload("pidfile", "process"),
  portsFileDir: reload("ports_file_dir", "process"),
  lameDuckDurationMs: refuse("lame_duck_duration"),
  lameDuckGracePeriodMs: refuse("lame_duck_grace_period"),
  username: reload("authorization.user", "auth"),
  password: reload("authorization.password", "auth"),
  authToken: reload("authorization.token", "auth"),
  authTimeoutMs: reload("authorization.timeout", "auth"),
  noAuthUser: special("no_auth_user", "auth"),
  httpHost: refuse("http"),
  httpPort: refuse("http_port"),
  httpsPort: refuse("https_port"),
  httpBasePath: refuse("http_base_path"),
  profPort: refuse("prof_port"),
  profBlockRate: reload("prof_block_rate", "profiling"),
  jetstream: reload("jetstream", "jetstream"),
  storeDir: special("store_dir", "jetstream"),
  // Running streams keep their stores and limits: nats-server refuses these on reload too.
  jetstreamMaxMemoryBytes: special("jetstream.max_memory_store", "jetstream"),
  jetstreamMaxStoreBytes: special("jetstream.max_file_store", "jetstream"),
  jetstreamSyncIntervalMs: refuse("jetstream.sync_interval"),
  jetstreamDomain: refuse("jetstream.domain"),
  jetstreamKey: refuse("jetstream.key"),
  jetstreamCipher: refuse("jetstream.cipher"),
  jetstreamStrict: refuse("jetstream.strict"),
  jetstreamDuplicateWindowMaxMs: refuse("jetstream.limits.duplicate_window"),
  jetstreamMaxAckPending: refuse("jetstream.limits.max_ack_pending"),
  jetstreamMaxRequestBatch: refuse("jetstream.limits.max_request_batch"),
  jetstreamMaxHaAssets: refuse("jetstream.limits.max_ha_assets"),
  jetstreamAccounts: reload("accounts.jetstream", "jetstream"),
  // Certificates reload (new handshakes use them); turning TLS on or off is a restart.
  tls: refuse("tls"),
  tlsCertFile: reload("tls.cert_file", "tls"),
  tlsKeyFile: reload("tls.key_file", "tls"),
  tlsCaFile: reload("tls.ca_file", "tls"),
  tlsVerify: reload("tls.verify", "tls"),
  tlsVerifyAndMap: reload("tls.verify_and_map", "tls"),
  tlsTimeoutMs: reload("tls.timeout", "tls"),
  tlsHandshakeFirstMs: refuse("tls.handshake_first"),
  tlsPinnedCerts: reload("tls.pinned_certs", "tls"),
  tlsMinVersion: reload("tls.min_version", "tls"),
  tlsCipherSuites: reload("tls.cipher_suites", "tls"),
  tlsCurvePreferences: reload("tls.curve_preferences", "tls"),
  allowNonTls: refuse("allow_non_tls"),
  // The WebSocket listener is set up at start (as in nats-server, which reloads only parts).
  wsHost: refuse("websocket.host"),
  wsPort: refuse("websocket.port"),
  wsNoTls: refuse("websocket.no_tls"),
  wsTlsCertFile: refuse("websocket.tls"),
  wsTlsKeyFile: refuse("websocket.tls"),
  wsTlsCaFile: refuse("websocket.tls"),
  wsTlsVerify: refuse("websocket.tls"),
  wsTlsCipherSuites: refuse("websocket.tls"),
  wsTlsCurvePreferences: refuse("websocket.tls"),
  wsSameOrigin: refuse("websocket.same_origin"),
  wsAllowedOrigins: refuse("websocket.allowed_origins"),
  wsCompression: refuse("websocket.compression"),
  wsHandshakeTimeoutMs: refuse("websocket.handshake_timeout"),
  wsAuthUsername: refuse("websocket.authorization"),
  wsAuthPassword: refuse("websocket.authorization"),
  wsAuthToken: refuse("websocket.authorization"),
  wsNoAuthUser: refuse("websocket.no_auth_user"),
  wsUserCookie: refuse("websocket.user_cookie"),
  wsPassCookie: refuse("websocket.pass_cookie"),
  wsTokenCookie: refuse("websocket.token_cookie"),
  wsJwtCookie: refuse("websocket.jwt_cookie"),
  // Users and their permissions reload onto live connections (server.ts re-authenticates).
  users: reload("authorization.users", "auth"),
  nkeys: reload("authorization.users", "auth"),
  // Accounts are updated in place and every link rebuilt (accounts/registry.ts reload).
  accounts: reload("accounts", "auth"),
  mappings: reload("mappings", "auth"),
  systemAccount: refuse("system_account"),
  noSystemAccount: refuse("no_system_account"),
  // As nats-server: operators and resolvers do not change at run time; preloads are ignored.
  trustedOperators: refuse("operator"),
  trustedKeys: refuse("trusted_keys"),
  accountResolver: refuse("resolver"),
  resolverPreload: { kind: "keep" },
  resolverPinnedAccounts: { kind: "keep" },
  defaultSentinel: refuse("default_sentinel"),
  authCallout: refuse("authorization.auth_callout"),
  // Clients are authenticated again: those of a removed proxy key are refused.
  proxiesTrusted: reload("proxies", "auth"),
  proxyRequired: reload("authorization.proxy_required", "auth"),
};

/** Every field's policy, for tests that check the table covers defaultOptions(). */
export const reloadPolicyFields = (): (keyof Options)[] => Object.keys(POLICY) as (keyof Options)[];

/** Compares the running options with freshly built ones. */
export function planReload(running: Options, next: Options): ReloadPlan {
  const plan: ReloadPlan = { changes: [], refused: [] };
  for (const option of Object.keys(POLICY) as (keyof Options)[]) {
    const oldValue = running[option];
    const newValue = next[option];
    if (sameValue(oldValue, newValue)) continue;
    const policy = POLICY[option];
    const refused = (key: string, reason = notSupported(key, oldValue, newValue)) =>
      plan.refused.push({ option, key, oldValue, newValue, reason });
    switch (policy.kind) {
      case "keep":
        continue;
      case "refuse":
        refused(policy.key);
        continue;
      case "reload":
        plan.changes.push({ option, key: policy.key, group: policy.group, oldValue, newValue });
        continue;
      case "special": {
        const verdict = specialVerdict(option, running, next);
        if (verdict === "ignore") continue;
        if (verdict === "apply") {
          plan.changes.push({ option, key: policy.key, group: policy.group, oldValue, newValue });
        } else {
          refused(policy.key, verdict.reason ?? notSupported(policy.key, oldValue, newValue));
        }
      }
    }
  }
  return plan;
}

type Verdict = "apply" | "ignore" | { reason?: string };

function specialVerdict(option: keyof Options, running: Options, next: Options): Verdict {
  switch (option) {
    case "port":
      // A random port (-1) in the new file keeps the port the server has.
      return next.port === -1 ? "ignore" : {};
    case "clientAdvertise": {
      const value = next.clientAdvertise;
      const valid = value === "" || !value.includes(":") ||
        typeof parseHostPort(value) !== "string";
      return valid ? "apply" : { reason: `invalid ClientAdvertise value of ${value}` };
    }
    case "noAuthUser":
      // As nats-server: dropping no_auth_user is fine once no user of that name remains;
      // setting or changing it needs a restart.
      return running.noAuthUser !== "" && next.noAuthUser === "" &&
        !next.users.some((u) => u.username === running.noAuthUser) ? "apply" : {};
    case "jetstreamMaxMemoryBytes":
    case "jetstreamMaxStoreBytes":
      // As nats-server: free to change while JetStream is off or being turned on or off.
      return running.jetstream && next.jetstream ? {} : "apply";
    case "storeDir":
      if (!running.jetstream) return "apply";
      if (next.storeDir === "" && !next.jetstream) return "apply";
      return { reason: "config reload not supported for jetstream storage directory" };
    default:
      return {};
  }
}

function notSupported(key: string, oldValue: unknown, newValue: unknown): string {
  return `config reload not supported for ${key}: old=${show(oldValue)}, new=${show(newValue)}`;
}

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Structural equality for option values (scalars, string arrays, flat records). */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: object): unknown {
  if (Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : 1)));
}
