/**
 * /stacksz: nats-server dumps every goroutine's stack. natsd runs on one JavaScript event loop
 * and has no goroutines, so it dumps what it can truly see instead, as plain text: the event
 * loop's stack at the moment of the request (which shows the loop is alive and answering), the
 * live client connections with their pending output, JetStream's streams and consumers, and
 * the JavaScriptCore heap's object counts by type (pending Promises and Timeouts are the
 * nearest thing to parked goroutines). Bun exposes no list of its active timers or sockets,
 * so none is invented.
 * @module
 */
import { heapStats } from "bun:jsc";
import { rfc3339 } from "./go_format.ts";
import type { MonitorSource } from "./source.ts";

/** Heap object types listed, by descending count. */
export const STACKSZ_HEAP_TYPES_MAX = 25;

/** What the dump is made of; gathered by `gatherStackInputs`, pure to format. */
export interface StackInputs {
  nowWallMs: number;
  pid: number;
  runtime: string;
  /** The event loop's stack at the request (Error().stack). */
  stack: string;
  /** Heap object counts by JavaScriptCore type, absent when bun:jsc is unavailable. */
  heapTypes: ReadonlyMap<string, number> | null;
}

/** Reads the live process (the heap census costs about as much as one small GC pass). */
export function gatherStackInputs(): StackInputs {
  const stack = new Error("stacksz").stack ?? "";
  const heapTypes = new Map(Object.entries(heapStats().objectTypeCounts));
  return {
    nowWallMs: Date.now(),
    pid: process.pid,
    runtime: `bun ${Bun.version}`,
    stack: stack.split("\n").slice(1).join("\n"),
    heapTypes,
  };
}

function connectionLines(source: MonitorSource): string[] {
  const lines = [`== client connections (${source.clients.size}) ==`];
  for (const c of source.clients.values()) {
    const subs = c.subscriptions.size;
    const address = `${c.socket.remoteAddress}:${c.socket.remotePort ?? 0}`;
    const name = c.connect.name !== "" ? ` name=${JSON.stringify(c.connect.name)}` : "";
    lines.push(`cid ${c.cid} ${c.kind} ${address} account=${c.account?.name ?? "-"}${name} ` +
      `subs=${subs} pending_bytes=${c.outbound.pendingBytes} in_msgs=${c.inMsgs} ` +
      `out_msgs=${c.outMsgs}`);
  }
  return lines;
}

function jetStreamLines(source: MonitorSource): string[] {
  const js = source.jetstream ?? null;
  if (js === null) return ["== JetStream: off =="];
  const lines = ["== JetStream =="];
  for (const [account, jsa] of js.accounts) {
    for (const stream of jsa.streams.values()) {
      const state = stream.store.fastState();
      lines.push(`account ${account} stream ${stream.name} (${stream.config.storage}) ` +
        `msgs=${state.msgs} bytes=${state.bytes} consumers=${stream.consumers.count}`);
    }
  }
  return lines;
}

function heapLines(types: ReadonlyMap<string, number> | null): string[] {
  if (types === null) return ["== heap objects: not available =="];
  const top = [...types].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, STACKSZ_HEAP_TYPES_MAX);
  return [`== heap objects by type (top ${top.length}) ==`,
    ...top.map(([type, count]) => `${type} ${count}`)];
}

/** The text /stacksz serves. */
export function stackDump(source: MonitorSource, inputs: StackInputs): string {
  return [
    `natsd ${source.id} pid ${inputs.pid} (${inputs.runtime}) at ${rfc3339(inputs.nowWallMs)}`,
    "natsd has no goroutines: one event loop runs the server (see docs/monitoring.md).",
    "",
    "== event loop stack at this request ==",
    inputs.stack,
    "",
    ...connectionLines(source),
    "",
    ...jetStreamLines(source),
    "",
    ...heapLines(inputs.heapTypes),
    "",
  ].join("\n");
}
