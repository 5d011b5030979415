import { expect, test } from "bun:test";
import { createAccount, createServer } from "@nats-io/jwt";
import { ConfigErrors } from "../config/errors.ts";
import { loadConfigText } from "../config/options_from_config.ts";
import { checkProxy, isValidProxyKey } from "./proxies.ts";

const proxy = createServer();
const sign = (nonce: string) =>
  Buffer.from(proxy.sign(new TextEncoder().encode(nonce))).toString("base64url");

test("checkProxy: trusted, untrusted, wrong nonce, bad base64, not proxied", () => {
  const keys = [createAccount().getPublicKey(), proxy.getPublicKey()];
  expect(checkProxy(keys, "n1", sign("n1"))).toEqual({ proxied: true, trusted: true,
    key: proxy.getPublicKey() });
  expect(checkProxy(keys, "n1", sign("n2"))).toEqual({ proxied: true, trusted: false,
    reason: "proxy is not trusted" });
  expect(checkProxy([keys[0]], "n1", sign("n1")).trusted).toBe(false);
  expect(checkProxy(keys, "n1", "not base64!")).toEqual({ proxied: true, trusted: false,
    reason: "Proxy signature not valid base64" });
  expect(checkProxy(keys, "n1", "")).toEqual({ proxied: false, trusted: false });
  expect(checkProxy([], "n1", sign("n1"))).toEqual({ proxied: false, trusted: false });
});

test("proxies and proxy_required map from the config; bad keys are errors", () => {
  const o = loadConfigText(`proxies { trusted: [{key: ${proxy.getPublicKey()}}] }
authorization { user: a, password: b, proxy_required: true }`, { file: "t.conf" }).options;
  expect(o.proxiesTrusted).toEqual([proxy.getPublicKey()]);
  expect(o.proxyRequired).toBe(true);
  const users = loadConfigText("authorization { users: [{user: a, password: b, " +
    "proxy_required: true}] }", { file: "t.conf" }).options;
  expect(users.users?.[0].proxyRequired).toBe(true);
  expect(isValidProxyKey("nope")).toBe(false);
  try {
    loadConfigText("proxies { trusted: [{key: nope}] }", { file: "t.conf" });
    throw new Error("accepted a bad key");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigErrors);
    expect((error as ConfigErrors).errors.map((e) => e.reason)).toEqual([
      'invalid proxy key "nope"']);
  }
});
