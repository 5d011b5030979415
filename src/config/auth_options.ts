/**
 * The security keys of a config file, mapped as nats-server's opts.go parses them:
 * `authorization {}` (single user, token, `users`, `default_permissions`, `timeout`),
 * `accounts {}` (users, exports, imports, mappings, limits), top-level `mappings`,
 * `no_auth_user`, `system_account` and `no_system_account`. Error texts are nats-server's.
 * Blocks are type-checked by their schema first, so the code below can trust value shapes.
 * @module
 */
import {
  emptyAccountConfig, type AccountConfig, type MappingConfig, type MappingDestinationConfig,
  type ResponseType, type ServiceExportConfig, type StreamExportConfig,
} from "../accounts/types.ts";
import { linkAccounts } from "../accounts/links.ts";
import { mappingProblem } from "../accounts/mappings.ts";
import {
  isValidPublicAccountKey, isValidPublicCurveKey, isValidPublicUserKey,
} from "../auth/nkeys.ts";
import { validateOperatorOptions } from "../auth/jwt/operator_config.ts";
import { isValidProxyKey } from "../auth/proxies.ts";
import { checkPermissionSubjects, PermissionSubjectError } from "../auth/subject_patterns.ts";
import {
  type AuthCalloutConfig, CONNECTION_TYPES, type ConnectionType, type NkeyUserConfig,
  type PermissionsConfig,
  RESPONSE_PERMISSION_DEFAULTS, type SubjectPermissionConfig, type UserConfig,
} from "../auth/types.ts";
import type { Options } from "../server/options.ts";
import { isValidSubject } from "../subjects/subject.ts";
import { ConfigError, NO_POSITION, type Position } from "./errors.ts";
import * as features from "./feature_schemas.ts";
import { mapAccountJetStream } from "./jetstream_options.ts";
import type { Handler, Mapper } from "./options_from_config.ts";
import { schemaChecked, strings } from "./mapper_checks.ts";
import type { ConfigEntry, ConfigNode, MapNode } from "./values.ts";

/** Go's `globalAccountName`: no configured account may take it. */
const RESERVED_ACCOUNT = "$G";
/** Go's DEFAULT_SYSTEM_ACCOUNT: created when named and not configured. */
const SYSTEM_ACCOUNT = "$SYS";

/** Go's %q for a string slice: ["A" "B"]. */
function quoteList(list: string[]): string {
  return `[${list.map((s) => JSON.stringify(s)).join(" ")}]`;
}

// ---- Permissions ------------------------------------------------------------------------

function subjectPermission(m: Mapper, e: ConfigEntry, allowQueue: boolean):
  SubjectPermissionConfig | null | undefined {
  const v = e.value;
  const checked = (node: ConfigEntry): string[] | undefined => {
    const list = strings(node.value);
    try {
      checkPermissionSubjects(list, allowQueue);
      return list;
    } catch (error) {
      if (!(error instanceof PermissionSubjectError)) throw error;
      m.error(node.keyPos, error.message);
      return undefined;
    }
  };
  if (v.kind !== "map") {
    const allow = checked(e);
    return allow === undefined ? undefined : { allow, deny: null };
  }
  if (v.entries.size === 0) return null;
  const result: SubjectPermissionConfig = { allow: null, deny: null };
  for (const [key, child] of v.entries) {
    const list = checked(child);
    if (list === undefined) return undefined;
    if (key.toLowerCase() === "allow") result.allow = list;
    else result.deny = list;
  }
  return result;
}

