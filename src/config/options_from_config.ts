/**
 * Maps a parsed config onto natsd's Options, with nats-server's types, units and range checks
 * (durations become milliseconds, sizes bytes). Keys for features natsd does not have yet are
 * type-checked against their schema, kept in the raw tree and listed as `unsupported`.
 * Unknown keys are warnings with their position; in check mode (`-t`) every warning is an
 * error, as in nats-server.
 * @module
 */
import { DEFAULTS, defaultOptions, type Options } from "../server/options.ts";
import { isKnownCipherSuite } from "../server/tls_ciphers.ts";
import { checkCurvePreferences, CurvePreferenceError } from "../server/tls_curves.ts";
import { configDigest } from "./digest.ts";
import { DurationError, formatDurationMs, parseDurationMs } from "./duration.ts";
import {
  ConfigError, ConfigErrors, type ConfigWarning, NO_POSITION, type Position,
} from "./errors.ts";
import * as features from "./feature_schemas.ts";
import * as auth from "./auth_options.ts";
import { mapJetStreamBlock } from "./jetstream_options.ts";
import { FEATURE_NOT_AVAILABLE } from "./feature_status.ts";
import { type ConfigSource, parseConfig, parseConfigFile, systemSource } from "./parser.ts";
import { bool, dict, type Schema, strOrList, str, validate } from "./schema.ts";
import {
  type ConfigEntry, type ConfigKind, type ConfigNode, describeNode, kindName, type MapNode,
} from "./values.ts";

export interface UnsupportedKey {
  /** Config key, dotted for sub-keys (e.g. "authorization.users"). */
  key: string;
  position: Position;
  /** The missing feature, for the "not available yet" message. */
  feature: string;
}

export interface MappedConfig {
  options: Partial<Options>;
  /** Where each option was set in the file. */
  positions: Partial<Record<keyof Options, Position>>;
  warnings: ConfigWarning[];
  unsupported: UnsupportedKey[];
  errors: ConfigError[];
}

export interface LoadedConfig {
  options: Partial<Options>;
  positions: Partial<Record<keyof Options, Position>>;
  warnings: ConfigWarning[];
  unsupported: UnsupportedKey[];
  /** The whole parsed file, for subsystems that read their own blocks (auth, JetStream, …). */
  raw: MapNode;
  /** `sha256:<hex>`, as `nats-server -t` prints it. */
  digest: string;
}

export interface LoadOptions {
  /** `-t`: warnings (unknown keys, integer durations, …) become errors. */
  checkMode?: boolean;
  source?: ConfigSource;
}

/** Reads, parses and maps a config file. Throws ConfigErrors listing every problem. */
export function loadConfigFile(path: string, options: LoadOptions = {}): LoadedConfig {
  let raw: MapNode;
  try {
    raw = parseConfigFile(path, options.source ?? systemSource);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigErrors([error]);
    throw error;
  }
  return finishLoad(raw, options);
}

/** As loadConfigFile, for config text (`file` names it in positions and anchors includes). */
export function loadConfigText(text: string, options: LoadOptions & { file?: string } = {}):
  LoadedConfig {
  let raw: MapNode;
  try {
    raw = parseConfig(text, { file: options.file, source: options.source });
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigErrors([error]);
    throw error;
  }
  return finishLoad(raw, options);
}

function finishLoad(raw: MapNode, options: LoadOptions): LoadedConfig {
  const mapped = optionsFromConfig(raw, { checkMode: options.checkMode ?? false });
  if (mapped.errors.length > 0) throw new ConfigErrors(mapped.errors);
  const { errors: _, ...rest } = mapped;
  return { ...rest, raw, digest: configDigest(raw) };
}

/** Maps the top-level map of a parsed config; problems are returned, not thrown. */
export function optionsFromConfig(root: MapNode, { checkMode = false } = {}): MappedConfig {
  const m = new Mapper();
  if (root.entries.size === 0) m.warn(root.pos, "config has no values or is empty");
  for (const entry of root.entries.values()) {
    const handler = HANDLERS.get(entry.key.toLowerCase());
    if (handler !== undefined) handler(m, entry);
    else if (!entry.usedAsVariable) m.unknown(entry.key, entry.keyPos);
  }
  const effective = { ...defaultOptions(), ...m.options };
  m.errors.push(...validateOptions(effective, m.positions));
  if (checkMode) {
    m.errors.push(...m.warnings.map((w) => new ConfigError(w.position, w.reason)));
    m.warnings = [];
  }
  return m.result();
}

