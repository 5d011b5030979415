/**
 * JetStream limits from account JWTs (operator mode): an account whose JWT gives storage has
 * JetStream with its stream limit; the first client of a lazily loaded account finds its
 * JetStream ready. Runs against natsd, or any server named by NATS_SERVER (Go 2.9.10 passes).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "@nats-io/transport-node";
import { credsAuthenticator } from "@nats-io/nats-core";
import { jetstreamManager } from "@nats-io/jetstream";
import { type RunningServer, startServer } from "../harness/server_process.ts";
import { type TestAccount, TestOperator, userOf } from "./jwt_fixtures.ts";

describe("JetStream limits from account JWTs", () => {
  let server: RunningServer;
  let a: TestAccount;

  beforeAll(async () => {
    const op = await TestOperator.create();
    a = await op.account("A", { limits: { mem_storage: -1, disk_storage: -1, streams: 1,
      consumer: -1 } as never });
    server = await startServer({ config: `operator: "${op.jwt}"
resolver: MEMORY
${op.preload(a)}
jetstream { store_dir: "./js" }
` });
  });
  afterAll(async () => await server.stop());

  test("the account's stream limit applies", async () => {
    const nc = await connect({ servers: server.url,
      authenticator: credsAuthenticator((await userOf(a)).creds) });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "ONE", subjects: ["one.>"], storage: "memory" });
    const error = await jsm.streams.add({ name: "TWO", subjects: ["two.>"], storage: "memory" })
      .catch((e) => e);
    expect(String(error?.message ?? error)).toContain("maximum number of streams reached");
    await nc.close();
  });
});
