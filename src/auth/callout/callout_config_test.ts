/** `authorization { auth_callout {} }` as nats-server's parseAuthCallout reads it. */
import { expect, test } from "bun:test";
import { createAccount, createCurve } from "@nats-io/jwt";
import { ConfigErrors } from "../../config/errors.ts";
import { loadConfigText } from "../../config/options_from_config.ts";

const issuer = createAccount().getPublicKey();
const xkey = createCurve().getPublicKey();

function errorsOf(text: string): string[] {
  try {
    loadConfigText(text, { file: "t.conf" });
  } catch (error) {
    if (!(error instanceof ConfigErrors)) throw error;
    return error.errors.map((e) => e.reason);
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

const block = (inner: string) => `accounts {
  AUTH { users: [{user: a, password: p}] }
  B {}
}
authorization { auth_callout { ${inner} } }`;

test("issuer, account, auth_users, xkey and allowed_accounts map", () => {
  const o = loadConfigText(block(`issuer: ${issuer}, account: AUTH, auth_users: [a], ` +
    `xkey: ${xkey}, allowed_accounts: [B]`), { file: "t.conf" }).options;
  expect(o.authCallout).toEqual({ issuer, account: "AUTH", authUsers: ["a"], xkey,
    allowedAccounts: ["B"] });
  const defaults = loadConfigText(block(`issuer: ${issuer}, auth_users: [a]`),
    { file: "t.conf" }).options;
  expect(defaults.authCallout?.account).toBe("$G");
});

test("Go's config errors", () => {
  expect(errorsOf(block("issuer: nope, auth_users: [a]")))
    .toEqual(['Expected callout user to be a valid public account nkey, got "nope"']);
  expect(errorsOf(block(`issuer: ${issuer}, auth_users: [a], xkey: bad`)))
    .toEqual(['Expected callout xkey to be a valid public xkey, got "bad"']);
  expect(errorsOf(block("auth_users: [a]")))
    .toEqual(["Authorization callouts require an issuer to be specified"]);
  expect(errorsOf(block(`issuer: ${issuer}`)))
    .toEqual(["Authorization callouts require authorized users to be specified"]);
  expect(errorsOf(block(`issuer: ${issuer}, auth_users: [a], allowed_accounts: [ZZ]`)))
    .toEqual(['auth_callout allowed account "ZZ" not found in configured accounts']);
});
