import { describe, expect, test } from "bun:test";
import { loadConfigText } from "./options_from_config.ts";
import { storageSize } from "./jetstream_options.ts";

const load = (text: string) => loadConfigText(text, { file: "t.conf" });
const errorsOf = (text: string) => {
  try {
    load(text);
    return [];
  } catch (error) {
    return (error as { errors?: { message: string }[] }).errors?.map((e) => e.message) ??
      [(error as Error).message];
  }
};

describe("jetstream {} block", () => {
  test("maps every key natsd runs into Options", () => {
    const r = load(`jetstream {
      store_dir: /data
      max_memory_store: 1G
      max_file_store: "2G"
      sync_interval: 10s
      domain: hub
      key: s3cret
      cipher: aes
      strict: false
      limits { duplicate_window: "1m", max_ack_pending: 100, max_request_batch: 50,
        max_ha_assets: 3 }
    }`);
    // Unquoted sizes are the config format's (G = 10^9); quoted ones Go's getStorageSize (2^30).
    expect(r.options).toEqual({
      jetstream: true, storeDir: "/data", jetstreamMaxMemoryBytes: 1e9,
      jetstreamMaxStoreBytes: 2 * 2 ** 30, jetstreamSyncIntervalMs: 10_000,
      jetstreamDomain: "hub", jetstreamKey: "s3cret", jetstreamCipher: "aes",
      jetstreamStrict: false, jetstreamDuplicateWindowMaxMs: 60_000,
      jetstreamMaxAckPending: 100, jetstreamMaxRequestBatch: 50, jetstreamMaxHaAssets: 3,
    });
    expect(r.unsupported).toEqual([]);
  });

  test("sync_interval: always means an fsync before every ack", () => {
    expect(load("jetstream { sync_interval: always }").options.jetstreamSyncIntervalMs).toBe(0);
  });

  test("reports what natsd does not run and refuses unknown ciphers", () => {
    const r = load("jetstream { tpm { keys_file: x }, prev_key: old }");
    expect(r.unsupported.map((u) => u.key)).toEqual(["jetstream.tpm", "jetstream.prev_key"]);
    expect(errorsOf("jetstream { cipher: rot13 }").join()).toContain(
      "'jetstream.cipher' must be one of 'chacha', 'chachapoly', 'aes'");
  });
});

describe("storageSize", () => {
  test("takes integers and K/M/G/T suffixes as powers of 1024", () => {
    expect(storageSize({ kind: "string", value: "1K" } as never)).toBe(1024);
    expect(storageSize({ kind: "string", value: "3t" } as never)).toBe(3 * 2 ** 40);
    expect(storageSize({ kind: "int", value: 5n } as never)).toBe(5);
    expect(storageSize({ kind: "string", value: "xG" } as never)).toBe(
      'strconv.ParseInt: parsing "x": invalid syntax');
  });
});
