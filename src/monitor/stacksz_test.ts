import { describe, expect, test } from "bun:test";
import { FakeSource } from "./fake_source.ts";
import { Monitor } from "./monitor.ts";
import { gatherStackInputs, stackDump, STACKSZ_HEAP_TYPES_MAX } from "./stacksz.ts";

const quiet = { info() {}, warn() {}, error() {} };

describe("stackDump", () => {
  test("lists the request's stack, each connection, JetStream off and the heap census", () => {
    const source = new FakeSource();
    const c = source.connect(7, { connect: { name: "worker" } });
    source.subscribe(c, "a.b", "1");
    const dump = stackDump(source, {
      nowWallMs: Date.UTC(2026, 0, 1), pid: 42, runtime: "bun 1.4.5",
      stack: "    at handler (monitor.ts:1:1)",
      heapTypes: new Map([["Promise", 3], ["Timeout", 9], ["Function", 9]]),
    });
    const lines = dump.split("\n");
    expect(lines[0]).toBe("natsd NFAKESERVERID pid 42 (bun 1.4.5) at 2026-01-01T00:00:00Z");
    expect(dump).toContain("== event loop stack at this request ==\n    at handler");
    expect(dump).toContain("== client connections (1) ==\n" +
      `cid 7 Client 127.0.0.1:50007 account=$G name="worker" subs=1 pending_bytes=0 ` +
      "in_msgs=0 out_msgs=0");
    expect(dump).toContain("== JetStream: off ==");
    // Highest counts first, ties by name.
    expect(dump).toContain("== heap objects by type (top 3) ==\nFunction 9\nTimeout 9\nPromise 3");
    expect(dump).not.toContain("goroutine 1 [");
  });

  test("the live process gives a real stack and a bounded heap census", () => {
    const inputs = gatherStackInputs();
    expect(inputs.stack).toContain("gatherStackInputs");
    expect(inputs.heapTypes!.size).toBeGreaterThan(0);
    const dump = stackDump(new FakeSource(), inputs);
    const census = dump.split("== heap objects by type")[1].trim().split("\n").slice(1);
    expect(census.length).toBeLessThanOrEqual(STACKSZ_HEAP_TYPES_MAX);
  });
});

test("/stacksz serves the dump as text, uncounted in http_req_stats", async () => {
  const monitor = new Monitor(new FakeSource(), quiet);
  const response = monitor.handle(new Request("http://monitor/stacksz"));
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
  expect(await response.text()).toContain("== event loop stack at this request ==");
  expect(monitor.router.requestCounts.has("/stacksz")).toBe(false);
});