/** Checks between options (nats-server's validateOptions, for the parts natsd has). */
export function validateOptions(o: Options,
  positions: Partial<Record<keyof Options, Position>> = {}): ConfigError[] {
  const errors: ConfigError[] = [];
  const at = (...keys: (keyof Options)[]) =>
    keys.map((k) => positions[k]).find((p) => p !== undefined) ?? NO_POSITION;
  if (o.maxPayloadBytes > o.maxPendingBytes) {
    errors.push(new ConfigError(at("maxPayloadBytes", "maxPendingBytes"),
      `max_payload (${o.maxPayloadBytes}) cannot be higher than max_pending ` +
      `(${o.maxPendingBytes})`));
  }
  if (o.lameDuckDurationMs > 0 && o.lameDuckGracePeriodMs >= o.lameDuckDurationMs) {
    errors.push(new ConfigError(at("lameDuckGracePeriodMs", "lameDuckDurationMs"),
      `lame duck grace period (${formatDurationMs(o.lameDuckGracePeriodMs)}) should be ` +
      `strictly lower than lame duck duration (${formatDurationMs(o.lameDuckDurationMs)})`));
  }
  if (o.serverName.includes(" ")) {
    errors.push(new ConfigError(at("serverName"), "server name cannot contain spaces"));
  }
  errors.push(...auth.validateAuthOptions(o, at));
  return errors;
}

export type Handler = (m: Mapper, entry: ConfigEntry) => void;

/** Collects mapped options and problems; typed getters report a wrong type and return undefined. */
export class Mapper {
  options: Partial<Options> = {};
  positions: Partial<Record<keyof Options, Position>> = {};
  errors: ConfigError[] = [];
  warnings: ConfigWarning[] = [];
  unsupported: UnsupportedKey[] = [];

  result(): MappedConfig {
    const { options, positions, warnings, unsupported, errors } = this;
    return { options, positions, warnings, unsupported, errors };
  }

  set<K extends keyof Options>(field: K, value: Options[K], pos: Position): void {
    this.options[field] = value;
    this.positions[field] = pos;
  }

  error(pos: Position, reason: string): void {
    this.errors.push(new ConfigError(pos, reason));
  }

  warn(pos: Position, reason: string, key?: string): void {
    this.warnings.push({ position: pos, reason, ...(key === undefined ? {} : { key }) });
  }

  /** nats-server refuses to start on a field it does not know, at any level. */
  unknown(path: string, pos: Position): void {
    this.error(pos, `unknown field "${path}"`);
  }

  notAvailable(key: string, pos: Position): void {
    const feature = FEATURE_NOT_AVAILABLE.get(key);
    if (feature !== undefined) this.unsupported.push({ key, position: pos, feature });
  }

  expect<K extends ConfigKind>(entry: ConfigEntry, ...kinds: K[]):
    Extract<ConfigNode, { kind: K }> | undefined {
    const node = entry.value;
    if ((kinds as ConfigKind[]).includes(node.kind)) {
      return node as Extract<ConfigNode, { kind: K }>;
    }
    const wanted = kinds.map(kindName).join(" or ");
    this.error(entry.keyPos, `'${entry.key}' must be ${wanted}, got ${describeNode(node)}`);
    return undefined;
  }

  string(entry: ConfigEntry): string | undefined {
    return this.expect(entry, "string")?.value;
  }

  bool(entry: ConfigEntry): boolean | undefined {
    return this.expect(entry, "bool")?.value;
  }

  /** An integer within [min, max] (defaults: any safe integer). */
  int(entry: ConfigEntry, range: { min?: number; max?: number } = {}): number | undefined {
    const node = this.expect(entry, "int");
    if (node === undefined) return undefined;
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
    if (node.value > BigInt(max)) {
      this.error(entry.keyPos, `${entry.key} value is too big (maximum ${max})`);
      return undefined;
    }
    if (node.value < BigInt(min)) {
      this.error(entry.keyPos, `${entry.key} value is too small (minimum ${min})`);
      return undefined;
    }
    return Number(node.value);
  }

