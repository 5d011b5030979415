import { describe, expect, test } from "bun:test";
import { createAccount, createOperator, encodeActivation } from "@nats-io/jwt";
import type { AccountConfig } from "../../accounts/types.ts";
import {
  accountConfigFromClaims, accountJwtInfo, activationValid, isRevoked, openActivatedExports,
  permissionsFromJwt,
} from "./account_claims.ts";
import type { AccountClaims, AccountNats } from "./claims.ts";

function claimsOf(sub: string, nats: AccountNats, extra: Partial<AccountClaims> = {}):
  AccountClaims {
  return { iss: "OOPERATOR", sub, name: "acc", nats: { type: "account", ...nats }, ...extra };
}

describe("accountConfigFromClaims", () => {
  test("exports, imports, mappings and limits become account settings", () => {
    const config = accountConfigFromClaims(claimsOf("AKEY", {
      exports: [
        { subject: "s.>", type: "stream" },
        { subject: "svc", type: "service", response_type: "Stream",
          response_threshold: 5_000_000_000, token_req: true },
      ],
      imports: [
        { subject: "x.>", account: "AX", type: "stream", to: "pre" },
        { subject: "y.*", account: "AY", type: "stream", local_subject: "mine.*" },
        { subject: "q", account: "AQ", type: "service", local_subject: "local.q", share: true },
      ],
      mappings: { "m.in": [{ subject: "m.out", weight: 40 }, { subject: "m.other" }] },
      limits: { conn: 5, subs: -1, payload: 1024 },
    }));
    expect(config.name).toBe("AKEY");
    expect(config.streamExports).toEqual([{ subject: "s.>", accounts: null,
      accountTokenPosition: 0 }]);
    expect(config.serviceExports).toEqual([{ subject: "svc", accounts: [],
      accountTokenPosition: 0, responseType: "Streamed", responseThresholdMs: 5000 }]);
    expect(config.streamImports).toEqual([
      { account: "AX", subject: "x.>", prefix: "pre", to: "" },
      { account: "AY", subject: "y.*", prefix: "", to: "mine.*" },
    ]);
    expect(config.serviceImports).toEqual([{ account: "AQ", subject: "q", to: "local.q",
      share: true }]);
    expect(config.mappings).toEqual([{ source: "m.in", destinations: [
      { subject: "m.out", weight: 40, cluster: "" },
      { subject: "m.other", weight: 100, cluster: "" }] }]);
    // As Go's jwt decoding: a limit left out of the JWT is 0, -1 is unlimited.
    expect(config.limits).toEqual({ maxConnections: 5, maxSubscriptions: -1, maxPayload: 1024,
      maxLeafnodes: 0 });
  });
});

describe("accountJwtInfo", () => {
  test("signing keys (scoped or not), revocations, default permissions and bearer policy",
    () => {
      const info = accountJwtInfo("jwt", claimsOf("AKEY", {
        signing_keys: ["ASK1", { kind: "user_scope", key: "ASK2", template: {} }],
        revocations: { UREV: 10 },
        default_permissions: { pub: { deny: ["no"] } },
        limits: { disallow_bearer: true },
      }, { exp: 99 }), false);
      expect([...info.signingKeys.keys()].sort()).toEqual(["AKEY", "ASK1", "ASK2"]);
      expect(info.signingKeys.get("ASK2")?.kind).toBe("user_scope");
      expect(info.revocations.get("UREV")).toBe(10);
      expect(info.defaultPermissions?.publish).toEqual({ allow: null, deny: ["no"] });
      expect(info.disallowBearer).toBe(true);
      expect(info.expiresAtSec).toBe(99);
      const strict = accountJwtInfo("jwt", claimsOf("AKEY", {}), true);
      expect(strict.signingKeys.has("AKEY")).toBe(false);
    });
});

test("isRevoked: an entry at or after the issue time revokes; `*` revokes everyone", () => {
  expect(isRevoked(new Map([["U1", 10]]), "U1", 10)).toBe(true);
  expect(isRevoked(new Map([["U1", 10]]), "U1", 11)).toBe(false);
  expect(isRevoked({ "*": 20 }, "U2", 15)).toBe(true);
  expect(isRevoked({}, "U2", 15)).toBe(false);
});

test("permissionsFromJwt: empty lists are no permissions; resp keeps Go's defaults", () => {
  expect(permissionsFromJwt({ pub: {}, sub: { allow: [] } })).toBeNull();
  expect(permissionsFromJwt({ sub: { allow: ["a"] } })).toEqual({ publish: null,
    subscribe: { allow: ["a"], deny: null }, response: null });
  expect(permissionsFromJwt({ resp: { max: 0, ttl: 0 } })).toEqual({
    publish: { allow: [], deny: null }, subscribe: null,
    response: { maxMsgs: 1, expiresMs: 120_000 } });
  expect(permissionsFromJwt({ resp: { max: 3, ttl: 5_000_000 } })?.response)
    .toEqual({ maxMsgs: 3, expiresMs: 5 });
});

describe("activation tokens", () => {
  const op = createOperator();
  test("open a token-required export only to the importer the token names", async () => {
    const exporterKp = createAccount();
    const importerKp = createAccount();
    const other = createAccount().getPublicKey();
    const exporter = claimsOf(exporterKp.getPublicKey(), { exports: [
      { subject: "priv.>", type: "stream", token_req: true }] }, { iss: op.getPublicKey() });
    const token = await encodeActivation("t", importerKp, exporterKp, "stream",
      { subject: "priv.>" });
    const imp = { subject: "priv.a", account: exporter.sub, type: "stream" as const, token };
    const now = Math.floor(Date.now() / 1000);
    expect(activationValid(imp, importerKp.getPublicKey(), exporter, now)).toBe(true);
    expect(activationValid(imp, other, exporter, now)).toBe(false);
    expect(activationValid({ ...imp, subject: "pub.a" }, importerKp.getPublicKey(), exporter,
      now)).toBe(false);
    const revoking = claimsOf(exporter.sub, { exports: [{ subject: "priv.>", type: "stream",
      token_req: true, revocations: { [importerKp.getPublicKey()]: now + 10 } }] });
    expect(activationValid(imp, importerKp.getPublicKey(), revoking, now)).toBe(false);
    const importer = claimsOf(importerKp.getPublicKey(), { imports: [imp] });
    const configs = new Map<string, AccountConfig>([
      [exporter.sub, accountConfigFromClaims(exporter)],
      [importer.sub, accountConfigFromClaims(importer)]]);
    openActivatedExports(configs, new Map([[exporter.sub, exporter], [importer.sub, importer]]),
      now);
    expect(configs.get(exporter.sub)!.streamExports[0].accounts).toEqual([importer.sub]);
  });
});