function allowResponses(m: Mapper, e: ConfigEntry): PermissionsConfig["response"] | undefined {
  const v = e.value;
  if (v.kind === "bool") return v.value ? { ...RESPONSE_PERMISSION_DEFAULTS } : null;
  if (v.kind !== "map") return undefined;
  const response = { ...RESPONSE_PERMISSION_DEFAULTS };
  for (const [key, child] of v.entries) {
    const k = key.toLowerCase();
    const c = child.value;
    if (["max", "max_msgs", "max_messages", "max_responses"].includes(k) && c.kind === "int") {
      // Negative means unlimited; 0 keeps the default.
      if (c.value !== 0n) response.maxMsgs = Number(c.value);
    } else if (c.kind !== "string") {
      m.error(child.keyPos, "error parsing expires, not a duration string");
      return undefined;
    } else {
      const ms = m.parseDuration(child, c.value);
      if (ms === undefined) return undefined;
      if (ms !== 0) response.expiresMs = ms;
    }
  }
  return response;
}

/** Go's parseUserPermissions over a schema-checked map. */
export function parsePermissions(m: Mapper, e: ConfigEntry): PermissionsConfig | undefined {
  if (e.value.kind !== "map") return undefined;
  const p: PermissionsConfig = { publish: null, subscribe: null, response: null };
  let ok = true;
  for (const [key, child] of e.value.entries) {
    const k = key.toLowerCase();
    if (k === "pub" || k === "publish" || k === "import") {
      const side = subjectPermission(m, child, false);
      if (side === undefined) ok = false;
      else p.publish = side;
    } else if (k === "sub" || k === "subscribe" || k === "export") {
      const side = subjectPermission(m, child, true);
      if (side === undefined) ok = false;
      else p.subscribe = side;
    } else {
      const response = allowResponses(m, child);
      if (response === undefined) ok = false;
      else p.response = response;
    }
  }
  if (!ok) return undefined;
  if (p.response !== null) {
    // Go: response rights turn off the blanket publish allow.
    p.publish = { allow: p.publish?.allow ?? [], deny: p.publish?.deny ?? null };
  }
  return p;
}

// ---- Users ------------------------------------------------------------------------------

interface ParsedUsers {
  users: UserConfig[];
  nkeys: NkeyUserConfig[];
}

function connectionTypes(m: Mapper, e: ConfigEntry): ConnectionType[] {
  const known: ConnectionType[] = [];
  const unknown: string[] = [];
  for (const name of strings(e.value)) {
    const upper = name.toUpperCase();
    if ((CONNECTION_TYPES as readonly string[]).includes(upper)) {
      if (!known.includes(upper as ConnectionType)) known.push(upper as ConnectionType);
    } else {
      unknown.push(upper);
    }
  }
  if (unknown.length > 0) m.error(e.keyPos, `invalid connection types ${quoteList(unknown)}`);
  return known;
}

/** One `users` entry; null when it was refused (the error is reported). */
function parseUser(m: Mapper, node: ConfigNode, path: string):
  UserConfig | NkeyUserConfig | null {
  if (node.kind !== "map") return null;
  let nkey = "";
  let username = "";
  let password = "";
  let permissions: PermissionsConfig | null = null;
  let types: ConnectionType[] = [];
  let proxyRequired = false;
  for (const [key, child] of node.entries) {
    const k = key.toLowerCase();
    const v = child.value;
    if (k === "nkey" && v.kind === "string") nkey = v.value;
    else if ((k === "user" || k === "username") && v.kind === "string") username = v.value;
    else if ((k === "pass" || k === "password") && v.kind === "string") password = v.value;
    else if (k === "permission" || k === "permissions" || k === "authorization") {
      permissions = parsePermissions(m, child) ?? null;
    } else if (k === "allowed_connection_types" || k === "connection_types" || k === "clients") {
      types = connectionTypes(m, child);
    } else if (k === "proxy_required" && v.kind === "bool") {
      proxyRequired = v.value;
    } else if (!child.usedAsVariable) {
      m.unknown(`${path}.${key}`, child.keyPos);
    }
  }
  const common = { permissions, defaultPermissions: false, account: "",
    allowedConnectionTypes: types, ...(proxyRequired ? { proxyRequired } : {}) };
  if (nkey === "" && username === "") {
    m.error(node.pos, "User entry requires a user");
    return null;
  }
  if (nkey === "") return { username, password, ...common };
  if (!isValidPublicUserKey(nkey)) {
    m.error(node.pos, "Not a valid public nkey for a user");
    return null;
  }
  if (username !== "" || password !== "") {
    m.error(node.pos, "Nkey users do not take usernames or passwords");
    return null;
  }
  return { nkey, ...common };
}