  /** Milliseconds from a Go duration string; an integer counts as seconds, with a warning. */
  duration(entry: ConfigEntry): number | undefined {
    const node = this.expect(entry, "string", "int");
    if (node === undefined) return undefined;
    if (node.kind === "int") {
      this.warn(entry.keyPos, `invalid use of field "${entry.key}": ${entry.key} should be ` +
        `converted to a duration, e.g. "${node.value}s"`, entry.key);
      return Number(node.value) * 1000;
    }
    return this.parseDuration(entry, node.value);
  }

  parseDuration(entry: ConfigEntry, text: string): number | undefined {
    try {
      return parseDurationMs(text);
    } catch (error) {
      if (!(error instanceof DurationError)) throw error;
      this.error(entry.keyPos, `error parsing ${entry.key}: ${error.message}`);
      return undefined;
    }
  }

  /** Type-checks a block natsd keeps for later and records it as unsupported. */
  feature(entry: ConfigEntry, key: string, schema: Schema): void {
    const errorsBefore = this.errors.length;
    validate(entry.value, schema, entry.key, {
      error: (pos, reason) => this.error(pos, reason),
      unknown: (path, pos) => this.unknown(path, pos),
    }, 0, entry.keyPos);
    const disabled = entry.value.kind === "bool" && !entry.value.value;
    if (this.errors.length === errorsBefore && !disabled) this.notAvailable(key, entry.keyPos);
  }
}

const INT32_MAX = 2 ** 31 - 1;

/** nats-server's parseListen: a port, or "host:port" split as Go's net.SplitHostPort does. */
export function parseHostPort(text: string): { host: string; port: number } | string {
  let host: string;
  let portText: string;
  if (text.startsWith("[")) {
    const end = text.indexOf("]");
    if (end < 0 || text[end + 1] !== ":") return `could not parse address string "${text}"`;
    host = text.slice(1, end);
    portText = text.slice(end + 2);
  } else {
    const colon = text.lastIndexOf(":");
    if (colon < 0) return `could not parse address string "${text}"`;
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (host.includes(":")) return `could not parse address string "${text}"`;
  }
  if (!/^[+-]?[0-9]+$/.test(portText)) return `could not parse port "${portText}"`;
  return { host, port: Number(portText) };
}

function listenInto(m: Mapper, entry: ConfigEntry, hostField: "host" | "httpHost" | "wsHost",
  portField: "port" | "httpPort" | "httpsPort" | "wsPort"): void {
  const node = m.expect(entry, "int", "string");
  if (node === undefined) return;
  if (node.kind === "int") {
    m.set(portField, Number(node.value), entry.keyPos);
    return;
  }
  const parsed = parseHostPort(node.value);
  if (typeof parsed === "string") {
    m.error(entry.keyPos, parsed);
    return;
  }
  if (parsed.host !== "") m.set(hostField, parsed.host, entry.keyPos);
  m.set(portField, parsed.port, entry.keyPos);
}

function stringField(field: keyof Options & string): Handler {
  return (m, e) => {
    const v = m.string(e);
    if (v !== undefined) m.set(field, v as never, e.keyPos);
  };
}

function boolField(field: keyof Options & string, alsoTrace = false): Handler {
  return (m, e) => {
    const v = m.bool(e);
    if (v === undefined) return;
    m.set(field, v as never, e.keyPos);
    if (alsoTrace) m.set("trace", v, e.keyPos);
  };
}

/** An integer option; Go treats 0 as "use the default" for these, so 0 sets nothing. */
function intField(field: keyof Options & string, range: { min?: number; max?: number } = {},
  zeroIsDefault = false, scale = 1): Handler {
  return (m, e) => {
    const v = m.int(e, range);
    if (v === undefined || (zeroIsDefault && v === 0)) return;
    m.set(field, (v * scale) as never, e.keyPos);
  };
}

function durationField(field: keyof Options & string): Handler {
  return (m, e) => {
    const v = m.duration(e);
    if (v !== undefined && v !== 0) m.set(field, v as never, e.keyPos);
  };
}

/** TLS keys natsd maps; the rest of the block is type-checked and reported. */
const TLS_MAPPED = new Set(["cert_file", "key_file", "ca_file", "verify", "verify_and_map",
  "timeout", "handshake_first", "first", "immediate", "pinned_certs", "min_version",
  "minimum_version", "cipher_suites", "curve_preferences"]);

