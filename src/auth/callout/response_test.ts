import { describe, expect, test } from "bun:test";
import {
  createAccount, createCurve, createServer, createUser, decode, encodeAuthorizationResponse,
  encodeUser,
} from "@nats-io/jwt";
import { authRequestClaims, encodeAuthRequest } from "./request.ts";
import { type CalloutExpectation, checkCalloutResponse } from "./response.ts";

const issuer = createAccount();
const server = createServer();
const userNkey = createUser().getPublicKey();
const enc = (text: string) => new TextEncoder().encode(text);

function expectation(extra: Partial<CalloutExpectation> = {}): CalloutExpectation {
  return { account: "AUTH", issuer: issuer.getPublicKey(), userNkey,
    serverId: server.getPublicKey(), xkp: null, serviceXkey: "", nowMs: Date.now(),
    operator: null, ...extra };
}

async function answer(data: { jwt?: string; error?: string }, user = userNkey,
  serverId = server.getPublicKey()): Promise<Uint8Array> {
  return enc(await encodeAuthorizationResponse(user, serverId, issuer, data, {}));
}

const reason = (v: ReturnType<typeof checkCalloutResponse>) => (v.ok ? "ok" : v.reason);

describe("checkCalloutResponse", () => {
  test("an authorized user: account from aud, permissions and limits from its JWT", async () => {
    const jwt = await encodeUser("bob", userNkey, issuer, { pub: { allow: ["a.>"] }, subs: 5 },
      { aud: "APP" });
    const verdict = checkCalloutResponse(await answer({ jwt }), expectation());
    expect(verdict.ok && verdict.user.account).toBe("APP");
    expect(verdict.ok && verdict.user.name).toBe("bob");
    expect(verdict.ok && verdict.user.permissions?.publish).toEqual({ allow: ["a.>"],
      deny: null });
    expect(verdict.ok && verdict.user.maxSubscriptions).toBe(5);
  });

  test("refusals carry nats-server's texts", async () => {
    const jwt = await encodeUser("bob", userNkey, issuer, {}, { aud: "APP" });
    expect(reason(checkCalloutResponse(new Uint8Array(0), expectation())))
      .toBe('Auth callout violation: "no reason supplied" on account "AUTH"');
    expect(reason(checkCalloutResponse(await answer({ jwt }, createUser().getPublicKey()),
      expectation()))).toBe(
      "Auth callout violation: auth callout response is not for expected user");
    expect(reason(checkCalloutResponse(await answer({ jwt }, userNkey,
      createServer().getPublicKey()), expectation()))).toBe(
      "Auth callout violation: auth callout response is not for server");
    expect(reason(checkCalloutResponse(await answer({ error: "nope" }), expectation())))
      .toBe("Auth callout service returned an error: nope");
    const otherIssuer = createAccount();
    const foreign = await encodeUser("bob", userNkey, otherIssuer, {}, { aud: "APP" });
    expect(reason(checkCalloutResponse(await answer({ jwt: foreign }), expectation())))
      .toStartWith('Wrong issuer for auth callout response on account "AUTH"');
    const someoneElse = await encodeUser("x", createUser(), issuer, {}, { aud: "APP" });
    expect(reason(checkCalloutResponse(await answer({ jwt: someoneElse }), expectation())))
      .toStartWith("Expected authorized user of ");
    const expired = await encodeUser("bob", userNkey, issuer, {}, { aud: "APP", exp: 1 });
    expect(reason(checkCalloutResponse(await answer({ jwt: expired }), expectation())))
      .toBe("Error validating user JWT: claim is expired");
  });

  test("sealed answers are opened with the server's xkey; garbage is refused", async () => {
    const serverX = createCurve();
    const serviceX = createCurve();
    const jwt = await encodeUser("bob", userNkey, issuer, {}, { aud: "APP" });
    const sealed = serviceX.seal(await answer({ jwt }), serverX.getPublicKey());
    const e = expectation({ xkp: serverX, serviceXkey: serviceX.getPublicKey() });
    expect(reason(checkCalloutResponse(sealed, e))).toBe("ok");
    expect(reason(checkCalloutResponse(enc("garbage"), e)))
      .toStartWith('Error decrypting auth callout response on account "AUTH"');
  });
});

test("the request is a signed authorization_request for the service", async () => {
  const claims = authRequestClaims(issuer.getPublicKey(), userNkey,
    { name: "s", host: "0.0.0.0", id: server.getPublicKey(), version: "2.14.0", tags: [],
      xkey: "" },
    { host: "127.0.0.1", id: 7, user: "bob", name: "", nonce: "n", connect: { jwt: "",
      nkey: "", sig: "", authToken: "", user: "bob", pass: "pw", name: "", lang: "js",
      version: "3", protocol: 1 } }, 100);
  const jwt = await encodeAuthRequest(claims, server);
  const decoded = decode<Record<string, unknown>>(jwt);
  expect(decoded.iss).toBe(server.getPublicKey());
  expect(decoded.sub).toBe(issuer.getPublicKey());
  expect(decoded.aud).toBe("nats-authorization-request");
  expect(decoded.nats).toEqual({
    server_id: { name: "s", host: "0.0.0.0", id: server.getPublicKey(), version: "2.14.0" },
    user_nkey: userNkey,
    client_info: { host: "127.0.0.1", id: 7, user: "bob", kind: "Client", type: "nats" },
    connect_opts: { user: "bob", pass: "pw", lang: "js", version: "3", protocol: 1 },
    type: "authorization_request", version: 2,
  });
});
