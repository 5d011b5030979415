/**
 * What a reload says, in nats-server's words (server/reload.go): one "Reloaded: …" line per
 * applied change, in the order of Go's Options struct, and for a refused reload Go's error
 * for the first refused field in that order ("config reload not supported for Port:
 * old=4222, new=4333"). Pure: plan entries in, text out.
 * @module
 */
import { formatDurationMs, type RefusedChange, type ReloadChange } from "../config/mod.ts";

/**
 * natsd option → Go Options field, in Go's struct order. Options Go keeps in one struct
 * (Websocket, TLSConfig) share its name.
 */
const GO_FIELDS: readonly (readonly [string, string])[] = [
  ["configFile", "ConfigFile"], ["serverName", "ServerName"], ["host", "Host"], ["port", "Port"],
  ["clientAdvertise", "ClientAdvertise"], ["trace", "Trace"], ["debug", "Debug"],
  ["traceVerbose", "TraceVerbose"], ["traceHeaders", "TraceHeaders"],
  ["noSublistCache", "NoSublistCache"], ["noHeaderSupport", "NoHeaderSupport"],
  ["disableShortFirstPing", "DisableShortFirstPing"], ["logtime", "Logtime"],
  ["logtimeUtc", "LogtimeUTC"], ["maxConnections", "MaxConn"], ["maxSubscriptions", "MaxSubs"],
  ["maxSubTokens", "MaxSubTokens"], ["nkeys", "Nkeys"], ["users", "Users"],
  ["accounts", "Accounts"], ["mappings", "Accounts"], ["noAuthUser", "NoAuthUser"],
  ["systemAccount", "SystemAccount"], ["noSystemAccount", "NoSystemAccount"],
  ["username", "Username"], ["password", "Password"], ["authToken", "Authorization"],
  ["pingIntervalMs", "PingInterval"], ["pingMax", "MaxPingsOut"], ["httpHost", "HTTPHost"],
  ["httpPort", "HTTPPort"], ["httpBasePath", "HTTPBasePath"], ["httpsPort", "HTTPSPort"],
  ["authTimeoutMs", "AuthTimeout"], ["maxControlLineBytes", "MaxControlLine"],
  ["maxPayloadBytes", "MaxPayload"], ["maxPendingBytes", "MaxPending"],
  ["noFastProducerStall", "NoFastProducerStall"], ["jetstream", "JetStream"],
  ["storeDir", "StoreDir"], ["wsHost", "Websocket"], ["wsPort", "Websocket"],
  ["wsNoTls", "Websocket"], ["wsTlsCertFile", "Websocket"], ["wsTlsKeyFile", "Websocket"],
  ["wsSameOrigin", "Websocket"], ["wsAllowedOrigins", "Websocket"],
  ["wsCompression", "Websocket"], ["wsHandshakeTimeoutMs", "Websocket"],
  ["profPort", "ProfPort"], ["profBlockRate", "ProfBlockRate"], ["pidFile", "PidFile"],
  ["portsFileDir", "PortsFileDir"], ["logFile", "LogFile"],
  ["logSizeLimitBytes", "LogSizeLimit"], ["logMaxFiles", "LogMaxFiles"], ["syslog", "Syslog"],
  ["remoteSyslog", "RemoteSyslog"], ["tlsTimeoutMs", "TLSTimeout"], ["tls", "TLS"],
  ["tlsVerify", "TLSVerify"], ["tlsVerifyAndMap", "TLSMap"], ["tlsCertFile", "TLSCert"],
  ["tlsKeyFile", "TLSKey"], ["tlsCaFile", "TLSCaCert"], ["tlsMinVersion", "TLSConfig"],
  ["tlsPinnedCerts", "TLSPinnedCerts"], ["tlsHandshakeFirstMs", "TLSHandshakeFirst"],
  ["allowNonTls", "AllowNonTLS"], ["writeDeadlineMs", "WriteDeadline"],
  ["writeTimeoutPolicy", "WriteTimeout"], ["maxClosedClients", "MaxClosedClients"],
  ["lameDuckDurationMs", "LameDuckDuration"], ["lameDuckGracePeriodMs", "LameDuckGracePeriod"],
  ["maxTracedMsgLen", "MaxTracedMsgLen"], ["connectErrorReports", "ConnectErrorReports"],
  ["reconnectErrorReports", "ReconnectErrorReports"], ["serverTags", "Tags"],
  ["serverMetadata", "Metadata"], ["featureFlags", "FeatureFlags"],
];