/** `path` names the list in messages, e.g. "authorization.users". */
function parseUsers(m: Mapper, e: ConfigEntry, path: string): ParsedUsers {
  const parsed: ParsedUsers = { users: [], nkeys: [] };
  if (e.value.kind !== "array") return parsed;
  e.value.items.forEach((item, i) => {
    const user = parseUser(m, item, `${path}[${i}]`);
    if (user === null) return;
    if ("nkey" in user) parsed.nkeys.push(user);
    else parsed.users.push(user);
  });
  return parsed;
}

/** Go's applyDefaultPermissions: users without their own permissions take the defaults. */
function applyDefaultPermissions(parsed: ParsedUsers, defaults: PermissionsConfig | null): void {
  if (defaults === null) return;
  for (const user of [...parsed.users, ...parsed.nkeys]) {
    if (user.permissions === null) {
      user.permissions = defaults;
      user.defaultPermissions = true;
    }
  }
}

/** Adds users to the options, refusing a name or nkey already taken (in any account). */
function addUsers(m: Mapper, parsed: ParsedUsers, account: string, pos: Position): void {
  const users = m.options.users ?? [];
  const nkeys = m.options.nkeys ?? [];
  const taken = new Set([...users.map((u) => u.username), ...nkeys.map((n) => n.nkey)]);
  for (const nkey of parsed.nkeys) {
    if (taken.has(nkey.nkey)) {
      m.error(pos, `Duplicate nkey ${JSON.stringify(nkey.nkey)} detected`);
      return;
    }
    taken.add(nkey.nkey);
    nkeys.push({ ...nkey, account });
  }
  for (const user of parsed.users) {
    if (taken.has(user.username)) {
      m.error(pos, `Duplicate user ${JSON.stringify(user.username)} detected`);
      return;
    }
    taken.add(user.username);
    users.push({ ...user, account });
  }
  m.set("users", users, pos);
  m.set("nkeys", nkeys, pos);
}

// ---- authorization {} -------------------------------------------------------------------

/** Seconds as an integer or float, or a duration string; over a minute is suspicious. */
function authTimeout(m: Mapper, e: ConfigEntry): void {
  const v = e.value;
  const seconds = v.kind === "int" ? Number(v.value) : v.kind === "float" ? v.value :
    v.kind === "string" ? (m.parseDuration(e, v.value) ?? NaN) / 1000 : NaN;
  if (Number.isNaN(seconds)) return;
  if (seconds > 60) {
    m.warn(e.keyPos, `timeout of ${seconds} seconds is high, consider keeping it under 60 ` +
      "seconds. possibly caused by unquoted duration; use '1m' instead of 1m, for example",
      "authorization.timeout");
  }
  if (seconds !== 0) m.set("authTimeoutMs", seconds * 1000, e.keyPos);
}

interface AuthorizationBlock {
  user: string;
  pass: string;
  token: string;
  users: ParsedUsers | null;
  defaults: PermissionsConfig | null;
}

