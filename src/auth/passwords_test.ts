import { describe, expect, test } from "bun:test";
import { BCRYPT_PASSWORD_BYTES_MAX, isBcrypt, passwordsMatch, secretsEqual } from "./passwords.ts";

describe("isBcrypt", () => {
  test("recognizes Go's bcrypt prefixes only", () => {
    expect(isBcrypt("$2a$11$PWIFAL8RsWyGI3jVZtO9Nu8.6jOxzxfZo7c/W0eLk017hjgUKWrhy")).toBe(true);
    for (const p of ["$2b$10$x", "$2x$04$x", "$2y$12$x"]) expect(isBcrypt(p)).toBe(true);
    for (const p of ["$2c$10$x", "$2a$1$x", "2a$10$x", "secret", ""]) {
      expect(isBcrypt(p)).toBe(false);
    }
  });
});

describe("passwordsMatch", () => {
  test("plain secrets compare exactly", () => {
    expect(passwordsMatch("s3cr3t", "s3cr3t")).toBe(true);
    expect(passwordsMatch("s3cr3t", "s3cr3T")).toBe(false);
    expect(passwordsMatch("s3cr3t", "")).toBe(false);
    expect(passwordsMatch("", "")).toBe(true);
    expect(secretsEqual("é", "é")).toBe(true);
  });

  test("bcrypt hashes verify, whatever the variant prefix", async () => {
    const hash = await Bun.password.hash("s3cr3t", { algorithm: "bcrypt", cost: 4 });
    for (const variant of ["$2a$", "$2b$", "$2y$"]) {
      const h = variant + hash.slice(4);
      expect(passwordsMatch(h, "s3cr3t")).toBe(true);
      expect(passwordsMatch(h, "wrong")).toBe(false);
    }
    // The hash itself is not the password.
    expect(passwordsMatch(hash, hash)).toBe(false);
  });

  test("passwords over 72 bytes never match; a malformed hash matches nothing", async () => {
    const long = "x".repeat(BCRYPT_PASSWORD_BYTES_MAX + 1);
    const hash = await Bun.password.hash(long, { algorithm: "bcrypt", cost: 4 });
    expect(passwordsMatch(hash, long)).toBe(false);
    expect(passwordsMatch("$2a$10$tooShort", "x")).toBe(false);
  });
});
