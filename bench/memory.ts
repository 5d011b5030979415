/**
 * Memory cost beside speed: resident memory of natsd and Go nats-server at rest, per idle
 * connection and per subscription, measured from /proc/<pid>/status (VmRSS) after a fixed
 * workload.
 *   bun bench/memory.ts            # CONNECTIONS=2000 SUBSCRIPTIONS=100000
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RawClient } from "../test/harness/raw_client.ts";
import { startServer } from "../test/harness/server_process.ts";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";

const CONNECTIONS = Number(process.env.CONNECTIONS ?? 2000);
const STORED_MESSAGES = Number(process.env.STORED_MESSAGES ?? 200_000);
const SUBSCRIPTIONS = Number(process.env.SUBSCRIPTIONS ?? 100_000);
const NATSD = join(import.meta.dir, "..", "bin", "natsd");

function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

/** RSS growth per message stored in a stream of the given storage (16-byte payloads). */
async function perStoredMessageBytes(command: string, storage: "memory" | "file") {
  process.env.NATS_SERVER = command;
  const dir = mkdtempSync(join(tmpdir(), "natsd-mem-js-"));
  const server = await startServer({ args: ["-js", "-sd", dir] });
  try {
    const nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "M", subjects: ["m.>"], storage: storage as never });
    const before = rssKiB(server.pid);
    const payload = new Uint8Array(16);
    for (let i = 0; i < STORED_MESSAGES; i++) {
      nc.publish(`m.${i % 1000}`, payload);
      if (i % 10_000 === 9_999) await nc.flush();
    }
    await nc.flush();
    while ((await jsm.streams.info("M")).state.messages < STORED_MESSAGES) await nc.flush();
    const after = rssKiB(server.pid);
    await nc.close();
    return Math.round(((after - before) * 1024) / STORED_MESSAGES);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** natsd runs on Bun, whose process is the child of bin/natsd's exec: same pid. */
async function measure(command: string) {
  process.env.NATS_SERVER = command;
  const server = await startServer();
  try {
    const idleKiB = rssKiB(server.pid);
    const clients: RawClient[] = [];
    for (let i = 0; i < CONNECTIONS; i++) {
      const client = await RawClient.connect(server.port);
      await client.readInfo();
      client.send('CONNECT {"verbose":false,"pedantic":false}\r\n');
      clients.push(client);
    }
    await clients[clients.length - 1].flush();
    const withConnectionsKiB = rssKiB(server.pid);
    const subscriber = clients[0];
    const batch = 1000;
    for (let i = 0; i < SUBSCRIPTIONS; i += batch) {
      let text = "";
      for (let j = i; j < i + batch; j++) text += `SUB bench.sub.${j} ${j + 1}\r\n`;
      await subscriber.write(text);
      await subscriber.flush();
    }
    const withSubscriptionsKiB = rssKiB(server.pid);
    for (const client of clients) client.close();
    return {
      idleKiB,
      perConnectionBytes: Math.round(((withConnectionsKiB - idleKiB) * 1024) / CONNECTIONS),
      perSubscriptionBytes: Math.round(((withSubscriptionsKiB - withConnectionsKiB) * 1024) /
        SUBSCRIPTIONS),
      peakKiB: Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"))![1]),
    };
  } finally {
    await server.stop();
  }
}

const rows: [string, Awaited<ReturnType<typeof measure>>][] = [];
rows.push(["natsd", await measure(NATSD)]);
rows.push(["nats-server", await measure(process.env.GO_NATS_SERVER ?? "nats-server")]);
const stored: [string, number, number][] = [];
for (const [name, command] of [["natsd", NATSD],
  ["nats-server", process.env.GO_NATS_SERVER ?? "nats-server"]] as const) {
  stored.push([name, await perStoredMessageBytes(command, "memory"),
    await perStoredMessageBytes(command, "file")]);
}
console.log(`connections=${CONNECTIONS} subscriptions=${SUBSCRIPTIONS} ` +
  `(${new Date().toISOString().slice(0, 10)})`);
console.log("| server | RSS at start | per idle connection | per subscription | peak RSS |");
console.log("|---|---|---|---|---|");
for (const [name, m] of rows) {
  console.log(`| ${name} | ${(m.idleKiB / 1024).toFixed(1)} MiB | ${m.perConnectionBytes} B | ` +
    `${m.perSubscriptionBytes} B | ${(m.peakKiB / 1024).toFixed(1)} MiB |`);
}
console.log(`\nstored messages=${STORED_MESSAGES} (16 B payloads, 1000 subjects)`);
console.log("| server | RSS per message, memory stream | RSS per message, file stream |");
console.log("|---|---|---|");
for (const [name, memory, file] of stored) console.log(`| ${name} | ${memory} B | ${file} B |`);
process.exit(0);
