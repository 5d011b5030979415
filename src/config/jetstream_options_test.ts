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

describe("accounts { A { jetstream } }", () => {
  test("maps enabled/disabled words, bools and limit maps (-1 for what is left out)", () => {
    const r = load(`accounts {
      A { jetstream { max_mem: 1M, max_file: "1G", streams: 3, consumers: 4,
        max_bytes_required: true, mem_max_stream_bytes: 100, store_max_stream_bytes: 200,
        max_ack_pending: 5 } }
      B { jetstream: disabled }
      C { jetstream: enabled }
      D { jetstream: false }
      E { jetstream { max_streams: 1 } }
    }`);
    const unlimited = { max_memory: -1, max_storage: -1, max_streams: -1, max_consumers: -1,
      max_ack_pending: -1, memory_max_stream_bytes: -1, storage_max_stream_bytes: -1,
      max_bytes_required: false };
    expect(r.options.jetstreamAccounts).toEqual({
      A: { enabled: true, limits: { max_memory: 1_000_000, max_storage: 2 ** 30, max_streams: 3,
        max_consumers: 4, max_ack_pending: 5, memory_max_stream_bytes: 100,
        storage_max_stream_bytes: 200, max_bytes_required: true } },
      B: { enabled: false, limits: unlimited },
      C: { enabled: true, limits: unlimited },
      D: { enabled: false, limits: unlimited },
      E: { enabled: true, limits: { ...unlimited, max_streams: 1 } },
    });
    // Honoured now: no "not available" report.
    expect(r.unsupported).toEqual([]);
  });

  test("an unknown word is refused (by the schema, before the mapper)", () => {
    expect(errorsOf("accounts { A { jetstream: maybe } }").join("\n"))
      .toContain("'accounts.A.jetstream' must be one of 'enabled'");
  });
});
