/**
 * One suite for both account resolvers (MEMORY and the full directory resolver), then what
 * only the directory resolver does: files, newer-wins stores, limits and deletes.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAccount, createOperator, encodeAccount } from "@nats-io/jwt";
import { DirResolver } from "./dir_resolver.ts";
import { type AccountResolver, MemoryResolver, ResolverError } from "./resolver.ts";

const operator = createOperator();
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "natsd-resolver-"));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An account JWT; with `iat`, signed by hand (the encoder always stamps the time now). */
async function accountJwt(name = "A", kp = createAccount(), iat?: number):
  Promise<{ key: string; jwt: string }> {
  const key = kp.getPublicKey();
  if (iat === undefined) {
    return { key, jwt: await encodeAccount(name, kp, {}, { signer: operator }) };
  }
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const head = `${part({ typ: "JWT", alg: "ed25519-nkey" })}.${part({ jti: `${name}${iat}`,
    iat, iss: operator.getPublicKey(), sub: key, name, nats: { type: "account", version: 2 } })}`;
  const sig = Buffer.from(operator.sign(new TextEncoder().encode(head))).toString("base64url");
  return { key, jwt: `${head}.${sig}` };
}

const implementations: [string, () => AccountResolver][] = [
  ["MEMORY", () => new MemoryResolver()],
  ["FULL", () => new DirResolver({ dir: tempDir(), limit: 0, deleteMode: "hard" })],
];

for (const [name, make] of implementations) {
  describe(`${name} resolver`, () => {
    test("fetches what was stored and lists it; unknown keys are null", async () => {
      const resolver = make();
      const a = await accountJwt();
      expect(resolver.fetch(a.key)).toBeNull();
      expect(resolver.store(a.key, a.jwt)).toBe(true);
      expect(resolver.fetch(a.key)).toBe(a.jwt);
      expect(resolver.list()).toEqual([a.key]);
    });

    test("an update replaces the JWT; the same JWT again changes nothing", async () => {
      const resolver = make();
      const kp = createAccount();
      const first = await accountJwt("A", kp);
      const second = await accountJwt("A2", kp);
      resolver.store(first.key, first.jwt);
      expect(resolver.update(first.key, second.jwt)).toBe(true);
      expect(resolver.fetch(first.key)).toBe(second.jwt);
      expect(resolver.update(first.key, second.jwt)).toBe(false);
    });
  });
}

describe("directory resolver", () => {
  test("stores one <key>.jwt file per account and reads an existing directory", async () => {
    const dir = tempDir();
    const a = await accountJwt();
    new DirResolver({ dir, limit: 0, deleteMode: "none" }).store(a.key, a.jwt);
    expect(existsSync(join(dir, `${a.key}.jwt`))).toBe(true);
    const reopened = new DirResolver({ dir, limit: 0, deleteMode: "none" });
    expect(reopened.fetch(a.key)).toBe(a.jwt);
    expect(reopened.list()).toEqual([a.key]);
  });

  test("store keeps a newer JWT; update (a claims push) does not compare", async () => {
    const resolver = new DirResolver({ dir: tempDir(), limit: 0, deleteMode: "none" });
    const kp = createAccount();
    const newer = await accountJwt("new", kp, Math.floor(Date.now() / 1000) + 100);
    const older = await accountJwt("old", kp, Math.floor(Date.now() / 1000) - 100);
    resolver.store(kp.getPublicKey(), newer.jwt);
    expect(resolver.store(kp.getPublicKey(), older.jwt)).toBe(false);
    expect(resolver.fetch(kp.getPublicKey())).toBe(newer.jwt);
    expect(resolver.update(kp.getPublicKey(), older.jwt)).toBe(true);
    expect(resolver.fetch(kp.getPublicKey())).toBe(older.jwt);
  });

  test("a full store refuses new accounts but still takes updates", async () => {
    const resolver = new DirResolver({ dir: tempDir(), limit: 1, deleteMode: "none" });
    const kp = createAccount();
    const a = await accountJwt("A", kp);
    resolver.store(a.key, a.jwt);
    const b = await accountJwt();
    expect(() => resolver.store(b.key, b.jwt)).toThrow(new ResolverError("jwt store is full"));
    expect(resolver.update(a.key, (await accountJwt("A2", kp)).jwt)).toBe(true);
  });

  test("deletes rename or remove the file, or are refused without allow_delete", async () => {
    const a = await accountJwt();
    const renaming = new DirResolver({ dir: tempDir(), limit: 0, deleteMode: "rename" });
    renaming.store(a.key, a.jwt);
    renaming.delete(a.key);
    expect(renaming.fetch(a.key)).toBeNull();
    expect(existsSync(join(renaming.config.dir, `${a.key}.jwt.deleted`))).toBe(true);
    const hard = new DirResolver({ dir: tempDir(), limit: 0, deleteMode: "hard" });
    hard.store(a.key, a.jwt);
    hard.delete(a.key);
    expect(hard.list()).toEqual([]);
    const none = new DirResolver({ dir: tempDir(), limit: 0, deleteMode: "none" });
    expect(() => none.delete(a.key)).toThrow(ResolverError);
    expect(() => new MemoryResolver().delete(a.key)).toThrow(ResolverError);
  });

  test("keys that are not account keys are refused", () => {
    const resolver = new DirResolver({ dir: tempDir(), limit: 0, deleteMode: "none" });
    expect(resolver.fetch("../etc/passwd")).toBeNull();
    expect(() => resolver.update("../x", "eyJ")).toThrow(new ResolverError("invalid public key"));
  });
});
