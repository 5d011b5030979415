import { describe, expect, test } from "bun:test";
import {
  createAccount, createOperator, createUser, encodeAccount, encodeUser, type KeyPair,
  type User,
} from "@nats-io/jwt";
import { accountJwtInfo, type AccountJwtInfo } from "./account_claims.ts";
import { type AccountClaims, decodeClaims } from "./claims.ts";
import { authenticateJwtUser, type JwtAccountView, sourceAllowed } from "./user_claims.ts";

const operator = createOperator();
const accountKp = createAccount();
const signer = createAccount();
const scoped = createAccount();
const nonce = "test-nonce-1234";
let account: AccountJwtInfo;

async function setup(extra: Record<string, unknown> = {}): Promise<void> {
  const jwt = await encodeAccount("acc", accountKp, {
    signing_keys: [signer.getPublicKey(), { kind: "user_scope", key: scoped.getPublicKey(),
      role: "r", template: { pub: { allow: ["user.{{name()}}.>", "acc.{{account-name()}}"] },
        subs: 3, payload: -1, data: -1 } }],
    ...extra,
  }, { signer: operator });
  account = accountJwtInfo(jwt, decodeClaims<AccountClaims["nats"]>(jwt, "account"), false);
}

const view = (trusted = true, pinned: string[] | null = null): JwtAccountView => ({
  account: (key) => (key === accountKp.getPublicKey() ? account : "account missing"),
  isTrustedIssuer: () => trusted,
  pinned: pinned === null ? null : new Set(pinned),
});

async function request(claims: Partial<User> = {}, options: { issuer?: KeyPair;
  exp?: number; sign?: string; kp?: KeyPair } = {}) {
  const kp = options.kp ?? createUser();
  const issuer = options.issuer ?? accountKp;
  const data = issuer === accountKp ? claims
    : { issuer_account: accountKp.getPublicKey(), ...claims };
  const jwt = await encodeUser("alice", kp, issuer, data,
    options.exp !== undefined ? { exp: options.exp } : {});
  const sig = Buffer.from(kp.sign(new TextEncoder().encode(options.sign ?? nonce)))
    .toString("base64url");
  return { jwt, sig, nonce, host: "127.0.0.1", connectionType: "STANDARD" as const };
}