function readAuthorization(m: Mapper, block: MapNode, path: string): AuthorizationBlock {
  const auth: AuthorizationBlock = { user: "", pass: "", token: "", users: null, defaults: null };
  for (const [key, child] of block.entries) {
    const k = key.toLowerCase();
    const v = child.value;
    if (k === "timeout") authTimeout(m, child);
    else if ((k === "user" || k === "username") && v.kind === "string") auth.user = v.value;
    else if ((k === "pass" || k === "password") && v.kind === "string") auth.pass = v.value;
    else if (k === "token" && v.kind === "string") auth.token = v.value;
    else if (k === "users") auth.users = parseUsers(m, child, `${path}.${key}`);
    else if (["default_permission", "default_permissions", "permissions"].includes(k)) {
      auth.defaults = parsePermissions(m, child) ?? null;
    } else if (k === "proxy_required" && v.kind === "bool") {
      m.set("proxyRequired", v.value, child.keyPos);
    } else if (k === "auth_callout" || k === "auth_hook") {
      const callout = parseAuthCallout(m, child);
      if (callout !== null) m.set("authCallout", callout, child.keyPos);
    } else {
      m.notAvailable(`authorization.${k}`, child.keyPos);
    }
  }
  return auth;
}

/** Go's parseAuthCallout (the schema checked the value types). */
function parseAuthCallout(m: Mapper, e: ConfigEntry): AuthCalloutConfig | null {
  if (e.value.kind !== "map") return null;
  const callout: AuthCalloutConfig = { issuer: "", account: "", authUsers: [], xkey: "",
    allowedAccounts: [] };
  for (const [key, child] of e.value.entries) {
    const k = key.toLowerCase();
    const v = child.value;
    const text = v.kind === "string" ? v.value : "";
    if (k === "issuer") {
      if (!isValidPublicAccountKey(text)) {
        m.error(child.keyPos, "Expected callout user to be a valid public account nkey, got " +
          JSON.stringify(text));
        return null;
      }
      callout.issuer = text;
    } else if (k === "account" || k === "acc") callout.account = text;
    else if (k === "auth_users" || k === "users") callout.authUsers = strings(v);
    else if (k === "xkey" || k === "key") {
      if (!isValidPublicCurveKey(text)) {
        m.error(child.keyPos, "Expected callout xkey to be a valid public xkey, got " +
          JSON.stringify(text));
        return null;
      }
      callout.xkey = text;
    } else if (k === "allowed_accounts") callout.allowedAccounts = strings(v);
  }
  if (callout.account === "") callout.account = RESERVED_ACCOUNT;
  if (callout.issuer === "") {
    m.error(e.keyPos, "Authorization callouts require an issuer to be specified");
    return null;
  }
  if (callout.authUsers.length === 0) {
    m.error(e.keyPos, "Authorization callouts require authorized users to be specified");
    return null;
  }
  return callout;
}

/** The top-level `authorization {}` block (Go's parseAuthorization and its caller). */
export const authorization: Handler = (m, e) => {
  if (!schemaChecked(m, e, features.authorizationSchema) || e.value.kind !== "map") return;
  const auth = readAuthorization(m, e.value, e.key);
  if (auth.user !== "") m.set("username", auth.user, e.keyPos);
  if (auth.pass !== "") m.set("password", auth.pass, e.keyPos);
  if (auth.token !== "") m.set("authToken", auth.token, e.keyPos);
  if ((auth.user !== "" || auth.pass !== "") && auth.token !== "") {
    m.error(e.keyPos, "Cannot have a user/pass and token");
    return;
  }
  const accountUsers = (m.options.users?.length ?? 0) + (m.options.nkeys?.length ?? 0);
  if (auth.users === null && accountUsers === 0) return;
  if (auth.user !== "") {
    m.error(e.keyPos, "Can not have a single user/pass and a users array");
    return;
  }
  if (auth.token !== "") {
    m.error(e.keyPos, "Can not have a token and a users array");
    return;
  }
  if (auth.users === null) return;
  applyDefaultPermissions(auth.users, auth.defaults);
  addUsers(m, auth.users, "", e.keyPos);
};

// ---- accounts {} ------------------------------------------------------------------------

function responseType(text: string): ResponseType {
  const t = text.toLowerCase();
  return t === "stream" ? "Streamed" : t === "chunk" || t === "chunked" ? "Chunked" : "Singleton";
}

