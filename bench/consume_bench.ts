/**
 * Consume throughput, natsd vs Go nats-server, side by side with the same client (@nats-io/
 * jetstream on Bun): pull consumers with batches of 100 and 1000 (explicit acks and ack none)
 * and push consumers (explicit acks and ack none), from a memory stream of 16-byte messages,
 * and a durable pull consumer of a file stream (natsd fsyncs its state before confirming acks,
 * Go writes it lazily).
 * Runs alternate between the servers run by run; each line is the median of RUNS.
 *
 *   node_modules/.bin/bun bench/consume_bench.ts
 *   RUNS=5 MSGS=200000 node_modules/.bin/bun bench/consume_bench.ts
 *   SCENARIO="push, ack none" node_modules/.bin/bun bench/consume_bench.ts   (names containing it)
 *
 * On 2 cores the client competes with the server for CPU: compare ratios, not absolutes.
 */
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { AckPolicy, jetstream, jetstreamManager, StorageType } from "@nats-io/jetstream";
import { type RunningServer, startServer } from "../test/harness/server_process.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const MSGS = Number(process.env.MSGS ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 3);
const ONLY = process.env.SCENARIO ?? "";
const ROOT = join(import.meta.dir, "..");
const SERVERS: Record<string, string[]> = {
  "Go nats-server": ["nats-server"],
  natsd: [join(ROOT, "bin", "natsd")],
};

interface Scenario {
  name: string;
  /** Which stream it reads: the memory one, or the file one. */
  stream: "B" | "BF";
  run: (nc: NatsConnection, stream: string) => Promise<void>;
}

async function pull(nc: NatsConnection, stream: string, batch: number, ack: boolean,
  durable = false) {
  const jsm = await jetstreamManager(nc);
  const ci = await jsm.consumers.add(stream, {
    ack_policy: ack ? AckPolicy.Explicit : AckPolicy.None, max_ack_pending: -1,
    durable_name: durable ? `d${Math.random().toString(36).slice(2, 8)}` : undefined,
  });
  const c = await jetstream(nc).consumers.get(stream, ci.name);
  let n = 0;
  for await (const m of await c.consume({ max_messages: batch })) {
    if (ack) m.ack();
    if (++n === MSGS) break;
  }
  await nc.flush();
}

async function push(nc: NatsConnection, stream: string, ack: boolean) {
  const jsm = await jetstreamManager(nc);
  const name = `push${Math.random().toString(36).slice(2, 8)}`;
  await jsm.consumers.add(stream, { durable_name: name, deliver_subject: `deliver.${name}`,
    ack_policy: ack ? AckPolicy.Explicit : AckPolicy.None, max_ack_pending: ack ? 20_000 : 0 });
  const pc = await jetstream(nc).consumers.getPushConsumer(stream, name);
  let n = 0;
  for await (const m of await pc.consume()) {
    if (ack) m.ack();
    if (++n === MSGS) break;
  }
  await nc.flush();
}

const SCENARIOS: Scenario[] = [
  { name: "pull batch 100, ack explicit", stream: "B", run: (nc, s) => pull(nc, s, 100, true) },
  { name: "pull batch 1000, ack explicit", stream: "B", run: (nc, s) => pull(nc, s, 1000, true) },
  { name: "pull batch 1000, ack none", stream: "B", run: (nc, s) => pull(nc, s, 1000, false) },
  { name: "push, ack explicit", stream: "B", run: (nc, s) => push(nc, s, true) },
  { name: "push, ack none", stream: "B", run: (nc, s) => push(nc, s, false) },
  {
    name: "durable on a file stream, pull batch 1000, ack explicit",
    stream: "BF",
    run: (nc, s) => pull(nc, s, 1000, true, true),
  },
];

async function fill(nc: NatsConnection, stream: string, storage: StorageType): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: stream, subjects: [`${stream}.>`], storage });
  const js = jetstream(nc);
  const payload = new Uint8Array(16);
  const window: Promise<unknown>[] = [];
  for (let i = 0; i < MSGS; i++) {
    window.push(js.publish(`${stream}.x`, payload));
    if (window.length === 1000) await Promise.all(window.splice(0));
  }
  await Promise.all(window);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const results = new Map<string, Map<string, number[]>>();
  const targets: Array<{ label: string; server: RunningServer; nc: NatsConnection }> = [];
  const dirs: string[] = [];
  for (const [label, command] of Object.entries(SERVERS)) {
    const dir = mkdtempSync(join(tmpdir(), "natsd-bench-"));
    dirs.push(dir);
    const server = await startServer({ args: ["-js", "-sd", dir], command });
    const nc = await connect({ servers: server.url });
    await fill(nc, "B", StorageType.Memory);
    await fill(nc, "BF", StorageType.File);
    targets.push({ label, server, nc });
  }
  // Alternate the servers run by run, so drift on a shared machine hits both alike.
  for (const scenario of SCENARIOS.filter((s) => s.name.includes(ONLY))) {
    for (let r = 0; r < RUNS; r++) {
      for (const { label, nc } of targets) {
        const start = performance.now();
        await scenario.run(nc, scenario.stream);
        const rate = MSGS / ((performance.now() - start) / 1000);
        const perServer = results.get(scenario.name) ?? new Map<string, number[]>();
        perServer.set(label, [...(perServer.get(label) ?? []), rate]);
        results.set(scenario.name, perServer);
      }
    }
  }
  for (const { nc, server } of targets) {
    await nc.close();
    await server.stop();
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  console.log(`| scenario (${MSGS} msgs of 16 B, median of ${RUNS}) | Go nats-server msgs/s | ` +
    "natsd msgs/s | natsd / Go |");
  console.log("|---|---|---|---|");
  for (const [name, perServer] of results) {
    const go = median(perServer.get("Go nats-server") ?? [0]);
    const ours = median(perServer.get("natsd") ?? [0]);
    const ratio = (ours / go).toFixed(2);
    console.log(`| ${name} | ${Math.round(go)} | ${Math.round(ours)} | ${ratio} |`);
  }
}

await main();
process.exit(0);