/** The client `tls {}` block (nats-server's parseTLS for the parts natsd serves). */
const tlsBlock: Handler = (m, e) => {
  const before = m.errors.length;
  validate(e.value, features.tlsSchema, e.key,
    { error: (p, r) => m.error(p, r), unknown: (path, pos) => m.unknown(path, pos) }, 0, e.keyPos);
  if (m.errors.length > before || e.value.kind !== "map") return;
  m.set("tls", true, e.keyPos);
  for (const [key, child] of e.value.entries) {
    const k = key.toLowerCase();
    const v = child.value;
    if (!TLS_MAPPED.has(k)) {
      m.unsupported.push({ key: `tls.${k}`, position: child.keyPos, feature: `TLS '${k}'` });
      continue;
    }
    if (k === "cert_file" && v.kind === "string") m.set("tlsCertFile", v.value, child.keyPos);
    else if (k === "key_file" && v.kind === "string") m.set("tlsKeyFile", v.value, child.keyPos);
    else if (k === "ca_file" && v.kind === "string") m.set("tlsCaFile", v.value, child.keyPos);
    else if (k === "verify" && v.kind === "bool") m.set("tlsVerify", v.value, child.keyPos);
    else if (k === "verify_and_map" && v.kind === "bool") {
      m.set("tlsVerifyAndMap", v.value, child.keyPos);
      if (v.value) m.set("tlsVerify", true, child.keyPos);
    } else if (k === "timeout") {
      const seconds = v.kind === "int" ? Number(v.value) : v.kind === "float" ? v.value : undefined;
      const ms = seconds !== undefined ? seconds * 1000 :
        v.kind === "string" ? m.parseDuration(child, v.value) : undefined;
      if (ms !== undefined) m.set("tlsTimeoutMs", ms, child.keyPos);
    } else if (k === "handshake_first" || k === "first" || k === "immediate") {
      tlsHandshakeFirst(m, child);
    } else if (k === "pinned_certs" && v.kind === "array") {
      const pins = v.items.flatMap((i) => (i.kind === "string" ? [i.value.toLowerCase()] : []));
      m.set("tlsPinnedCerts", pins, child.keyPos);
    } else if (k === "cipher_suites" && v.kind === "array") {
      const names = v.items.flatMap((i) => (i.kind === "string" ? [i.value] : []));
      const unknown = names.find((name) => !isKnownCipherSuite(name));
      if (unknown !== undefined) m.error(child.keyPos, `unrecognized cipher ${unknown}`);
      else m.set("tlsCipherSuites", names, child.keyPos);
    } else if (k === "curve_preferences" && v.kind === "array") {
      tlsCurvePreferences(m, child, v.items.flatMap((i) => (i.kind === "string" ? [i.value] : [])));
    } else if ((k === "min_version" || k === "minimum_version") && v.kind === "string") {
      if (v.value !== "1.2" && v.value !== "1.3") {
        m.error(child.keyPos, `unsupported TLS version: ${v.value}`);
      } else {
        m.set("tlsMinVersion", v.value, child.keyPos);
      }
    }
  }
};

/** WebSocket keys natsd maps; the rest of the block is type-checked and reported. */
const WS_MAPPED = new Set(["listen", "port", "host", "net", "no_tls", "tls", "same_origin",
  "allowed_origins", "allowed_origin", "allow_origins", "allow_origin", "origins", "origin",
  "compression", "compress", "handshake_timeout", "authorization", "authentication",
  "no_auth_user", "user_cookie", "pass_cookie", "token_cookie", "jwt_cookie"]);

const WS_COOKIES: Record<string,
  "wsUserCookie" | "wsPassCookie" | "wsTokenCookie" | "wsJwtCookie"> = {
  user_cookie: "wsUserCookie", pass_cookie: "wsPassCookie", token_cookie: "wsTokenCookie",
  jwt_cookie: "wsJwtCookie",
};