/** One `exports` item: a stream or a service, with Go's conflicts reported. */
function parseExport(m: Mapper, item: ConfigNode, acc: AccountConfig): void {
  if (item.kind !== "map") return;
  let stream: string | null = null;
  let service: string | null = null;
  let accounts: string[] | null = null;
  let response: ResponseType = "Singleton";
  let thresholdMs = 0;
  let tokenPosition = 0;
  let serviceOnly: ConfigEntry | null = null;
  for (const [key, child] of item.entries) {
    const k = key.toLowerCase();
    const v = child.value;
    if (k === "stream" && v.kind === "string") stream = v.value;
    else if (k === "service" && v.kind === "string") service = v.value;
    else if (k === "accounts") accounts = strings(v);
    else if (k === "account_token_position" && v.kind === "int") tokenPosition = Number(v.value);
    else if ((k === "response" || k === "response_type") && v.kind === "string") {
      response = responseType(v.value);
      serviceOnly = child;
    } else if (["threshold", "response_threshold", "response_max_time", "response_time"]
      .includes(k)) {
      serviceOnly = child;
      if (v.kind !== "string") {
        m.error(child.keyPos, "Expected response threshold to be a parseable time duration, " +
          `got ${v.kind === "int" ? "int64" : v.kind}`);
        continue;
      }
      thresholdMs = m.parseDuration(child, v.value) ?? 0;
    } else if (k === "latency" || k === "allow_trace") {
      serviceOnly = child;
      m.notAvailable(`accounts.exports.${k}`, child.keyPos);
    }
  }
  if (stream !== null && service !== null) {
    m.error(item.pos, `Detected service ${JSON.stringify(service)} but already saw a stream`);
  } else if (stream !== null) {
    if (serviceOnly !== null) {
      m.error(serviceOnly.keyPos, "Detected response directive on non-service");
      return;
    }
    const exp: StreamExportConfig = { subject: stream, accounts,
      accountTokenPosition: tokenPosition };
    acc.streamExports.push(exp);
  } else if (service !== null) {
    const exp: ServiceExportConfig = { subject: service, accounts,
      accountTokenPosition: tokenPosition, responseType: response,
      responseThresholdMs: thresholdMs };
    acc.serviceExports.push(exp);
  }
}

function importRef(m: Mapper, e: ConfigEntry): { account: string; subject: string } | null {
  const v = e.value;
  if (v.kind !== "map") return null;
  let account = "";
  let subject = "";
  for (const [key, child] of v.entries) {
    const c = child.value;
    if (key.toLowerCase() === "account" && c.kind === "string") account = c.value;
    else if (key.toLowerCase() === "subject" && c.kind === "string") subject = c.value;
  }
  if (account === "" || subject === "") {
    m.error(e.keyPos, "Expect an account name and a subject");
    return null;
  }
  return { account, subject };
}

/** One `imports` item: a stream (prefix or to) or a service (to, share). */
function parseImport(m: Mapper, item: ConfigNode, acc: AccountConfig): void {
  if (item.kind !== "map") return;
  let stream: { account: string; subject: string } | null = null;
  let service: { account: string; subject: string } | null = null;
  let prefix = "";
  let to = "";
  let toEntry: ConfigEntry | null = null;
  let share = false;
  for (const [key, child] of item.entries) {
    const k = key.toLowerCase();
    const v = child.value;
    if (k === "stream") stream = importRef(m, child);
    else if (k === "service") service = importRef(m, child);
    else if (k === "prefix" && v.kind === "string") prefix = v.value;
    else if (k === "to" && v.kind === "string") {
      to = v.value;
      toEntry = child;
    } else if (k === "share" && v.kind === "bool") share = v.value;
    else if (k === "allow_trace") m.notAvailable("accounts.imports.allow_trace", child.keyPos);
  }
  if (stream !== null && service !== null) {
    m.error(item.pos, "Detected service but already saw a stream");
  } else if (stream !== null) {
    if (prefix !== "" && to !== "") {
      m.error(toEntry!.keyPos, "Stream import can not have a 'prefix' and a 'to' property");
      return;
    }
    acc.streamImports.push({ ...stream, prefix, to });
  } else if (service !== null) {
    const local = to !== "" ? to : service.subject;
    const dup = acc.serviceImports.find((s) => s.to === local && s.account === service!.account);
    if (dup !== undefined) {
      m.error(item.pos, `Duplicate service import subject ${JSON.stringify(local)}, previously ` +
        `used in import for account ${JSON.stringify(dup.account)}, subject ` +
        JSON.stringify(dup.subject));
      return;
    }
    acc.serviceImports.push({ ...service, to: local, share });
  }
}

