import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Account } from "../../accounts/account.ts";
import { InternalClient, InternalKind } from "../../server/internal_client.ts";
import { TestBed } from "../_test_bed.ts";
import { requestRaw } from "../snapshot/_transfer_client.ts";

let bed: TestBed;
let sys: InternalClient;
beforeEach(async () => {
  bed = await TestBed.start();
  const system = new Account("$SYS");
  bed.js.serveSystemAccount(system);
  sys = new InternalClient(900, system, InternalKind.account);
});
afterEach(async () => {
  await bed.close();
});

const purge = async (account: string) => new TextDecoder().decode(
  await requestRaw(sys, `$JS.API.ACCOUNT.PURGE.${account}`, new Uint8Array(0)));

describe("ACCOUNT.PURGE", () => {
  test("deletes the account's streams and consumers and its store directory", async () => {
    await bed.api("$JS.API.STREAM.CREATE.A", { name: "A", subjects: ["a"] });
    await bed.api("$JS.API.STREAM.CREATE.B", { name: "B", subjects: ["b"], storage: "memory" });
    await bed.publish("a", "x");
    await bed.api("$JS.API.CONSUMER.DURABLE.CREATE.A.D",
      { stream_name: "A", config: { durable_name: "D" } });
    const dir = join(bed.dir, "jetstream", "$G");
    expect(existsSync(dir)).toBe(true);
    expect(await purge("$G")).toBe(
      '{"type":"io.nats.jetstream.api.v1.account_purge_response","initiated":true}');
    expect(existsSync(dir)).toBe(false);
    expect((await bed.api("$JS.API.STREAM.NAMES")).streams).toBeNull();
    // JetStream stays on for the account.
    const again = await bed.api("$JS.API.STREAM.CREATE.A", { name: "A", subjects: ["a"] });
    expect(again.error).toBeUndefined();
  });

  test("an unknown account is purged of nothing; path separators are refused", async () => {
    expect(JSON.parse(await purge("NOPE")).initiated).toBe(true);
    expect(JSON.parse(await purge("a\\b")).error).toEqual({ code: 500, err_code: 10051,
      description: "account name can not contain path separators" });
  });

  test("is not served in a JetStream account", async () => {
    const r = await bed.request("$JS.API.ACCOUNT.PURGE.$G");
    expect(r.hdr).toBe("NATS/1.0 503\r\n\r\n");
  });
});