/** websocket { authorization { user, pass, token, timeout } } */
function websocketAuthorization(m: Mapper, e: ConfigEntry): void {
  if (e.value.kind !== "map") return;
  for (const [key, child] of e.value.entries) {
    const k = key.toLowerCase();
    const v = child.value;
    if ((k === "user" || k === "username") && v.kind === "string") {
      m.set("wsAuthUsername", v.value, child.keyPos);
    } else if ((k === "pass" || k === "password") && v.kind === "string") {
      m.set("wsAuthPassword", v.value, child.keyPos);
    } else if (k === "token" && v.kind === "string") {
      m.set("wsAuthToken", v.value, child.keyPos);
    } else if (k !== "timeout") {
      m.unsupported.push({ key: `websocket.authorization.${k}`, position: child.keyPos,
        feature: `WebSocket authorization '${k}'` });
    }
  }
  if (m.options.wsAuthToken && (m.options.wsAuthUsername || m.options.wsAuthPassword)) {
    m.error(e.keyPos, "websocket authorization: Cannot have a user/pass and token");
  }
}

/** The `websocket {}` block (nats-server's parseWebsocket for the parts natsd serves). */
const websocketBlock: Handler = (m, e) => {
  const before = m.errors.length;
  validate(e.value, features.websocketSchema, e.key,
    { error: (p, r) => m.error(p, r), unknown: (path, pos) => m.unknown(path, pos) }, 0, e.keyPos);
  if (m.errors.length > before || e.value.kind !== "map") return;
  for (const [key, child] of e.value.entries) {
    const k = key.toLowerCase();
    const v = child.value;
    if (!WS_MAPPED.has(k)) {
      m.unsupported.push({ key: `websocket.${k}`, position: child.keyPos,
        feature: `WebSocket '${k}'` });
    } else if (k === "listen") {
      listenInto(m, child, "wsHost", "wsPort");
    } else if (k === "port" && v.kind === "int") {
      m.set("wsPort", Number(v.value), child.keyPos);
    } else if ((k === "host" || k === "net") && v.kind === "string") {
      m.set("wsHost", v.value, child.keyPos);
    } else if (k === "no_tls" && v.kind === "bool") {
      m.set("wsNoTls", v.value, child.keyPos);
    } else if (k === "same_origin" && v.kind === "bool") {
      m.set("wsSameOrigin", v.value, child.keyPos);
    } else if ((k === "compression" || k === "compress") && v.kind === "bool") {
      m.set("wsCompression", v.value, child.keyPos);
    } else if (k === "authorization" || k === "authentication") {
      websocketAuthorization(m, child);
    } else if (k === "no_auth_user" && v.kind === "string") {
      m.set("wsNoAuthUser", v.value, child.keyPos);
    } else if (k in WS_COOKIES && v.kind === "string") {
      m.set(WS_COOKIES[k], v.value, child.keyPos);
    } else if (k === "handshake_timeout" && v.kind === "string") {
      const ms = m.parseDuration(child, v.value);
      if (ms !== undefined) m.set("wsHandshakeTimeoutMs", ms, child.keyPos);
    } else if (k === "handshake_timeout" && v.kind === "int") {
      // A number is seconds, as in nats-server.
      m.set("wsHandshakeTimeoutMs", Number(v.value) * 1000, child.keyPos);
    } else if (k === "tls" && v.kind === "map") {
      websocketTlsBlock(m, v);
    } else if (v.kind === "string" || v.kind === "array") {
      const origins = v.kind === "string" ? [v.value] :
        v.items.flatMap((i) => (i.kind === "string" ? [i.value] : []));
      m.set("wsAllowedOrigins", origins, child.keyPos);
    }
  }
};

/** curve_preferences: Go's names, refused as Go refuses them; unavailable ones reported. */
function tlsCurvePreferences(m: Mapper, e: ConfigEntry, names: string[]): void {
  try {
    for (const name of checkCurvePreferences(names)) {
      m.unsupported.push({ key: "tls.curve_preferences", position: e.keyPos,
        feature: `TLS curve preference ${name}` });
    }
  } catch (error) {
    if (!(error instanceof CurvePreferenceError)) throw error;
    m.error(e.keyPos, error.message);
    return;
  }
  m.set("tlsCurvePreferences", names, e.keyPos);
}

