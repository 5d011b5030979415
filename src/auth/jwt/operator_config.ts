/**
 * The operator-mode config keys, as nats-server's opts.go reads them: `operator` (files or
 * inline JWTs), `trusted_keys`, `resolver` (MEMORY or the full directory resolver),
 * `resolver_preload`, `resolver_pinned_accounts`, `default_sentinel`, and the checks of
 * validateTrustedOperators on the final options. Mapped by config/auth_options.ts.
 * @module
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { ConfigError, type Position } from "../../config/errors.ts";
import * as features from "../../config/feature_schemas.ts";
import type { Handler, Mapper } from "../../config/options_from_config.ts";
import { schemaChecked, strings } from "../../config/mapper_checks.ts";
import type { ConfigEntry, MapNode } from "../../config/values.ts";
import type { Options } from "../../server/options.ts";
import { isValidPublicAccountKey, isValidPublicOperatorKey } from "../nkeys.ts";
import {
  decodeClaims, JWT_PREFIX, JwtError, type OperatorClaims, parseDecoratedJwt, type UserNats,
} from "./claims.ts";
import type { ResolverConfig } from "./operator_mode.ts";

/** Go's readOperatorJWT: a (decorated) JWT file, or the JWT inline; null with `problem`. */
function readOperatorJwt(name: string): { jwt: string; system: string } | { problem: string } {
  let contents: string;
  try {
    contents = readFileSync(name, "utf8");
  } catch (error) {
    if (!name.startsWith(JWT_PREFIX)) {
      const code = (error as NodeJS.ErrnoException).code;
      return { problem: `open ${name}: ${code === "ENOENT" ? "no such file or directory"
        : (error as Error).message}` };
    }
    contents = name;
  }
  const jwt = parseDecoratedJwt(contents);
  try {
    const claims = decodeClaims<OperatorClaims["nats"]>(jwt, "operator");
    return { jwt, system: claims.nats.system_account ?? "" };
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    return { problem: error.message };
  }
}

/** `operator`: operator JWT files (or inline JWTs); one operator names the system account. */
export const operator: Handler = (m, e) => {
  if (!schemaChecked(m, e, features.operatorSchema)) return;
  const jwts: string[] = [];
  let system = "";
  for (const name of strings(e.value)) {
    const read = readOperatorJwt(name);
    if ("problem" in read) {
      m.error(e.keyPos, `error parsing operator JWT: ${read.problem}`);
      continue;
    }
    jwts.push(read.jwt);
    system = read.system;
  }
  m.set("trustedOperators", jwts, e.keyPos);
  // As Go: a `system_account` set before this key takes precedence.
  if (jwts.length === 1 && !m.options.systemAccount && system !== "") {
    m.set("systemAccount", system, e.keyPos);
  }
};

/** `trusted_keys`: operator public keys. */
export const trustedKeys: Handler = (m, e) => {
  const keys = strings(e.value);
  if (e.value.kind !== "string" && e.value.kind !== "array") {
    m.error(e.keyPos, `error parsing trusted: unsupported type ${e.value.kind}`);
    return;
  }
  for (const key of keys) {
    if (!isValidPublicOperatorKey(key)) {
      m.error(e.keyPos, `trust key ${JSON.stringify(key)} required to be a valid public ` +
        "operator nkey");
    }
  }
  m.set("trustedKeys", keys, e.keyPos);
};

const RESOLVER_SHAPE_ERROR = "error parsing account resolver, should be MEM or " +
  " URL(\"url\") or a map containing dir and type state=[FULL|CACHE])";

function fullResolver(m: Mapper, e: ConfigEntry, block: MapNode): ResolverConfig | null {
  const full = { type: "FULL" as const, dir: "", allowDelete: false, hardDelete: false,
    limit: 0, syncIntervalMs: 60_000, fetchTimeoutMs: 1900 };
  let type = "";
  let hardDeleteSet = false;
  for (const [key, child] of block.entries) {
    const k = key.toLowerCase();
    const v = child.value;
    if (k === "dir" && v.kind === "string") full.dir = v.value;
    else if (k === "type" && v.kind === "string") type = v.value.toUpperCase();
    else if (k === "allow_delete" && v.kind === "bool") full.allowDelete = v.value;
    else if (k === "hard_delete" && v.kind === "bool") {
      full.hardDelete = v.value;
      hardDeleteSet = true;
    } else if (k === "limit" && v.kind === "int") full.limit = Number(v.value);
    else if ((k === "interval" || k === "timeout") && v.kind === "string") {
      const ms = m.parseDuration(child, v.value);
      if (ms === undefined) return null;
      if (k === "interval" && ms > 0) full.syncIntervalMs = ms;
      if (k === "timeout") full.fetchTimeoutMs = ms;
    }
  }
  if (type === "MEM" || type === "MEMORY") return { type: "MEMORY" };
  if (type === "CACHE") {
    m.notAvailable("resolver.cache", e.keyPos);
    return null;
  }
  if (type !== "FULL") {
    m.error(e.keyPos, RESOLVER_SHAPE_ERROR);
    return null;
  }
  if (full.dir === "") {
    m.error(e.keyPos, "dir has no value and needs to point to a directory");
    return null;
  }
  if (existsSync(full.dir) && !statSync(full.dir).isDirectory()) {
    m.error(e.keyPos, "dir needs to point to an accessible directory");
    return null;
  }
  if (hardDeleteSet && !full.allowDelete) {
    m.error(e.keyPos, "hard_delete has no effect without delete");
  }
  // Go's default: deleted JWTs are renamed unless hard_delete says otherwise.
  return full;
}

