/**
 * An account without JetStream on a server with JetStream: every `$JS.API` request gets its own
 * response type with `JetStream not enabled for account` (10039), byte for byte as nats-server
 * sends it, and pull requests or unknown subjects get no answer. Runs against natsd, or Go
 * nats-server with NATS_SERVER=nats-server.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { type RunningServer, startServer } from "../harness/server_process.ts";

let server: RunningServer;
let dir: string;
let nc: NatsConnection;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "natsd-js-notenabled-"));
  const conf = join(dir, "server.conf");
  writeFileSync(conf, `
jetstream { store_dir: "${dir}" }
accounts {
  A { jetstream: enabled, users: [{ user: a, password: a }] }
  B { users: [{ user: b, password: b }] }
}
`);
  server = await startServer({ args: ["-c", conf] });
  nc = await connect({ servers: server.url, user: "b", pass: "b" });
});
afterAll(async () => {
  await nc.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const V1 = "io.nats.jetstream.api.v1.";
const ERROR = '"error":{"code":503,"err_code":10039,' +
  '"description":"JetStream not enabled for account"}';

describe("API requests in an account without JetStream", () => {
  test("each request type answers 10039 in its own response shape", async () => {
    const cases: Array<[string, string]> = [
      ["INFO", `{"type":"${V1}account_info_response",${ERROR}}`],
      ["STREAM.CREATE.X", `{"type":"${V1}stream_create_response",${ERROR}}`],
      ["STREAM.NAMES", `{"type":"${V1}stream_names_response",${ERROR},` +
        '"total":0,"offset":0,"limit":0,"streams":null}'],
      ["STREAM.LIST", `{"type":"${V1}stream_list_response",${ERROR},` +
        '"total":0,"offset":0,"limit":0,"streams":[]}'],
      ["STREAM.PURGE.X", `{"type":"${V1}stream_purge_response",${ERROR},"purged":0}`],
      ["STREAM.MSG.GET.X", `{"type":"${V1}stream_msg_get_response",${ERROR}}`],
      ["STREAM.RESTORE.X", `{"type":"${V1}stream_restore_response",${ERROR},` +
        '"deliver_subject":""}'],
      ["CONSUMER.NAMES.X", `{"type":"${V1}consumer_names_response",${ERROR},` +
        '"total":0,"offset":0,"limit":0,"consumers":[]}'],
      ["CONSUMER.DURABLE.CREATE.X.C", `{"type":"${V1}consumer_create_response",${ERROR}}`],
      ["CONSUMER.DELETE.X.C", `{"type":"${V1}consumer_delete_response",${ERROR}}`],
    ];
    for (const [subject, expected] of cases) {
      const reply = await nc.request(`$JS.API.${subject}`, "{}", { timeout: 3000 });
      expect(`${subject} ${reply.string()}`).toBe(`${subject} ${expected}`);
    }
  });

  test("pull requests and unknown subjects get no answer, and others are unaffected",
    async () => {
      for (const subject of ["CONSUMER.MSG.NEXT.X.C", "BOGUS"]) {
        const outcome = await nc.request(`$JS.API.${subject}`, "{}", { timeout: 300 })
          .then(() => "answered", (error: Error) => error.message);
        expect(outcome).not.toBe("answered");
      }
      const a = await connect({ servers: server.url, user: "a", pass: "a" });
      const info = (await a.request("$JS.API.INFO", "", { timeout: 3000 })).json<
        Record<string, unknown>>();
      expect(info.error).toBeUndefined();
      await a.close();
    });
});

describe("configured accounts and no jetstream setting anywhere", () => {
  test("no account gets JetStream, as nats-server", async () => {
    const own = mkdtempSync(join(tmpdir(), "natsd-js-noacc-"));
    const conf = join(own, "server.conf");
    writeFileSync(conf, `
jetstream { store_dir: "${own}" }
accounts { A { users: [{ user: a, password: a }] } }
`);
    const s = await startServer({ args: ["-c", conf] });
    try {
      const a = await connect({ servers: s.url, user: "a", pass: "a" });
      const reply = await a.request("$JS.API.INFO", "", { timeout: 3000 });
      expect(reply.string()).toBe(`{"type":"${V1}account_info_response",${ERROR}}`);
      await a.close();
    } finally {
      await s.stop();
      rmSync(own, { recursive: true, force: true });
    }
  });
});