function parseLimits(m: Mapper, e: ConfigEntry, acc: AccountConfig): void {
  if (e.value.kind !== "map") return;
  for (const [key, child] of e.value.entries) {
    const k = key.toLowerCase();
    const n = m.int(child, { min: -(2 ** 31), max: 2 ** 31 - 1 });
    if (n === undefined) continue;
    if (k === "max_connections" || k === "max_conn") acc.limits.maxConnections = n;
    else if (k === "max_subscriptions" || k === "max_subs") acc.limits.maxSubscriptions = n;
    else if (k === "max_payload" || k === "max_pay") acc.limits.maxPayload = n;
    else acc.limits.maxLeafnodes = n;
  }
}

/** One `mappings` destination map: dest, weight (0..100, "%" allowed) and cluster. */
function mappingDestination(m: Mapper, node: ConfigNode): MappingDestinationConfig | null {
  if (node.kind !== "map") {
    m.error(node.pos, "Expected an entry for the mapping destination");
    return null;
  }
  const dest: MappingDestinationConfig = { subject: "", weight: 0, cluster: "" };
  let weightSeen = false;
  for (const [key, child] of node.entries) {
    const k = key.toLowerCase();
    const v = child.value;
    if ((k === "dest" || k === "destination") && v.kind === "string") dest.subject = v.value;
    else if (k === "cluster" && v.kind === "string") dest.cluster = v.value;
    else if (k === "weight") {
      const text = v.kind === "string" ? v.value.replace(/%$/, "") : String(
        v.kind === "int" ? v.value : NaN);
      if (!/^[+-]?\d+$/.test(text)) {
        m.error(child.keyPos, `Invalid weight ${JSON.stringify(text)} for mapping destination`);
        return null;
      }
      const weight = Number(text);
      if (weight > 100 || weight < 0) {
        m.error(child.keyPos, `Invalid weight ${weight} for mapping destination`);
        return null;
      }
      dest.weight = weight;
      weightSeen = true;
    }
  }
  if (!weightSeen) {
    m.error(node.pos, `Missing weight for mapping destination ${JSON.stringify(dest.subject)}`);
    return null;
  }
  return dest;
}

/** Go's parseAccountMappings: `source: dest` or `source: [{destination, weight}, …]`. */
export function parseMappings(m: Mapper, e: ConfigEntry): MappingConfig[] {
  const out: MappingConfig[] = [];
  if (e.value.kind !== "map") return out;
  for (const [source, child] of e.value.entries) {
    if (!isValidSubject(source)) {
      m.error(child.keyPos, `Subject ${JSON.stringify(source)} is not a valid subject`);
      continue;
    }
    const v = child.value;
    if (v.kind === "string") {
      const mapping = { source, destinations: [{ subject: v.value, weight: 100, cluster: "" }] };
      const problem = mappingProblem(mapping);
      if (problem === null) out.push(mapping);
      else {
        m.error(child.keyPos, `Error adding mapping for ${JSON.stringify(source)} to ` +
          `${JSON.stringify(v.value)} : ${problem}`);
      }
      continue;
    }
    const items = v.kind === "array" ? v.items : [v];
    const destinations = items.map((item) => mappingDestination(m, item));
    if (!destinations.every((d) => d !== null)) continue;
    const mapping = { source, destinations: destinations as MappingDestinationConfig[] };
    const problem = mappingProblem(mapping);
    if (problem === null) out.push(mapping);
    else m.error(child.keyPos, `Error adding mapping for ${JSON.stringify(source)} : ${problem}`);
  }
  return out;
}

