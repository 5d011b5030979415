import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { health, healthAssets, type HealthOptions } from "./healthz.ts";

const JS = healthAssets({
  accounts: new Map([["A", {
    streams: new Map([["S", { consumers: { consumers: new Map([["C", {}]]) } }]]),
  }]]),
});
const RUNNING = { jetStreamConfigured: true, jetStreamEnabled: true, assets: JS };

function options(o: Partial<HealthOptions>): HealthOptions {
  return {
    jsEnabledOnly: false, jsServerOnly: false, jsMetaOnly: false, details: false,
    account: "", stream: "", consumer: "", ...o,
  };
}

describe("/healthz asset checks", () => {
  test("existing account, stream and consumer are healthy", () => {
    const r = health(options({ account: "A", stream: "S", consumer: "C" }), RUNNING);
    expect(r).toEqual({ status: 200, body: { status: "ok" }, warning: null });
  });

  test("a missing account, stream or consumer answers 404 with Go's texts", () => {
    const account = health(options({ account: "X" }), RUNNING);
    expect(account.status).toBe(404);
    expect(account.body).toEqual({
      status: "unavailable", error: 'JetStream account "X" not found',
    });
    const stream = health(options({ account: "A", stream: "Y" }), RUNNING);
    expect(stream.body).toEqual({
      status: "unavailable", error: 'JetStream stream "Y" not found on account "A"',
    });
    const consumer = health(options({ account: "A", stream: "S", consumer: "Z" }), RUNNING);
    expect(consumer.status).toBe(404);
    expect(consumer.body).toEqual({ status: "unavailable",
      error: 'JetStream consumer "Z" not found for stream "S" on account "A"' });
  });

  test("details=true lists typed errors naming the asset", () => {
    const r = health(options({ account: "A", stream: "S", consumer: "Z", details: true }),
      RUNNING);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ status: "error", errors: [{
      type: "CONSUMER", account: "A", stream: "S", consumer: "Z",
      error: 'JetStream consumer "Z" not found for stream "S" on account "A"',
    }] });
    const account = health(options({ account: "X", details: true }), RUNNING);
    expect(account.body).toEqual({ status: "error", errors: [{
      type: "ACCOUNT", account: "X", error: 'JetStream account "X" not found' }] });
  });

  test("js-enabled-only and js-server-only skip the asset checks", () => {
    expect(health(options({ account: "X", jsEnabledOnly: true }), RUNNING).status).toBe(200);
    expect(health(options({ account: "X", jsServerOnly: true }), RUNNING).status).toBe(200);
  });

  test("without JetStream assets nothing is found", () => {
    const r = health(options({ account: "A" }),
      { jetStreamConfigured: true, jetStreamEnabled: true, assets: healthAssets(null) });
    expect(r.status).toBe(404);
  });

  test("stored streams that are not running and unknown accounts fail with 503", () => {
    const root = mkdtempSync(join(tmpdir(), "natsd-healthz-"));
    try {
      for (const dir of ["A/streams/S", "A/streams/LOST", "GONE/streams/X", ".snap-staging"]) {
        mkdirSync(join(root, dir), { recursive: true });
      }
      const assets = healthAssets({ storeRoot: root, accounts: new Map([["A", {
        streams: new Map([["S", { consumers: {} }]]) }]]) }, (name) => name === "A");
      const inputs = { jetStreamConfigured: true, jetStreamEnabled: true, assets };
      const plain = health(options({}), inputs);
      expect(plain.status).toBe(503);
      expect(plain.body).toEqual({ status: "unavailable",
        error: "JetStream stream 'A > LOST' could not be recovered" });
      const details = health(options({ details: true }), inputs);
      expect(details.body).toEqual({ status: "error", errors: [
        { type: "STREAM", account: "A", stream: "LOST",
          error: "JetStream stream 'A > LOST' could not be recovered" },
        { type: "ACCOUNT", account: "GONE",
          error: "JetStream account 'GONE' could not be resolved" },
      ] });
      expect(health(options({ account: "A", stream: "S" }), inputs).status).toBe(200);
      // With details a missing asset replaces the list, as Go does.
      const missing = health(options({ account: "A", stream: "NOPE", details: true }), inputs);
      expect(missing.status).toBe(404);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
