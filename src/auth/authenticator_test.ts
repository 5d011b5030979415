import { describe, expect, test } from "bun:test";
import { createUser } from "@nats-io/nkeys";
import { type AuthOptions, type AuthRequest, Authenticator } from "./authenticator.ts";
import { newNonce } from "./nkeys.ts";
import type { NkeyUserConfig, PermissionsConfig, UserConfig } from "./types.ts";

const encoder = new TextEncoder();

function options(o: Partial<AuthOptions>): AuthOptions {
  return { username: "", password: "", authToken: "", noAuthUser: "", users: [], nkeys: [], ...o };
}

function user(username: string, password: string, extra: Partial<UserConfig> = {}): UserConfig {
  return { username, password, permissions: null, defaultPermissions: false, account: "",
    allowedConnectionTypes: [], ...extra };
}

function nkeyUser(nkey: string, extra: Partial<NkeyUserConfig> = {}): NkeyUserConfig {
  return { nkey, permissions: null, defaultPermissions: false, account: "",
    allowedConnectionTypes: [], ...extra };
}

function request(r: Partial<AuthRequest>): AuthRequest {
  return { user: "", pass: "", authToken: "", nkey: "", sig: "", nonce: "",
    connectionType: "STANDARD", ...r };
}

const PERMS: PermissionsConfig = { publish: { allow: ["a"], deny: null }, subscribe: null,
  response: null };

describe("Authenticator", () => {
  test("without auth settings everyone is in and INFO needs no nonce", () => {
    const auth = new Authenticator(options({}));
    expect([auth.required, auth.nonceRequired]).toEqual([false, false]);
    expect(auth.authenticate(request({ user: "x", pass: "y" })).ok).toBe(true);
  });

  test("a token must match (plain or bcrypt)", async () => {
    const plain = new Authenticator(options({ authToken: "s3cr3t" }));
    expect(plain.required).toBe(true);
    expect(plain.authenticate(request({ authToken: "s3cr3t" })).ok).toBe(true);
    expect(plain.authenticate(request({ authToken: "nope" }))).toEqual({ ok: false,
      reason: "Bad token" });
    expect(plain.authenticate(request({})).ok).toBe(false);
    const hash = await Bun.password.hash("s3cr3t", { algorithm: "bcrypt", cost: 4 });
    const bcrypt = new Authenticator(options({ authToken: hash }));
    expect(bcrypt.authenticate(request({ authToken: "s3cr3t" })).ok).toBe(true);
    expect(bcrypt.authenticate(request({ authToken: hash })).ok).toBe(false);
  });

  test("the single user needs both the name and the password", () => {
    const auth = new Authenticator(options({ username: "derek", password: "pw" }));
    expect(auth.authenticate(request({ user: "derek", pass: "pw" })).ok).toBe(true);
    expect(auth.authenticate(request({ user: "derek", pass: "x" })).ok).toBe(false);
    expect(auth.authenticate(request({ user: "bob", pass: "pw" })).ok).toBe(false);
  });

  test("users: name and password select the user and its permissions", () => {
    const auth = new Authenticator(options({ users: [user("alice", "a", { permissions: PERMS,
      account: "ACC" }), user("bob", "b")] }));
    const alice = auth.authenticate(request({ user: "alice", pass: "a" }));
    expect(alice.ok && alice.user?.account).toBe("ACC");
    expect(alice.ok && alice.user?.permissions?.publishAllowed("a")).toBe(true);
    const bob = auth.authenticate(request({ user: "bob", pass: "b" }));
    expect(bob.ok && bob.user?.permissions).toBeNull();
    expect(auth.authenticate(request({ user: "alice", pass: "b" }))).toEqual({ ok: false,
      reason: "Bad password" });
    expect(auth.authenticate(request({ user: "carol", pass: "c" }))).toEqual({ ok: false,
      reason: "User not found" });
    expect(auth.authenticate(request({})).ok).toBe(false);
  });

  test("nkeys: the signature of this connection's nonce proves the key", () => {
    const kp = createUser();
    const pub = kp.getPublicKey();
    const auth = new Authenticator(options({ nkeys: [nkeyUser(pub)], users: [user("u", "p")] }));
    expect(auth.nonceRequired).toBe(true);
    const nonce = newNonce();
    const sig = Buffer.from(kp.sign(encoder.encode(nonce))).toString("base64url");
    const ok = auth.authenticate(request({ nkey: pub, sig, nonce }));
    expect(ok).toMatchObject({ ok: true, boundNkey: pub });
    expect(auth.authenticate(request({ nkey: pub, sig, nonce: newNonce() })))
      .toEqual({ ok: false, reason: "Signature not verified" });
    expect(auth.authenticate(request({ nkey: pub, nonce }))).toEqual({ ok: false,
      reason: "Signature missing" });
    expect(auth.authenticate(request({ nkey: createUser().getPublicKey(), sig, nonce })))
      .toEqual({ ok: false, reason: "Nkey not found" });
    // Without an nkey in CONNECT, the users are checked.
    expect(auth.authenticate(request({ user: "u", pass: "p", nonce })).ok).toBe(true);
  });

  test("no_auth_user: a client with no credentials becomes that user", () => {
    const auth = new Authenticator(options({ noAuthUser: "guest",
      users: [user("guest", "pw", { account: "G" }), user("admin", "secret")] }));
    const anonymous = auth.authenticate(request({}));
    expect(anonymous).toMatchObject({ ok: true, boundUser: "guest" });
    // Credentials, even wrong ones, are checked as given.
    expect(auth.authenticate(request({ user: "admin", pass: "bad" })).ok).toBe(false);
    expect(auth.authenticate(request({ authToken: "x" })).ok).toBe(false);
  });

  test("no_auth_user may name an nkey user: no signature is needed then", () => {
    const pub = createUser().getPublicKey();
    const auth = new Authenticator(options({ noAuthUser: pub, nkeys: [nkeyUser(pub)] }));
    expect(auth.authenticate(request({}))).toMatchObject({ ok: true, boundNkey: pub });
  });

  test("allowed connection types are enforced", () => {
    const auth = new Authenticator(options({
      users: [user("ws", "p", { allowedConnectionTypes: ["WEBSOCKET"] })] }));
    expect(auth.authenticate(request({ user: "ws", pass: "p" }))).toEqual({ ok: false,
      reason: "Connection type not allowed" });
    expect(auth.authenticate(request({ user: "ws", pass: "p", connectionType: "WEBSOCKET" })).ok)
      .toBe(true);
  });

  test("refusal reasons never carry the secrets", () => {
    const auth = new Authenticator(options({ users: [user("alice", "topsecret")] }));
    const verdict = auth.authenticate(request({ user: "alice", pass: "guess-1234" }));
    expect(JSON.stringify(verdict)).not.toMatch(/topsecret|guess-1234/);
  });

  test("plaintext passwords are detected, bcrypt hashes are not", async () => {
    const hash = await Bun.password.hash("x", { algorithm: "bcrypt", cost: 4 });
    expect(new Authenticator(options({ users: [user("a", "plain")] })).hasPlaintextPasswords())
      .toBe(true);
    expect(new Authenticator(options({ users: [user("a", hash)] })).hasPlaintextPasswords())
      .toBe(false);
    expect(new Authenticator(options({ username: "a", password: "b" })).hasPlaintextPasswords())
      .toBe(true);
  });
});