/** `resolver`: MEMORY, or the full directory resolver; URL and CACHE are not available. */
export const resolver: Handler = (m, e) => {
  if (!schemaChecked(m, e, features.resolverSchema)) return;
  const v = e.value;
  if (v.kind === "string") {
    if (/(MEM|MEMORY)\s*/i.test(v.value)) {
      m.set("accountResolver", { type: "MEMORY" }, e.keyPos);
    } else if (/URL/i.test(v.value)) {
      m.notAvailable("resolver.url", e.keyPos);
    } else {
      m.error(e.keyPos, RESOLVER_SHAPE_ERROR);
    }
    return;
  }
  if (v.kind !== "map") return;
  const config = fullResolver(m, e, v);
  if (config !== null) m.set("accountResolver", config, e.keyPos);
};

/** `resolver_preload`: account public key → account JWT, each checked as an account JWT. */
export const resolverPreload: Handler = (m, e) => {
  const v = e.value;
  if (v.kind !== "map") {
    m.error(e.keyPos, "preload should be a map of account_public_key:account_jwt");
    return;
  }
  const preload: Record<string, string> = {};
  for (const [key, child] of v.entries) {
    const c = child.value;
    if (c.kind !== "string") {
      m.error(child.keyPos, "preload map value should be a string JWT");
      continue;
    }
    try {
      decodeClaims(c.value, "account");
    } catch (error) {
      if (!(error instanceof JwtError)) throw error;
      m.error(child.keyPos, "invalid account JWT");
      continue;
    }
    preload[key] = c.value;
  }
  m.set("resolverPreload", preload, e.keyPos);
};

/** `resolver_pinned_accounts`: account public keys. */
export const resolverPinnedAccounts: Handler = (m, e) => {
  if (e.value.kind !== "string" && e.value.kind !== "array") {
    m.error(e.keyPos, "error parsing resolver_pinned_accounts: unsupported type");
    return;
  }
  m.set("resolverPinnedAccounts", strings(e.value), e.keyPos);
};

/** `default_sentinel`: a bearer user JWT (checked with the operators at validation). */
export const defaultSentinel: Handler = (m, e) => {
  const v = m.string(e);
  if (v !== undefined) m.set("defaultSentinel", v, e.keyPos);
};

/** Go's default sentinel checks: a user JWT that is a bearer token (or a scoped user). */
function sentinelProblem(jwt: string): string | null {
  try {
    const user = decodeClaims<UserNats>(jwt, "user");
    const n = user.nats;
    const scopedLooking = n.issuer_account && !n.pub?.allow?.length && !n.pub?.deny?.length &&
      !n.sub?.allow?.length && !n.sub?.deny?.length;
    return n.bearer_token === true || scopedLooking ? null
      : "default sentinel must be a bearer token";
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    return "default sentinel JWT not valid";
  }
}

/** Go's validateTrustedOperators, on the final options. */
export function validateOperatorOptions(o: Options,
  at: (...keys: (keyof Options)[]) => Position): ConfigError[] {
  const fail = (text: string, ...keys: (keyof Options)[]) =>
    [new ConfigError(at(...keys), text)];
  if (o.trustedOperators.length === 0) {
    return o.defaultSentinel !== ""
      ? fail("default sentinel requires operators and accounts", "defaultSentinel") : [];
  }
  if (o.defaultSentinel !== "") {
    const problem = sentinelProblem(o.defaultSentinel);
    if (problem !== null) return fail(problem, "defaultSentinel");
  }
  if (o.accountResolver === null) {
    return fail("operators require an account resolver to be configured", "trustedOperators");
  }
  if (o.accounts.length > 0) {
    return fail("operators do not allow Accounts to be configured directly", "accounts");
  }
  if (o.users.length > 0 || o.nkeys.length > 0) {
    return fail("operators do not allow users to be configured directly", "users", "nkeys");
  }
  if (o.trustedKeys.length > 0) {
    return fail("conflicting options for 'TrustedKeys' and 'TrustedOperators'", "trustedKeys");
  }
  const systems = o.trustedOperators.map((jwt) =>
    decodeClaims<OperatorClaims["nats"]>(jwt, "operator").nats.system_account ?? "");
  if (o.systemAccount !== "") {
    if (systems.some((s) => s !== "") && !systems.includes(o.systemAccount)) {
      return fail("system_account in config and operator JWT must be identical",
        "systemAccount");
    }
  } else if (systems[0] === "" && o.accountResolver.type === "FULL") {
    return fail("using nats based account resolver - the system account needs to be " +
      "specified in configuration or the operator jwt", "accountResolver");
  }
  const badPin = o.resolverPinnedAccounts.find((key) => !isValidPublicAccountKey(key));
  if (badPin !== undefined) {
    return fail(`pinned account key ${JSON.stringify(badPin)} is not a valid public account ` +
      "nkey", "resolverPinnedAccounts");
  }
  return [];
}