function parseAccount(m: Mapper, name: string, block: MapNode, path: string): void {
  const acc = emptyAccountConfig(name);
  let users: ParsedUsers = { users: [], nkeys: [] };
  let usersPos: Position = block.pos;
  let defaults: PermissionsConfig | null = null;
  for (const [key, child] of block.entries) {
    const k = key.toLowerCase();
    const v = child.value;
    if (k === "nkey") {
      if (v.kind !== "string" || !isValidPublicAccountKey(v.value)) {
        m.error(child.keyPos, "Not a valid public nkey for an account: " +
          JSON.stringify(v.kind === "string" ? v.value : ""));
      } else {
        acc.nkey = v.value;
      }
    } else if (k === "imports" && v.kind === "array") {
      for (const item of v.items) parseImport(m, item, acc);
    } else if (k === "exports" && v.kind === "array") {
      for (const item of v.items) parseExport(m, item, acc);
    } else if (k === "users") {
      users = parseUsers(m, child, `${path}.${key}`);
      usersPos = child.keyPos;
    } else if (k === "default_permissions") {
      defaults = parsePermissions(m, child) ?? null;
    } else if (k === "mappings" || k === "maps") {
      acc.mappings.push(...parseMappings(m, child));
    } else if (k === "limits") {
      parseLimits(m, child, acc);
    } else if (k === "jetstream") {
      mapAccountJetStream(m, child, name);
    } else {
      m.notAvailable(`accounts.${k}`, child.keyPos);
    }
  }
  m.set("accounts", [...(m.options.accounts ?? []), acc], block.pos);
  if (users.users.length + users.nkeys.length === 0) return;
  if (m.options.username !== undefined && m.options.username !== "") {
    m.error(usersPos, "Can not have a single user/pass and accounts");
    return;
  }
  if (m.options.authToken !== undefined && m.options.authToken !== "") {
    m.error(usersPos, "Can not have a token and accounts");
    return;
  }
  applyDefaultPermissions(users, defaults);
  addUsers(m, users, name, usersPos);
}

/** `accounts {}`: a map of account blocks, or a plain list of account names. */
export const accounts: Handler = (m, e) => {
  const v = e.value;
  if (v.kind === "array") {
    const seen = new Set<string>();
    for (const item of v.items) {
      if (item.kind !== "string") {
        m.error(item.pos, `'${e.key}' entries must be strings`);
        continue;
      }
      if (item.value === RESERVED_ACCOUNT) {
        m.error(item.pos, `${JSON.stringify(item.value)} is a Reserved Account`);
      } else if (seen.has(item.value)) {
        m.error(item.pos, `Duplicate Account Entry: ${item.value}`);
      } else {
        seen.add(item.value);
        m.set("accounts", [...(m.options.accounts ?? []), emptyAccountConfig(item.value)],
          item.pos);
      }
    }
    return;
  }
  if (!schemaChecked(m, e, features.accountsSchema) || v.kind !== "map") return;
  const errorsBefore = m.errors.length;
  for (const [name, child] of v.entries) {
    if (child.usedAsVariable) continue;
    if (child.value.kind !== "map") {
      m.error(child.keyPos, "Expected map entries for accounts");
    } else if (name === RESERVED_ACCOUNT) {
      m.error(child.keyPos, `${JSON.stringify(name)} is a Reserved Account`);
    } else {
      parseAccount(m, name, child.value, `${e.key}.${name}`);
    }
  }
  // As nats-server: exports and imports are checked once every account is known.
  if (m.errors.length > errorsBefore) return;
  for (const problem of linkAccounts(m.options.accounts ?? []).errors) m.error(e.keyPos, problem);
};

