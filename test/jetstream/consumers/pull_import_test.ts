/**
 * Pull requests through a service import (account B pulls from A's consumer): interest in the
 * request's reply is the requester's in B, tracked down through the import's `_R_` reply, as
 * nats-server does. When B's inbox goes away, the next message does not go to the dead request:
 * the request ends with `408 Interest Expired` on its `_R_` reply in A (seen here by a wildcard
 * subscriber there, which does not count as interest), and the message stays pending.
 * Also runs against Go nats-server (NATS_SERVER=nats-server).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type Msg, type NatsConnection } from "@nats-io/transport-node";
import { type RunningServer, startServer } from "../../harness/server_process.ts";

let dir: string;
let server: RunningServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "natsd-pull-import-"));
  server = await startServer({ config: `
    jetstream { store_dir: "${join(dir, "js")}" }
    accounts {
      A: { jetstream: enabled, users: [{ user: a, password: a }],
           exports: [{ service: "$JS.API.CONSUMER.MSG.NEXT.P.c", response_type: stream }] }
      B: { users: [{ user: b, password: b }],
           imports: [{ service: { account: A, subject: "$JS.API.CONSUMER.MSG.NEXT.P.c" },
                       to: "next.c" }] }
    }` });
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function client(user: string): Promise<NatsConnection> {
  return await connect({ servers: server.url, user, pass: user });
}

async function first(sub: AsyncIterable<Msg>): Promise<Msg> {
  for await (const m of sub) return m;
  throw new Error("subscription ended");
}

test("a pull request whose importing requester left ends with 408 Interest Expired",
  async () => {
    const na = await client("a");
    const nb = await client("b");
    try {
      await na.request("$JS.API.STREAM.CREATE.P", JSON.stringify({ name: "P",
        subjects: ["p.>"] }));
      await na.request("$JS.API.CONSUMER.CREATE.P.c", JSON.stringify({ stream_name: "P",
        config: { durable_name: "c", ack_policy: "explicit" } }));
      const statuses = na.subscribe("_R_.>");
      const gone = nb.subscribe("_INBOX.gone");
      await nb.flush();
      nb.publish("next.c", JSON.stringify({ batch: 2, expires: 30_000_000_000 }),
        { reply: "_INBOX.gone" });
      await nb.flush();
      gone.unsubscribe();
      await nb.flush();
      await na.request("p.1", "x");
      const status = await first(statuses);
      expect([status.headers?.code, status.headers?.description,
        status.headers?.get("Nats-Pending-Messages")]).toEqual([408, "Interest Expired", "2"]);
      // The message was not sent to the dead request: still pending, nobody waiting.
      const info = (await na.request("$JS.API.CONSUMER.INFO.P.c")).json<Record<string, unknown>>();
      expect([(info.delivered as Record<string, number>).stream_seq, info.num_pending,
        info.num_waiting]).toEqual([0, 1, 0]);
    } finally {
      await nb.close();
      await na.close();
    }
  });
