/** The operator-mode config keys (config/auth_options.ts), as nats-server's opts.go reads them. */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createAccount, createOperator, createUser, encodeAccount, encodeOperator, encodeUser,
} from "@nats-io/jwt";
import { ConfigErrors } from "../../config/errors.ts";
import { type LoadedConfig, loadConfigText } from "../../config/options_from_config.ts";
import { defaultOptions } from "../../server/options.ts";
import { planReload } from "../../config/reload_plan.ts";

const dir = mkdtempSync(join(tmpdir(), "natsd-opconf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const op = createOperator();
const sys = createAccount();
const opJwt = await encodeOperator("op", op, { system_account: sys.getPublicKey() });
const accJwt = await encodeAccount("a", sys, {}, { signer: op });

function load(text: string): LoadedConfig {
  return loadConfigText(text, { file: join(dir, "t.conf") });
}

function errorsOf(text: string): string[] {
  try {
    load(text);
  } catch (error) {
    if (!(error instanceof ConfigErrors)) throw error;
    return error.errors.map((e) => e.reason);
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

describe("operator and trusted keys", () => {
  test("an inline operator JWT is trusted and names the system account", () => {
    const o = load(`operator: "${opJwt}"\nresolver: MEMORY`).options;
    expect(o.trustedOperators).toEqual([opJwt]);
    expect(o.systemAccount).toBe(sys.getPublicKey());
    expect(o.accountResolver).toEqual({ type: "MEMORY" });
  });

  test("a decorated operator file is read; a system_account set first wins", () => {
    const path = join(dir, "op.jwt");
    writeFileSync(path, `-----BEGIN NATS OPERATOR JWT-----\n${opJwt}\n` +
      "------END NATS OPERATOR JWT------\n");
    const o = load(`system_account: ${sys.getPublicKey()}\noperator: "${path}"\n` +
      "resolver: MEM").options;
    expect(o.trustedOperators).toEqual([opJwt]);
  });

  test("unreadable or invalid operator JWTs are config errors", () => {
    expect(errorsOf(`operator: "${join(dir, "missing.jwt")}"\nresolver: MEMORY`)).toContain(
      `error parsing operator JWT: open ${join(dir, "missing.jwt")}: no such file or directory`);
    expect(errorsOf(`operator: "${accJwt}"\nresolver: MEMORY`)[0])
      .toStartWith("error parsing operator JWT: ");
  });

  test("Go's validateTrustedOperators rules", () => {
    expect(errorsOf(`operator: "${opJwt}"`))
      .toEqual(["operators require an account resolver to be configured"]);
    expect(errorsOf(`operator: "${opJwt}"\nresolver: MEMORY\naccounts { A {} }`))
      .toEqual(["operators do not allow Accounts to be configured directly"]);
    expect(errorsOf(`operator: "${opJwt}"\nresolver: MEMORY\n` +
      "authorization { users: [{user: a, password: b}] }"))
      .toEqual(["operators do not allow users to be configured directly"]);
    expect(errorsOf(`operator: "${opJwt}"\nresolver: MEMORY\ntrusted: ${op.getPublicKey()}`))
      .toEqual(["conflicting options for 'TrustedKeys' and 'TrustedOperators'"]);
    expect(errorsOf(`operator: "${opJwt}"\nresolver: MEMORY\n` +
      `system_account: ${createAccount().getPublicKey()}`))
      .toEqual(["system_account in config and operator JWT must be identical"]);
    expect(errorsOf("trusted: [NOTAKEY]"))
      .toEqual(['trust key "NOTAKEY" required to be a valid public operator nkey']);
    expect(load(`trusted: ${op.getPublicKey()}`).options.trustedKeys)
      .toEqual([op.getPublicKey()]);
  });
});

describe("default_sentinel and resolver_pinned_accounts", () => {
  test("map, and are checked as Go checks them", async () => {
    const acc = createAccount();
    const bearer = await encodeUser("s", createUser(), acc, { bearer_token: true });
    const signed = await encodeUser("s", createUser(), acc, { pub: { allow: ["x"] } });
    const base = `operator: "${opJwt}"\nresolver: MEMORY\n`;
    const o = load(`${base}default_sentinel: "${bearer}"\n` +
      `resolver_pinned_accounts: [${acc.getPublicKey()}]`).options;
    expect(o.defaultSentinel).toBe(bearer);
    expect(o.resolverPinnedAccounts).toEqual([acc.getPublicKey()]);
    expect(errorsOf(`${base}default_sentinel: "${signed}"`))
      .toEqual(["default sentinel must be a bearer token"]);
    expect(errorsOf(`${base}default_sentinel: "nope"`))
      .toEqual(["default sentinel JWT not valid"]);
    expect(errorsOf(`default_sentinel: "${bearer}"`))
      .toEqual(["default sentinel requires operators and accounts"]);
    expect(errorsOf(`${base}resolver_pinned_accounts: [XYZ]`))
      .toEqual(['pinned account key "XYZ" is not a valid public account nkey']);
  });
});

describe("resolver and resolver_preload", () => {
  test("the full resolver block maps; URL and CACHE are reported as not available", () => {
    const o = load(`operator: "${opJwt}"\nresolver { type: full, dir: "${join(dir, "jwt")}", ` +
      "allow_delete: true, hard_delete: true, limit: 10, interval: \"2m\" }").options;
    expect(o.accountResolver).toEqual({ type: "FULL", dir: join(dir, "jwt"), allowDelete: true,
      hardDelete: true, limit: 10, syncIntervalMs: 120_000, fetchTimeoutMs: 1900 });
    const url = load(`resolver: URL("http://localhost:9090/jwt/v1/accounts/")`);
    expect(url.unsupported.map((u) => u.key)).toEqual(["resolver.url"]);
    const cache = load(`resolver { type: cache, dir: "${dir}" }`);
    expect(cache.unsupported.map((u) => u.key)).toEqual(["resolver.cache"]);
  });

  test("resolver problems are Go's config errors", () => {
    expect(errorsOf("resolver { type: full }"))
      .toEqual(["dir has no value and needs to point to a directory"]);
    expect(errorsOf(`resolver { type: full, dir: "${join(dir, "t.conf")}x", hard_delete: true }`))
      .toEqual(["hard_delete has no effect without delete"]);
    expect(errorsOf("resolver { type: odd, dir: x }")[0]).toStartWith(
      "error parsing account resolver");
  });

  test("preloads must be account JWTs", () => {
    const o = load(`resolver: MEMORY\nresolver_preload { ${sys.getPublicKey()}: "${accJwt}" }`);
    expect(o.options.resolverPreload).toEqual({ [sys.getPublicKey()]: accJwt });
    expect(errorsOf(`resolver_preload { ${sys.getPublicKey()}: "${opJwt}" }`))
      .toEqual(["invalid account JWT"]);
  });

  test("operators and resolvers cannot change on reload; preloads are ignored", () => {
    const running = { ...defaultOptions(), ...load(`operator: "${opJwt}"\nresolver: MEMORY`)
      .options };
    const plan = planReload(running, { ...running, accountResolver: null,
      resolverPreload: { x: "y" } });
    expect(plan.refused.map((r) => r.key)).toEqual(["resolver"]);
    expect(plan.changes).toEqual([]);
  });
});