/** Top-level `mappings`: they belong to the global account. */
export const mappings: Handler = (m, e) => {
  if (!schemaChecked(m, e, features.mappingsSchema)) return;
  m.set("mappings", [...(m.options.mappings ?? []), ...parseMappings(m, e)], e.keyPos);
};

export const noAuthUser: Handler = (m, e) => {
  const v = m.string(e);
  if (v !== undefined) m.set("noAuthUser", v, e.keyPos);
};

export const systemAccount: Handler = (m, e) => {
  const v = e.value;
  if (v.kind !== "string") {
    m.error(e.keyPos, "system account name must be a string");
    return;
  }
  m.set("systemAccount", v.value, e.keyPos);
};

export const noSystemAccount: Handler = (m, e) => {
  const v = m.bool(e);
  if (v !== undefined) m.set("noSystemAccount", v, e.keyPos);
};

/**
 * Go's validateNoAuthUser and its system account lookup, run on the final options as
 * nats-server does at start.
 */
export function validateAuthOptions(o: Options,
  at: (...keys: (keyof Options)[]) => Position = () => NO_POSITION): ConfigError[] {
  const operatorErrors = validateOperatorOptions(o, at);
  if (operatorErrors.length > 0) return operatorErrors;
  const missing = o.authCallout?.allowedAccounts.find((name) =>
    !o.accounts.some((a) => a.name === name));
  if (missing !== undefined) {
    return [new ConfigError(NO_POSITION, `auth_callout allowed account ${JSON.stringify(
      missing)} not found in configured accounts`)];
  }
  if (o.authCallout !== null && o.trustedOperators.length > 0) {
    return [new ConfigError(at("authCallout"),
      "operators do not allow authorization callouts to be configured directly")];
  }
  const sys = o.systemAccount;
  const operatorMode = o.trustedOperators.length > 0 || o.trustedKeys.length > 0;
  if (sys !== "" && sys !== SYSTEM_ACCOUNT && !operatorMode &&
    !o.accounts.some((a) => a.name === sys)) {
    // nats-server names no position for this one.
    return [new ConfigError(NO_POSITION, "error resolving system account: account missing")];
  }
  const name = o.noAuthUser;
  if (name === "") return [];
  if (o.users.length === 0 && o.nkeys.length === 0) {
    return [new ConfigError(at("noAuthUser"),
      `no_auth_user: ${JSON.stringify(name)} present, but users/nkeys are not defined`)];
  }
  if (o.users.some((u) => u.username === name) || o.nkeys.some((n) => n.nkey === name)) return [];
  return [new ConfigError(at("noAuthUser"), `no_auth_user: ${JSON.stringify(name)} not present ` +
    "as user or nkey in authorization block or account configuration")];
}

// ---- Trusted proxies ------------------------------------------------------------------

/** `proxies { trusted: [{key}] }` (Go's parseProxies; the schema checked the shapes). */
export const proxies: Handler = (m, e) => {
  if (!schemaChecked(m, e, features.proxiesSchema) || e.value.kind !== "map") return;
  const keys: string[] = [];
  for (const [key, child] of e.value.entries) {
    if (key.toLowerCase() !== "trusted" || child.value.kind !== "array") continue;
    for (const item of child.value.items) {
      if (item.kind !== "map") continue;
      for (const [k, v] of item.entries) {
        if (!["key", "public_key"].includes(k.toLowerCase()) || v.value.kind !== "string") {
          continue;
        }
        if (!isValidProxyKey(v.value.value)) {
          m.error(v.keyPos, `invalid proxy key ${JSON.stringify(v.value.value)}`);
        } else {
          keys.push(v.value.value);
        }
      }
    }
  }
  m.set("proxiesTrusted", keys, e.keyPos);
};

export {
  defaultSentinel, operator, resolver, resolverPinnedAccounts, resolverPreload, trustedKeys,
} from "../auth/jwt/operator_config.ts";