const GO_ORDER = new Map(GO_FIELDS.map(([option], index) => [option, index]));
const GO_NAME = new Map(GO_FIELDS);

/** Options held in milliseconds that Go keeps as time.Duration. */
const DURATIONS = new Set(["pingIntervalMs", "writeDeadlineMs", "lameDuckDurationMs",
  "lameDuckGracePeriodMs", "wsHandshakeTimeoutMs", "tlsHandshakeFirstMs"]);
/** Options held in milliseconds that Go keeps as float64 seconds. */
const SECONDS = new Set(["authTimeoutMs", "tlsTimeoutMs"]);

/** The option's value as Go's %v prints the corresponding field. */
export function goValue(option: string, value: unknown): string {
  if (typeof value === "number" && DURATIONS.has(option)) return formatDurationMs(value);
  if (typeof value === "number" && SECONDS.has(option)) return String(value / 1000);
  if (Array.isArray(value)) return `[${value.map((v) => goValue("", v)).join(" ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `map[${entries.map(([k, v]) => `${k}:${goValue("", v)}`).join(" ")}]`;
  }
  return String(value);
}

const goOrder = (option: string) => GO_ORDER.get(option) ?? GO_FIELDS.length;

/** Changes sorted as Go applies them (its Options struct order); stable otherwise. */
export function inGoOrder<T extends { option: string }>(entries: readonly T[]): T[] {
  return entries.map((entry, index) => ({ entry, index }))
    .sort((a, b) => goOrder(a.entry.option) - goOrder(b.entry.option) || a.index - b.index)
    .map(({ entry }) => entry);
}

const TLS_CONFIG = new Set(["tlsCertFile", "tlsKeyFile", "tlsCaFile", "tlsVerify",
  "tlsVerifyAndMap", "tlsMinVersion"]);

/** Go's "Reloaded: …" lines for the applied changes, in Go's order. */
export function reloadNotices(changes: readonly ReloadChange[]): string[] {
  const lines: string[] = [];
  for (const change of inGoOrder(changes)) {
    const line = reloadNotice(change);
    if (line !== null && !lines.includes(line)) lines.push(line);
  }
  return lines;
}

/** One change's line; null where Go logs nothing for it. */
export function reloadNotice(change: ReloadChange): string | null {
  const { option, newValue } = change;
  const v = goValue(option, newValue);
  if (TLS_CONFIG.has(option)) return "Reloaded: tls = enabled";
  switch (option) {
    case "username": return "Reloaded: authorization username";
    case "password": return "Reloaded: authorization password";
    case "authToken": return "Reloaded: authorization token";
    case "authTimeoutMs": return `Reloaded: authorization timeout = ${v}`;
    case "users": return "Reloaded: authorization users";
    case "nkeys": return "Reloaded: authorization nkey users";
    case "accounts":
    case "mappings": return "Reloaded: accounts";
    case "serverTags": return "Reloaded: tags";
    case "serverMetadata": return "Reloaded: metadata";
    case "clientAdvertise": return `Reload: client_advertise = ${v}`;
    case "jetstream": return "Reloaded: JetStream";
    case "tlsTimeoutMs": return `Reloaded: tls timeout = ${v}`;
    case "tlsPinnedCerts": return `Reloaded: ${(newValue as unknown[]).length} pinned_certs`;
    case "noFastProducerStall":
      return `Reloaded: fast producers will ${newValue ? "not " : ""}be stalled`;
    case "pidFile": return newValue === "" ? null : `Reloaded: pid_file = ${v}`;
    case "logFile": return `Reloaded: log_file = ${v}`;
    case "noAuthUser":
    case "storeDir":
      return null;
    default:
      return `Reloaded: ${change.key} = ${v}`;
  }
}

/** Go's error for a refused reload: it stops at the first refused field in its order. */
export function reloadRefusal(refused: readonly RefusedChange[]): string {
  const first = inGoOrder(refused)[0];
  const generic = `config reload not supported for ${first.key}: `;
  if (!first.reason.startsWith(generic)) return first.reason;
  const field = GO_NAME.get(first.option) ?? first.key;
  const [oldText, newText] = [goValue(first.option, first.oldValue),
    goValue(first.option, first.newValue)];
  return `config reload not supported for ${field}: old=${oldText}, new=${newText}`;
}
