/**
 * Sources and mirrors across accounts and domains, through the public API only: account B
 * imports A's `$JS.API.>` under `JS.A.API.>`, A's delivery subjects `deliver.b.>` and the flow
 * control replies `$JS.FC.>`, and B's streams name the origin with `external`. A domain is
 * reached the same way with `external.api = $JS.<domain>.API` (the clients' `domain` option).
 * Two JetStream domains need leaf nodes, which natsd does not have: the domain case here is a
 * server's own domain reached through its domain API prefix.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { isGoServer, type RunningServer, startServer } from "../../harness/server_process.ts";
import { publishMany, readAll, waitForInfo } from "./_helpers.ts";

let server: RunningServer | null = null;
const conns: NatsConnection[] = [];
let dir = "";
afterEach(async () => {
  for (const nc of conns.splice(0)) await nc.close().catch(() => {});
  await server?.stop();
  server = null;
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
  dir = "";
});

function accountsConfig(store: string, bImportsApi = true): string {
  return `
jetstream { store_dir: "${store}" }
accounts {
  A {
    jetstream: enabled
    users: [ { user: a, password: a } ]
    exports: [
      { service: "$JS.API.>" }
      { service: "$JS.FC.>" }
      { stream: "deliver.b.>" }
    ]
  }
  B {
    jetstream: enabled
    users: [ { user: b, password: b } ]
    imports: [
      ${bImportsApi ? '{ service: { account: A, subject: "$JS.API.>" }, to: "JS.A.API.>" }' : ""}
      { service: { account: A, subject: "$JS.FC.>" } }
      { stream: { account: A, subject: "deliver.b.>" } }
    ]
  }
}`;
}

async function start(config: string): Promise<RunningServer> {
  server = await startServer({ config });
  return server;
}

async function user(s: RunningServer, name: string): Promise<NatsConnection> {
  const nc = await connect({ servers: s.url, user: name, pass: name, reconnect: false });
  conns.push(nc);
  return nc;
}

const external = { api: "JS.A.API", deliver: "deliver.b" };

describe("cross-account", () => {
  test("a source and a mirror in B follow A's stream through imports", async () => {
    dir = mkdtempSync(join(tmpdir(), "natsd-xacc-"));
    const s = await start(accountsConfig(dir));
    const a = await user(s, "a");
    const b = await user(s, "b");
    const jsmA = await jetstreamManager(a);
    await jsmA.streams.add({ name: "O", subjects: ["o.>"] });
    await publishMany(a, 3000, (i) => ({ subject: `o.${i % 3}`, payload: `p${i}` }));
    const jsmB = await jetstreamManager(b);
    await jsmB.streams.add({ name: "S", subjects: ["local.>"],
      sources: [{ name: "O", external, filter_subject: "o.1" }] });
    await jsmB.streams.add({ name: "M", mirror: { name: "O", external } });
    const src = await waitForInfo(jsmB, "S", (i) => i.state.messages === 1000);
    // nats-server 2.9 has no filter_subject in StreamSourceInfo (2.10+ has).
    expect(src.sources?.[0]).toMatchObject({ name: "O", external, lag: 0,
      ...(isGoServer() ? {} : { filter_subject: "o.1" }) });
    await waitForInfo(jsmB, "M", (i) => i.state.last_seq === 3000);
    const origin = await readAll(a, "O", 3000);
    expect(await readAll(b, "M", 3000)).toEqual(origin);
    const sourced = await readAll(b, "S", 1000);
    expect(sourced.map((m) => m.payload)).toEqual(
      origin.filter((m) => m.subject === "o.1").map((m) => m.payload));
  }, 30_000);

  test("a push consumer's deliveries reach the importer showing the stream subject", async () => {
    dir = mkdtempSync(join(tmpdir(), "natsd-xacc-"));
    const s = await start(accountsConfig(dir));
    const a = await user(s, "a");
    const b = await user(s, "b");
    const sub = b.subscribe("deliver.b.plain", { max: 2 });
    await b.flush();
    const jsmA = await jetstreamManager(a);
    await jsmA.streams.add({ name: "O", subjects: ["o.>"] });
    await publishMany(a, 2, (i) => ({ subject: `o.${i}`, payload: `p${i}` }));
    await jsmA.consumers.add("O", { deliver_subject: "deliver.b.plain", ack_policy: "none" });
    const got: string[] = [];
    for await (const m of sub) got.push(`${m.subject} ${m.string()} ${m.reply?.split(".")[2]}`);
    expect(got).toEqual(["o.0 p0 O", "o.1 p1 O"]);
  });

  test("without the API import the source reports no progress and stores nothing", async () => {
    dir = mkdtempSync(join(tmpdir(), "natsd-xacc-"));
    const s = await start(accountsConfig(dir, false));
    const a = await user(s, "a");
    const b = await user(s, "b");
    await (await jetstreamManager(a)).streams.add({ name: "O", subjects: ["o.>"] });
    await publishMany(a, 10, (i) => ({ subject: "o.1", payload: `p${i}` }));
    const jsmB = await jetstreamManager(b);
    await jsmB.streams.add({ name: "S", sources: [{ name: "O", external }] });
    // Nothing is partial: no message arrives while the origin's API is out of reach.
    const info = await jsmB.streams.info("S");
    expect(info.sources?.[0]).toMatchObject({ name: "O", external, lag: 0, active: -1 });
    expect(info.state.messages).toBe(0);
  });
});

describe("domain", () => {
  // Go 2.9.10 answers $JS.<domain>.API for clients through an account mapping its internal
  // stream clients bypass, so its own-domain source never gets a consumer: natsd only.
  test.skipIf(isGoServer())("a source through the domain API prefix (the client's domain option)",
    async () => {
    dir = mkdtempSync(join(tmpdir(), "natsd-domain-"));
    const s = await start(`jetstream { store_dir: "${dir}", domain: hub }`);
    const nc = await connect({ servers: s.url, reconnect: false });
    conns.push(nc);
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "O", subjects: ["o.>"] });
    await publishMany(nc, 100, (i) => ({ subject: `o.${i}`, payload: `p${i}` }));
    const created = await jsm.streams.add({ name: "S", sources: [{ name: "O", domain: "hub" }] });
    expect(created.config.sources?.[0].external).toEqual({ api: "$JS.hub.API", deliver: "" });
    const info = await waitForInfo(jsm, "S", (i) => i.state.messages === 100);
    expect(info.sources?.[0]).toMatchObject({ name: "O", lag: 0,
      external: { api: "$JS.hub.API", deliver: "" } });
    const msgs = await readAll(nc, "S", 100);
    expect(msgs[0].headers["Nats-Stream-Source"]).toMatch(/^O:[0-9A-Za-z]{8} 1( > > o\.0)?$/);
  }, 20_000);
});