/** websocket { tls {} }: certificates, client verification, cipher and curve lists. */
function websocketTlsBlock(m: Mapper, block: MapNode): void {
  for (const [tk, tv] of block.entries) {
    const name = tk.toLowerCase();
    const v = tv.value;
    if (name === "cert_file" && v.kind === "string") {
      m.set("wsTlsCertFile", v.value, tv.keyPos);
    } else if (name === "key_file" && v.kind === "string") {
      m.set("wsTlsKeyFile", v.value, tv.keyPos);
    } else if (name === "ca_file" && v.kind === "string") {
      m.set("wsTlsCaFile", v.value, tv.keyPos);
    } else if (name === "verify" && v.kind === "bool") {
      m.set("wsTlsVerify", v.value, tv.keyPos);
    } else if (name === "cipher_suites" && v.kind === "array") {
      const names = v.items.flatMap((i) => (i.kind === "string" ? [i.value] : []));
      const unknown = names.find((n) => !isKnownCipherSuite(n));
      if (unknown !== undefined) m.error(tv.keyPos, `unrecognized cipher ${unknown}`);
      else m.set("wsTlsCipherSuites", names, tv.keyPos);
    } else if (name === "curve_preferences" && v.kind === "array") {
      const names = v.items.flatMap((i) => (i.kind === "string" ? [i.value] : []));
      try {
        checkCurvePreferences(names);
        m.set("wsTlsCurvePreferences", names, tv.keyPos);
      } catch (error) {
        if (!(error instanceof CurvePreferenceError)) throw error;
        m.error(tv.keyPos, error.message);
      }
    } else {
      m.unsupported.push({ key: `websocket.tls.${name}`, position: tv.keyPos,
        feature: `WebSocket TLS '${name}'` });
    }
  }
}

/** handshake_first: true/false, "auto" (50ms fallback) or a fallback duration. */
function tlsHandshakeFirst(m: Mapper, e: ConfigEntry): void {
  const v = e.value;
  if (v.kind === "bool") {
    m.set("tlsHandshakeFirstMs", v.value ? -1 : 0, e.keyPos);
  } else if (v.kind === "string") {
    const text = v.value.toLowerCase();
    if (text === "auto" || text === "auto_fallback") {
      m.set("tlsHandshakeFirstMs", DEFAULTS.tlsHandshakeFirstFallbackMs, e.keyPos);
    } else if (text === "true" || text === "on") {
      m.set("tlsHandshakeFirstMs", -1, e.keyPos);
    } else if (text === "false" || text === "off") {
      m.set("tlsHandshakeFirstMs", 0, e.keyPos);
    } else {
      const ms = m.parseDuration(e, v.value);
      if (ms !== undefined) m.set("tlsHandshakeFirstMs", ms, e.keyPos);
    }
  }
}

function featureBlock(key: string, schema: Schema): Handler {
  return (m, e) => m.feature(e, key, schema);
}

const serverTags: Handler = (m, e) => {
  const node = m.expect(e, "string", "array");
  if (node === undefined) return;
  validate(node, strOrList, e.key, { error: (p, r) => m.error(p, r), unknown: () => {} }, 0,
    e.keyPos);
  const tags = node.kind === "string" ? [node.value] :
    node.items.flatMap((i) => (i.kind === "string" ? [i.value] : []));
  m.set("serverTags", [...new Set([...(m.options.serverTags ?? []), ...tags])], e.keyPos);
};

function recordField<V>(field: "serverMetadata" | "featureFlags", values: Schema,
  pick: (n: ConfigNode) => V | undefined): Handler {
  return (m, e) => {
    const node = m.expect(e, "map");
    if (node === undefined) return;
    const before = m.errors.length;
    validate(node, dict(values), e.key, { error: (p, r) => m.error(p, r), unknown: () => {} },
      0, e.keyPos);
    if (m.errors.length > before) return;
    const out: Record<string, V> = {};
    for (const [k, child] of node.entries) {
      const v = pick(child.value);
      if (v !== undefined) out[k] = v;
    }
    m.set(field, out as never, e.keyPos);
  };
}

const maxConnections: Handler = (m, e) => {
  const v = m.int(e);
  // Go: 0 in a config file means "accept no connections" (stored as -1).
  if (v !== undefined) m.set("maxConnections", v === 0 ? -1 : v, e.keyPos);
};

