/**
 * JetStream enablement through the process: -js/-sd and the `jetstream {}` block, INFO's
 * `jetstream`, the API through the official client, and the log banner. Runs against natsd, or
 * Go nats-server with NATS_SERVER=nats-server (2.9.10 differences are branched on).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { RawClient } from "../harness/raw_client.ts";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function server(options: Parameters<typeof startServer>[0]): Promise<RunningServer> {
  const s = await startServer(options);
  cleanups.push(() => s.stop());
  return s;
}

async function client(s: RunningServer): Promise<NatsConnection> {
  const nc = await connect({ servers: s.url });
  cleanups.push(() => nc.close());
  return nc;
}

function storeDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "natsd-js-store-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("JetStream enablement", () => {
  test("-js -sd: INFO says jetstream, the account info answers, the banner is logged", async () => {
    const dir = storeDir();
    const s = await server({ args: ["-js", "-sd", dir] });
    const raw = await RawClient.connect(s.port);
    const info = await raw.readInfo();
    raw.close();
    expect(info.jetstream).toBe(true);
    if (!isGoServer()) expect(info.api_lvl).toBe(4);
    const jsm = await jetstreamManager(await client(s));
    const account = await jsm.getAccountInfo();
    expect(account.limits.max_streams).toBe(-1);
    expect(account.api.errors).toBe(0);
    expect(s.log()).toContain(`Store Directory: "${join(dir, "jetstream")}"`);
  });

  test("the jetstream {} block enables JetStream with its settings", async () => {
    const dir = storeDir();
    const s = await server({ config: `jetstream {\n store_dir: "${dir}"\n ` +
      `max_memory_store: 64MB\n max_file_store: 1GB\n domain: hub\n}` });
    expect(s.log()).toContain("Domain:          hub");
    const nc = await client(s);
    const jsm = await jetstreamManager(nc);
    const info = await jsm.getAccountInfo();
    expect(info.domain).toBe("hub");
    // The domain-prefixed API answers too.
    const reply = await nc.request("$JS.hub.API.INFO", "", { timeout: 5000 });
    expect(reply.json<{ type: string }>().type).toBe(
      "io.nats.jetstream.api.v1.account_info_response");
  });

  test("without -js the JetStream API has no responders", async () => {
    const s = await server({});
    const nc = await client(s);
    await expect(nc.request("$JS.API.INFO", "", { timeout: 5000 })).rejects.toThrow();
  });
});
