/**
 * KV put and get rates, natsd vs Go nats-server, side by side with the official @nats-io/kv
 * client on Bun: puts one at a time (each waits for its PubAck) and pipelined (a window of
 * outstanding puts), gets one at a time and from several concurrent getters, on a file bucket
 * and a memory bucket. natsd fsyncs before acknowledging a put to a file bucket; Go acknowledges
 * before its lazy sync. Runs alternate between the servers run by run; each line is the median
 * of RUNS.
 *
 *   node_modules/.bin/bun bench/kv_bench.ts
 *   RUNS=5 OPS=20000 node_modules/.bin/bun bench/kv_bench.ts
 *
 * On 2 cores the client competes with the server for CPU: compare ratios, not absolutes.
 */
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { StorageType } from "@nats-io/jetstream";
import { type KV, Kvm } from "@nats-io/kv";
import { type RunningServer, startServer } from "../test/harness/server_process.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RateTable, SERVERS } from "./_side_by_side.ts";

const OPS = Number(process.env.OPS ?? 10_000);
const RUNS = Number(process.env.RUNS ?? 3);
/** Outstanding puts in the pipelined scenario. */
const PUT_WINDOW = 100;
/** Concurrent getters in the parallel get scenario. */
const GETTERS = 4;
/** Distinct keys the gets read (written once before the get scenarios). */
const KEYS = 1000;
const VALUE = new Uint8Array(16);

interface Scenario {
  name: string;
  storage: "file" | "memory";
  /** Sequential puts wait for an fsync each on natsd: fewer of them keep the run short. */
  ops: number;
  run: (kv: KV, ops: number) => Promise<void>;
}

async function putSequential(kv: KV, ops: number): Promise<void> {
  for (let i = 0; i < ops; i++) await kv.put(`k${i % KEYS}`, VALUE);
}

async function putPipelined(kv: KV, ops: number): Promise<void> {
  const window: Promise<unknown>[] = [];
  for (let i = 0; i < ops; i++) {
    window.push(kv.put(`k${i % KEYS}`, VALUE));
    if (window.length === PUT_WINDOW) await Promise.all(window.splice(0));
  }
  await Promise.all(window);
}

async function getSequential(kv: KV, ops: number): Promise<void> {
  for (let i = 0; i < ops; i++) {
    if ((await kv.get(`k${i % KEYS}`)) === null) throw new Error("missing key");
  }
}

async function getParallel(kv: KV, ops: number): Promise<void> {
  const each = Math.ceil(ops / GETTERS);
  await Promise.all(Array.from({ length: GETTERS }, () => getSequential(kv, each)));
}

function scenarios(storage: "file" | "memory"): Scenario[] {
  const sequentialPuts = storage === "file" ? Math.min(OPS, 2_000) : OPS;
  return [
    { name: `put, one at a time, ${storage}`, storage, ops: sequentialPuts, run: putSequential },
    { name: `put, window ${PUT_WINDOW}, ${storage}`, storage, ops: OPS * 5, run: putPipelined },
    { name: `get, one at a time, ${storage}`, storage, ops: OPS, run: getSequential },
    { name: `get, ${GETTERS} concurrent getters, ${storage}`, storage, ops: OPS, run: getParallel },
  ];
}

interface Target {
  label: string;
  server: RunningServer;
  nc: NatsConnection;
  buckets: Record<"file" | "memory", KV>;
}

async function openTarget(label: string, command: string[], dir: string): Promise<Target> {
  const server = await startServer({ args: ["-js", "-sd", dir], command });
  const nc = await connect({ servers: server.url });
  const kvm = new Kvm(nc);
  const file = await kvm.create("benchfile", { history: 1 });
  const memory = await kvm.create("benchmem", { history: 1, storage: StorageType.Memory });
  await putPipelined(file, KEYS);
  await putPipelined(memory, KEYS);
  return { label, server, nc, buckets: { file, memory } };
}

async function main(): Promise<void> {
  const results = new RateTable();
  const targets: Target[] = [];
  const dirs: string[] = [];
  for (const [label, command] of Object.entries(SERVERS)) {
    const dir = mkdtempSync(join(tmpdir(), "natsd-kvbench-"));
    dirs.push(dir);
    targets.push(await openTarget(label, command, dir));
  }
  // Alternate the servers run by run, so drift on a shared machine hits both alike.
  for (const scenario of [...scenarios("file"), ...scenarios("memory")]) {
    for (let r = 0; r < RUNS; r++) {
      for (const { label, buckets } of targets) {
        const start = performance.now();
        await scenario.run(buckets[scenario.storage], scenario.ops);
        results.add(scenario.name, label, scenario.ops / ((performance.now() - start) / 1000));
      }
    }
  }
  for (const { nc, server } of targets) {
    await nc.close();
    await server.stop();
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  results.print(`KV scenario (16 B values, median of ${RUNS})`, "ops/s");
}

await main();
process.exit(0);