const maxSubTokens: Handler = (m, e) => {
  const v = m.int(e);
  if (v === undefined) return;
  if (v > 255) m.error(e.keyPos, `${e.key} value is too big`);
  else if (v <= 0) m.error(e.keyPos, `${e.key} value can not be negative`);
  else m.set("maxSubTokens", v, e.keyPos);
};

const writeTimeout: Handler = (m, e) => {
  const v = m.string(e);
  if (v === undefined) return;
  if (v === "default" || v === "close" || v === "retry") m.set("writeTimeoutPolicy", v, e.keyPos);
  else m.error(e.keyPos, "write_timeout must be 'default', 'close' or 'retry'");
};

function lameDuck(field: "lameDuckDurationMs" | "lameDuckGracePeriodMs"): Handler {
  return (m, e) => {
    const text = m.string(e);
    if (text === undefined) return;
    const ms = m.parseDuration(e, text);
    if (ms === undefined) return;
    if (field === "lameDuckDurationMs" && ms < 30_000) {
      m.error(e.keyPos, `invalid lame_duck_duration of ${formatDurationMs(ms)}, minimum is ` +
        "30 seconds");
    } else if (field === "lameDuckGracePeriodMs" && ms < 0) {
      m.error(e.keyPos, "invalid lame_duck_grace_period, needs to be positive");
    } else if (ms !== 0) {
      m.set(field, ms, e.keyPos);
    }
  };
}

const serverName: Handler = (m, e) => {
  const v = m.string(e);
  if (v === undefined) return;
  if (v.includes(" ")) m.error(e.keyPos, "server name cannot contain spaces");
  else m.set("serverName", v, e.keyPos);
};

function setStoreDir(m: Mapper, dir: string, pos: Position): void {
  if (m.options.storeDir !== undefined && m.options.storeDir !== "") {
    m.error(pos, "Duplicate 'store_dir' configuration");
    return;
  }
  m.set("storeDir", dir, pos);
}

const jetstream: Handler = (m, e) => {
  const before = m.errors.length;
  validate(e.value, features.jetstreamSchema, e.key,
    { error: (p, r) => m.error(p, r), unknown: (path, pos) => m.unknown(path, pos) }, 0, e.keyPos);
  if (m.errors.length > before) return;
  const v = e.value;
  let enabled = true;
  if (v.kind === "bool") enabled = v.value;
  else if (v.kind === "string") enabled = v.value.toLowerCase().startsWith("enable");
  else if (v.kind === "map") {
    enabled = mapJetStreamBlock(m, v, (dir, pos) => setStoreDir(m, dir, pos));
  }
  m.set("jetstream", enabled, e.keyPos);
};

const storeDir: Handler = (m, e) => {
  const v = m.string(e);
  if (v !== undefined) setStoreDir(m, v, e.keyPos);
};

/** Blocks for features natsd does not have yet: type-checked, kept, reported. */
const FEATURE_BLOCKS: Record<string, Handler> = {
  accounts: auth.accounts,
  "system_account|system": auth.systemAccount,
  "no_system_account|no_system|no_sys_acc": auth.noSystemAccount,
  default_sentinel: auth.defaultSentinel,
  tls: tlsBlock,
  allow_non_tls: boolField("allowNonTls"),
  ocsp: featureBlock("ocsp", features.ocspSchema),
  ocsp_cache: featureBlock("ocsp_cache", features.ocspCacheSchema),
  "operator|operators|roots|root|root_operators|root_operator": auth.operator,
  "trusted|trusted_keys": auth.trustedKeys,
  "resolver|account_resolver|accounts_resolver": auth.resolver,
  resolver_tls: featureBlock("resolver_tls", features.tlsSchema),
  resolver_preload: auth.resolverPreload,
  resolver_pinned_accounts: auth.resolverPinnedAccounts,
  "mappings|maps": auth.mappings,
  cluster: (m, e) => {
    // Routes are not built yet; the name still selects cluster-scoped mapping destinations.
    m.feature(e, "cluster", features.clusterSchema);
    const name = e.value.kind === "map" ? e.value.entries.get("name")?.value : undefined;
    if (name?.kind === "string") m.set("clusterName", name.value, e.keyPos);
  },
  gateway: featureBlock("gateway", features.gatewaySchema),
  "leaf|leafnodes": featureBlock("leafnodes", features.leafnodesSchema),
  default_js_domain: featureBlock("default_js_domain", features.defaultJsDomainSchema),
  "websocket|ws": websocketBlock,
  mqtt: featureBlock("mqtt", features.mqttSchema),
  proxies: auth.proxies,
  proxy_protocol: featureBlock("proxy_protocol", bool),
};

