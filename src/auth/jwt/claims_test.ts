import { describe, expect, test } from "bun:test";
import {
  createAccount, createOperator, createUser, encodeAccount, encodeOperator, encodeUser, fmtCreds,
} from "@nats-io/jwt";
import { decodeClaims, JwtError, parseDecoratedJwt, timeProblem } from "./claims.ts";

describe("decodeClaims", () => {
  test("verifies the signature and returns the claims of the named kind", async () => {
    const op = createOperator();
    const jwt = await encodeOperator("op", op, { system_account: "ASYS" });
    const claims = decodeClaims<{ system_account?: string }>(jwt, "operator");
    expect(claims.sub).toBe(op.getPublicKey());
    expect(claims.nats.system_account).toBe("ASYS");
  });

  test("refuses another kind, a tampered payload, a bad issuer role and garbage", async () => {
    const op = createOperator();
    const acc = createAccount();
    const jwt = await encodeAccount("a", acc, {}, { signer: op });
    expect(() => decodeClaims(jwt, "user")).toThrow(new JwtError("not user claim"));
    const [h, p, s] = jwt.split(".");
    const payload = JSON.parse(Buffer.from(p, "base64url").toString());
    payload.name = "b";
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
    expect(() => decodeClaims(tampered, "account")).toThrow(JwtError);
    // An account JWT must be issued by an operator key, not by the account itself.
    const selfSigned = await encodeAccount("a", acc);
    expect(() => decodeClaims(selfSigned, "account"))
      .toThrow(new JwtError("invalid issuer for account claim"));
    expect(() => decodeClaims("a.b", "account")).toThrow(JwtError);
    expect(() => decodeClaims("not a jwt at all", "generic")).toThrow(JwtError);
  });
});

test("timeProblem: expired after exp, not yet valid before nbf", () => {
  expect(timeProblem({}, 100)).toBeNull();
  expect(timeProblem({ exp: 100 }, 100)).toBeNull();
  expect(timeProblem({ exp: 100 }, 101)).toBe("claim is expired");
  expect(timeProblem({ nbf: 101 }, 100)).toBe("claim is not yet valid");
});

test("parseDecoratedJwt takes the JWT block of a creds file, or the trimmed text", async () => {
  const acc = createAccount();
  const user = createUser();
  const jwt = await encodeUser("u", user, acc);
  const creds = new TextDecoder().decode(fmtCreds(jwt, user));
  expect(parseDecoratedJwt(creds)).toBe(jwt);
  expect(parseDecoratedJwt(`  ${jwt}\n`)).toBe(jwt);
});