describe("authenticateJwtUser", () => {
  test("accepts users of the account key and of its signing keys", async () => {
    await setup();
    const direct = authenticateJwtUser(await request({ subs: 7 }), view(), Date.now());
    expect(direct.ok && direct.user.account).toBe(accountKp.getPublicKey());
    expect(direct.ok && direct.user.maxSubscriptions).toBe(7);
    expect(direct.ok && direct.user.signingKey).toBe("");
    const viaSigner = authenticateJwtUser(await request({}, { issuer: signer }), view(),
      Date.now());
    expect(viaSigner.ok && viaSigner.user.signingKey).toBe(signer.getPublicKey());
  });

  test("refusals name nats-server's reasons", async () => {
    await setup();
    const reason = (r: ReturnType<typeof authenticateJwtUser>) => (r.ok ? "ok" : r.reason);
    const now = Date.now();
    expect(reason(authenticateJwtUser({ ...(await request()), jwt: "" }, view(), now)))
      .toBe("Authentication requires a user JWT");
    expect(reason(authenticateJwtUser({ ...(await request()), jwt: "x.y.z" }, view(), now)))
      .toStartWith("User JWT not valid: ");
    expect(reason(authenticateJwtUser(await request({}, { exp: 1 }), view(), now)))
      .toBe("User JWT no longer valid: claim is expired");
    expect(reason(authenticateJwtUser(await request(), view(false), now)))
      .toBe("Account JWT not signed by trusted operator");
    expect(reason(authenticateJwtUser(await request({}, { issuer: createAccount() }), view(),
      now))).toBe("User JWT issuer is not known");
    const elsewhere = { ...(await request()),
      jwt: await encodeUser("u", createUser(), createAccount()) };
    expect(reason(authenticateJwtUser(elsewhere, view(), now)))
      .toBe("Account JWT lookup error: account missing");
    expect(reason(authenticateJwtUser(await request({}, { sign: "other" }), view(), now)))
      .toBe("Signature not verified");
    expect(reason(authenticateJwtUser({ ...(await request()), sig: "" }, view(), now)))
      .toBe("Signature missing");
    expect(reason(authenticateJwtUser(await request({ allowed_connection_types: ["WEBSOCKET"] }),
      view(), now))).toBe("Connection type not allowed");
    expect(reason(authenticateJwtUser(await request({ src: ["10.1.0.0/16"] }), view(), now)))
      .toBe("Bad src Ip 127.0.0.1");
    expect(reason(authenticateJwtUser(await request(), view(true, ["AOTHER"]), now)))
      .toBe(`Account ${accountKp.getPublicKey()} not listed as operator pinned account`);
    expect(reason(authenticateJwtUser(await request(), view(true,
      [accountKp.getPublicKey()]), now))).toBe("ok");
  });

  test("revoked users, expired accounts and bearer tokens the account disallows", async () => {
    const kp = createUser();
    await setup({ revocations: { [kp.getPublicKey()]: Math.floor(Date.now() / 1000) + 5 },
      limits: { disallow_bearer: true } });
    const reason = (r: ReturnType<typeof authenticateJwtUser>) => (r.ok ? "ok" : r.reason);
    expect(reason(authenticateJwtUser(await request({}, { kp }), view(), Date.now())))
      .toBe("User authentication revoked");
    expect(reason(authenticateJwtUser(await request({ bearer_token: true }), view(),
      Date.now()))).toBe("Account does not allow bearer tokens");
    await setup();
    const expiredAccount = { ...account, expiresAtSec: 1 };
    const expiredView = { ...view(), account: () => expiredAccount };
    expect(reason(authenticateJwtUser(await request(), expiredView, Date.now())))
      .toBe("Account JWT has expired");
  });

  test("a scoped signing key applies its template; the user may not set its own", async () => {
    await setup();
    const ok = authenticateJwtUser(await request({}, { issuer: scoped }), view(), Date.now());
    expect(ok.ok && ok.user.permissions?.publish?.allow).toEqual(["user.alice.>", "acc.acc"]);
    expect(ok.ok && ok.user.maxSubscriptions).toBe(3);
    const own = authenticateJwtUser(await request({ pub: { allow: ["x"] } }, { issuer: scoped }),
      view(), Date.now());
    expect(own.ok ? "ok" : own.reason).toStartWith("User JWT is not valid: scoped users");
  });

  test("without permissions of its own a user takes the account's defaults", async () => {
    await setup({ default_permissions: { sub: { deny: ["secret"] } } });
    const result = authenticateJwtUser(await request(), view(), Date.now());
    expect(result.ok && result.user.defaultPermissions).toBe(true);
    expect(result.ok && result.user.permissions?.subscribe).toEqual({ allow: null,
      deny: ["secret"] });
  });

  test("the connection expires with the JWT; bearer tokens skip the signature", async () => {
    await setup();
    const now = Date.now();
    const exp = Math.floor(now / 1000) + 60;
    const result = authenticateJwtUser(await request({}, { exp }), view(), now);
    expect(result.ok && result.user.expiresInMs).toBe(exp * 1000 - now);
    const bearer = authenticateJwtUser({ ...(await request({ bearer_token: true })), sig: "" },
      view(), now);
    expect(bearer.ok && bearer.user.expiresInMs).toBeNull();
  });
});

test("sourceAllowed: CIDRs and addresses, IPv4 and IPv6", () => {
  expect(sourceAllowed(undefined, "1.2.3.4")).toBe(true);
  expect(sourceAllowed(["1.2.0.0/16"], "1.2.3.4")).toBe(true);
  expect(sourceAllowed("9.9.9.9, 1.2.3.4", "1.2.3.4")).toBe(true);
  expect(sourceAllowed(["1.2.0.0/16"], "1.3.0.1")).toBe(false);
  expect(sourceAllowed(["::1/128"], "::1")).toBe(true);
  expect(sourceAllowed(["1.2.0.0/16"], "")).toBe(false);
});