/** Handlers by lower-case key; "a|b" entries declare aliases. */
const HANDLER_TABLE: Record<string, Handler> = {
  // Listen / identity
  listen: (m, e) => listenInto(m, e, "host", "port"),
  port: intField("port", { min: -1, max: 65535 }, true),
  "host|net": stringField("host"),
  client_advertise: stringField("clientAdvertise"),
  server_name: serverName,
  server_tags: serverTags,
  server_metadata: recordField("serverMetadata", str,
    (n) => (n.kind === "string" ? n.value : undefined)),
  feature_flags: recordField("featureFlags", bool,
    (n) => (n.kind === "bool" ? n.value : undefined)),
  // Logging
  debug: boolField("debug"),
  trace: boolField("trace"),
  trace_verbose: boolField("traceVerbose", true),
  trace_headers: boolField("traceHeaders", true),
  logtime: boolField("logtime"),
  logtime_utc: boolField("logtimeUtc"),
  "logfile|log_file": stringField("logFile"),
  "logfile_size_limit|log_size_limit": intField("logSizeLimitBytes", { min: 0 }),
  "logfile_max_num|log_max_num": intField("logMaxFiles", { min: 0 }),
  syslog: boolField("syslog"),
  remote_syslog: stringField("remoteSyslog"),
  max_traced_msg_len: intField("maxTracedMsgLen", { min: 0 }),
  connect_error_reports: intField("connectErrorReports", {}, true),
  reconnect_error_reports: intField("reconnectErrorReports", {}, true),
  // Limits
  "max_connections|max_conn": maxConnections,
  "max_subscriptions|max_subs": intField("maxSubscriptions"),
  "max_sub_tokens|max_subscription_tokens": maxSubTokens,
  max_payload: intField("maxPayloadBytes", { min: 0, max: INT32_MAX }, true),
  max_control_line: intField("maxControlLineBytes", { min: 0, max: INT32_MAX }, true),
  max_pending: intField("maxPendingBytes", { min: 0 }, true),
  max_closed_clients: intField("maxClosedClients", {}, true),
  ping_interval: durationField("pingIntervalMs"),
  ping_max: intField("pingMax", {}, true),
  write_deadline: durationField("writeDeadlineMs"),
  write_timeout: writeTimeout,
  no_fast_producer_stall: boolField("noFastProducerStall"),
  // Process
  "pidfile|pid_file": stringField("pidFile"),
  ports_file_dir: stringField("portsFileDir"),
  lame_duck_duration: lameDuck("lameDuckDurationMs"),
  lame_duck_grace_period: lameDuck("lameDuckGracePeriodMs"),
  "disable_sublist_cache|no_sublist_cache": boolField("noSublistCache"),
  no_header_support: boolField("noHeaderSupport"),
  // Monitoring
  http: (m, e) => listenInto(m, e, "httpHost", "httpPort"),
  https: (m, e) => listenInto(m, e, "httpHost", "httpsPort"),
  "http_port|monitor_port": intField("httpPort", { min: -1 }),
  https_port: intField("httpsPort", { min: -1 }),
  http_base_path: stringField("httpBasePath"),
  // Profiling (mapped; reported until the server serves it)
  prof_port: withNotice("prof_port", intField("profPort", { min: -1 })),
  prof_block_rate: withNotice("prof_block_rate", intField("profBlockRate")),
  // Auth: users, permissions and accounts (auth_options.ts)
  authorization: auth.authorization,
  no_auth_user: auth.noAuthUser,
  // JetStream
  jetstream,
  "store_dir|storedir": storeDir,
  ...FEATURE_BLOCKS,
};

const HANDLERS = new Map<string, Handler>(Object.entries(HANDLER_TABLE)
  .flatMap(([names, handler]) => names.split("|").map((name) => [name, handler] as const)));

function withNotice(key: string, handler: Handler): Handler {
  return (m, e) => {
    const before = m.errors.length;
    handler(m, e);
    if (m.errors.length === before) m.notAvailable(key, e.keyPos);
  };
}
