import { describe, expect, test } from "bun:test";
import { createAccount, createOperator, createUser } from "@nats-io/nkeys";
import {
  decodePublicNkey, decodeSignature, isValidPublicAccountKey, isValidPublicOperatorKey,
  isValidPublicUserKey, newNonce, NkeyError, NkeyPrefix, verifyNonceSignature,
} from "./nkeys.ts";

const encoder = new TextEncoder();

describe("decodePublicNkey", () => {
  test("returns the 32 raw key bytes of a user key", () => {
    const user = createUser();
    const raw = decodePublicNkey(user.getPublicKey(), NkeyPrefix.user);
    expect(raw.length).toBe(32);
  });

  test("refuses another role, a bad checksum, a bad alphabet and a bad length", () => {
    const account = createAccount().getPublicKey();
    expect(() => decodePublicNkey(account, NkeyPrefix.user)).toThrow(NkeyError);
    const user = createUser().getPublicKey();
    const flipped = user.slice(0, 10) + (user[10] === "A" ? "B" : "A") + user.slice(11);
    expect(() => decodePublicNkey(flipped, NkeyPrefix.user)).toThrow("nkeys: invalid checksum");
    expect(() => decodePublicNkey(user.replace(/.$/, "1"), NkeyPrefix.user)).toThrow(NkeyError);
    expect(() => decodePublicNkey(user.slice(1), NkeyPrefix.user)).toThrow(NkeyError);
  });

  test("role checks match the key's prefix", () => {
    const user = createUser().getPublicKey();
    const account = createAccount().getPublicKey();
    const operator = createOperator().getPublicKey();
    expect([isValidPublicUserKey(user), isValidPublicUserKey(account)]).toEqual([true, false]);
    expect([isValidPublicAccountKey(account), isValidPublicAccountKey(user)])
      .toEqual([true, false]);
    expect(isValidPublicOperatorKey(operator)).toBe(true);
    expect(isValidPublicUserKey("UABC")).toBe(false);
  });
});

describe("decodeSignature", () => {
  test("accepts unpadded base64url, then padded standard base64, strictly", () => {
    const bytes = new Uint8Array([251, 255, 1, 2]);
    expect(decodeSignature(Buffer.from(bytes).toString("base64url"))).toEqual(Buffer.from(bytes));
    expect(decodeSignature(Buffer.from(bytes).toString("base64"))).toEqual(Buffer.from(bytes));
    expect(decodeSignature("a")).toBeNull();
    expect(decodeSignature("ab=c")).toBeNull();
    expect(decodeSignature("ab$c")).toBeNull();
  });
});

describe("verifyNonceSignature", () => {
  const user = createUser();
  const nonce = newNonce();
  const sig = Buffer.from(user.sign(encoder.encode(nonce)));

  test("accepts the user's signature of the nonce in either base64 form", () => {
    expect(verifyNonceSignature(user.getPublicKey(), nonce, sig.toString("base64url"))).toBeNull();
    expect(verifyNonceSignature(user.getPublicKey(), nonce, sig.toString("base64"))).toBeNull();
  });

  test("refuses a missing, malformed, foreign or replayed signature", () => {
    const pub = user.getPublicKey();
    expect(verifyNonceSignature(pub, nonce, "")).toBe("Signature missing");
    expect(verifyNonceSignature(pub, nonce, "!!")).toBe("Signature not valid base64");
    expect(verifyNonceSignature(pub, newNonce(), sig.toString("base64url")))
      .toBe("Signature not verified");
    const other = Buffer.from(createUser().sign(encoder.encode(nonce))).toString("base64url");
    expect(verifyNonceSignature(pub, nonce, other)).toBe("Signature not verified");
    expect(verifyNonceSignature(pub, nonce, sig.subarray(0, 63).toString("base64url")))
      .toBe("Signature not verified");
    expect(verifyNonceSignature(createAccount().getPublicKey(), nonce,
      sig.toString("base64url"))).toBe("User nkey not valid");
  });
});

describe("newNonce", () => {
  test("is 15 base64url characters (11 random bytes), fresh each time", () => {
    const a = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9_-]{15}$/);
    expect(newNonce()).not.toBe(a);
  });
});
