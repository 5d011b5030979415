import { describe, expect, test } from "bun:test";
import { createAccount, createUser } from "@nats-io/nkeys";
import { ConfigErrors } from "./errors.ts";
import { type LoadedConfig, loadConfigText } from "./options_from_config.ts";

function load(text: string): LoadedConfig {
  return loadConfigText(text, { file: "t.conf" });
}

function errorsOf(text: string): string[] {
  try {
    load(text);
  } catch (error) {
    if (!(error instanceof ConfigErrors)) throw error;
    return error.errors.map((e) => e.reason);
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

describe("authorization users", () => {
  test("users, nkeys, permissions and connection types map", () => {
    const nkey = createUser().getPublicKey();
    const o = load(`authorization {
      users: [
        {user: alice, password: pw, permissions: {
          publish: {allow: ["a.>"], deny: "a.secret"}, subscribe: ["_INBOX.>", "q.* grp"]
          allow_responses: true }}
        {nkey: ${nkey}, allowed_connection_types: ["websocket", "STANDARD"]}
      ]
    }`).options;
    expect(o.users).toEqual([{ username: "alice", password: "pw", account: "",
      defaultPermissions: false, allowedConnectionTypes: [], permissions: {
        publish: { allow: ["a.>"], deny: ["a.secret"] },
        subscribe: { allow: ["_INBOX.>", "q.* grp"], deny: null },
        response: { maxMsgs: 1, expiresMs: 120_000 } } }]);
    expect(o.nkeys).toEqual([{ nkey, account: "", permissions: null, defaultPermissions: false,
      allowedConnectionTypes: ["WEBSOCKET", "STANDARD"] }]);
  });

  test("default_permissions apply to users without their own", () => {
    const o = load(`authorization {
      default_permissions: { publish: "pub.>" }
      users: [ {user: a, password: a}, {user: b, password: b, permissions: {publish: "b"}} ]
    }`).options;
    expect(o.users?.map((u) => [u.username, u.defaultPermissions, u.permissions?.publish]))
      .toEqual([["a", true, { allow: ["pub.>"], deny: null }],
        ["b", false, { allow: ["b"], deny: null }]]);
  });

  test("allow_responses: max and expires, 0 keeps defaults, negative is unlimited", () => {
    const o = load(`authorization { users: [
      {user: a, permissions: { allow_responses: {max: 5, expires: "1s"} }}
      {user: b, permissions: { allow_responses: {max: 0, expires: "0s"} }}
      {user: c, permissions: { allow_responses: {max: -1}, publish: {deny: "x"} }}
      {user: d, permissions: { allow_responses: false }}
    ] }`).options;
    expect(o.users?.map((u) => u.permissions?.response)).toEqual([
      { maxMsgs: 5, expiresMs: 1000 }, { maxMsgs: 1, expiresMs: 120_000 },
      { maxMsgs: -1, expiresMs: 120_000 }, null]);
    expect(o.users?.[2].permissions?.publish).toEqual({ allow: [], deny: ["x"] });
    expect(errorsOf(`authorization { users: [{user: a, permissions: {
      allow_responses: {expires: 5}}}] }`))
      .toEqual(["error parsing expires, not a duration string"]);
  });

  test("nats-server's errors for bad users and bad permission subjects", () => {
    expect(errorsOf("authorization { users: [{password: x}] }"))
      .toEqual(["User entry requires a user"]);
    expect(errorsOf("authorization { users: [{nkey: UBAD}] }"))
      .toEqual(["Not a valid public nkey for a user"]);
    const nkey = createUser().getPublicKey();
    expect(errorsOf(`authorization { users: [{nkey: ${nkey}, user: x}] }`))
      .toEqual(["Nkey users do not take usernames or passwords"]);
    expect(errorsOf("authorization { users: [{user: a, allowed_connection_types: [foo]}] }"))
      .toEqual(['invalid connection types ["FOO"]']);
    expect(errorsOf(`authorization { users: [{user: a, permissions: {publish: "a b"}}] }`))
      .toEqual(['subject "a b" is not a valid subject']);
    expect(errorsOf(`authorization { users: [{user: a, permissions: {subscribe: "a b c"}}] }`))
      .toEqual(['subject "a b c" is not a valid subject']);
    expect(errorsOf("authorization { users: [{user: a, account: x}] }"))
      .toEqual(['unknown field "authorization.users[0].account"']);
  });

  test("conflicts with the single user or token, and duplicates", () => {
    expect(errorsOf("authorization { user: a, password: b, users: [{user: c}] }"))
      .toEqual(["Can not have a single user/pass and a users array"]);
    expect(errorsOf("authorization { token: t, users: [] }"))
      .toEqual(["Can not have a token and a users array"]);
    expect(errorsOf("authorization { users: [{user: a}, {user: a}] }"))
      .toEqual(['Duplicate user "a" detected']);
    expect(errorsOf("accounts { A { users: [{user: a}] } }\nauthorization { users: [{user: a}] }"))
      .toEqual(['Duplicate user "a" detected']);
    expect(errorsOf("authorization { user: a, password: b }\n" +
      "accounts { A { users: [{user: c}] } }"))
      .toEqual(["Can not have a single user/pass and accounts"]);
    expect(errorsOf("authorization { token: t }\naccounts { A { users: [{user: c}] } }"))
      .toEqual(["Can not have a token and accounts"]);
    expect(errorsOf("accounts { A { users: [{user: c}] } }\nauthorization { user: a, pass: b }"))
      .toEqual(["Can not have a single user/pass and a users array"]);
  });

  test("no_auth_user must name a configured user or nkey", () => {
    expect(load("no_auth_user: a\nauthorization { users: [{user: a}] }").options.noAuthUser)
      .toBe("a");
    expect(errorsOf("no_auth_user: b\nauthorization { users: [{user: a}] }")).toEqual([
      'no_auth_user: "b" not present as user or nkey in authorization block or account ' +
      "configuration"]);
  });
});

describe("accounts", () => {
  test("accounts bind their users; exports, imports, mappings and limits map", () => {
    const o = load(`accounts {
      A: {
        users: [{user: a, password: a}]
        exports: [
          {stream: "pub.>"}
          {service: "svc.*", accounts: [B], response_type: chunked, response_threshold: "5s"}
        ]
        mappings: { "m.*": [{destination: "x.$1", weight: 40%}, {dest: "y.$1", weight: 60}] }
        limits: { max_connections: 3, max_subs: 10, max_payload: 512 }
      }
      B: {
        default_permissions: { subscribe: "only.>" }
        users: [{user: b, password: b}]
        imports: [
          {stream: {account: A, subject: "pub.>"}, prefix: "from_a"}
          {stream: {account: A, subject: "pub.x"}, to: "renamed"}
          {service: {account: A, subject: "svc.1"}, to: "local.svc", share: true}
          {service: {account: A, subject: "svc.2"}}
        ]
      }
    }`).options;
    expect(o.users?.map((u) => [u.username, u.account, u.defaultPermissions]))
      .toEqual([["a", "A", false], ["b", "B", true]]);
    const [a, b] = o.accounts!;
    expect(a.streamExports).toEqual([{ subject: "pub.>", accounts: null,
      accountTokenPosition: 0 }]);
    expect(a.serviceExports).toEqual([{ subject: "svc.*", accounts: ["B"],
      accountTokenPosition: 0, responseType: "Chunked", responseThresholdMs: 5000 }]);
    expect(a.mappings).toEqual([{ source: "m.*", destinations: [
      { subject: "x.$1", weight: 40, cluster: "" },
      { subject: "y.$1", weight: 60, cluster: "" }] }]);
    expect(a.limits).toEqual({ maxConnections: 3, maxSubscriptions: 10, maxPayload: 512,
      maxLeafnodes: -1 });
    expect(b.streamImports).toEqual([
      { account: "A", subject: "pub.>", prefix: "from_a", to: "" },
      { account: "A", subject: "pub.x", prefix: "", to: "renamed" }]);
    expect(b.serviceImports).toEqual([
      { account: "A", subject: "svc.1", to: "local.svc", share: true },
      { account: "A", subject: "svc.2", to: "svc.2", share: false }]);
  });

  test("a list of names declares empty accounts", () => {
    expect(load("accounts: [A, B]").options.accounts?.map((a) => a.name)).toEqual(["A", "B"]);
    expect(errorsOf("accounts: [A, A]")).toEqual(["Duplicate Account Entry: A"]);
  });

  test("nats-server's errors for accounts", () => {
    expect(errorsOf("accounts { $G { } }")).toEqual(['"$G" is a Reserved Account']);
    expect(errorsOf("accounts { A: [{user: a}] }")).toEqual(["Expected map entries for accounts"]);
    expect(errorsOf("accounts { A { nkey: ABAD } }"))
      .toEqual(['Not a valid public nkey for an account: "ABAD"']);
    expect(load(`accounts { A { nkey: ${createAccount().getPublicKey()} } }`).options
      .accounts?.[0].nkey).toMatch(/^A/);
    expect(errorsOf(`accounts { A { imports: [{stream: {account: B}}] } }`))
      .toEqual(["Expect an account name and a subject"]);
    expect(errorsOf(`accounts { A { imports: [
      {stream: {account: B, subject: x}, prefix: p, to: t}] } }`))
      .toEqual(["Stream import can not have a 'prefix' and a 'to' property"]);
    expect(errorsOf(`accounts { A { exports: [{stream: x, response_type: stream}] } }`))
      .toEqual(["Detected response directive on non-service"]);
    expect(errorsOf(`accounts { A { imports: [{service: {account: B, subject: x}},
      {service: {account: B, subject: x}}] } }`)).toEqual([
      'Duplicate service import subject "x", previously used in import for account "B", ' +
      'subject "x"']);
  });

  test("mappings: nats-server's errors for subjects and weights", () => {
    expect(errorsOf(`mappings { "a..b": c }`)).toEqual(['Subject "a..b" is not a valid subject']);
    expect(errorsOf(`mappings { a: [{destination: b, weight: 101}] }`))
      .toEqual(["Invalid weight 101 for mapping destination"]);
    expect(errorsOf(`mappings { a: [{destination: b, weight: "x%"}] }`))
      .toEqual(['Invalid weight "x" for mapping destination']);
    expect(errorsOf(`mappings { a: [{destination: b}] }`))
      .toEqual(['Missing weight for mapping destination "b"']);
  });

  test("system_account and no_system_account map; the account must exist", () => {
    expect(load("system_account: SYS\naccounts { SYS {} }").options.systemAccount).toBe("SYS");
    expect(load(`system_account: "$SYS"`).options.systemAccount).toBe("$SYS");
    expect(errorsOf("system_account: SYS"))
      .toEqual(["error resolving system account: account missing"]);
    expect(load("no_sys_acc: true").options.noSystemAccount).toBe(true);
    expect(errorsOf("system_account: 1")).toEqual(["system account name must be a string"]);
  });
});
