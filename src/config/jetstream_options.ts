/**
 * The keys of the `jetstream {}` block, mapped as nats-server's parseJetStream does: store
 * directory, memory and file limits (sizes as integers or "1G"-style strings), sync_interval
 * (a duration or "always"), domain, encryption key and cipher, strict, and the `limits` map.
 * Keys for JetStream features natsd does not run (TPM keys, key rotation, clustering knobs) are
 * reported as unsupported. The block was type-checked by its schema before this runs.
 * @module
 */
import type { AccountJetStreamOptions, AccountLimits } from "../jetstream/js_account.ts";
import type { Options } from "../server/options.ts";
import type { Position } from "./errors.ts";
import type { Mapper } from "./options_from_config.ts";
import type { ConfigEntry, ConfigNode, MapNode } from "./values.ts";

/** Sub-keys natsd parses but does not act on (reported through feature_status.ts). */
const UNSUPPORTED_KEYS: ReadonlyMap<string, string> = new Map([
  ["prev_key", "jetstream.prev_key"], ["prev_ek", "jetstream.prev_key"],
  ["prev_encryption_key", "jetstream.prev_key"], ["tpm", "jetstream.tpm"],
  ["unique_tag", "jetstream.unique_tag"], ["max_outstanding_catchup", "jetstream.cluster"],
  ["max_buffered_size", "jetstream.max_buffered"], ["max_buffered_msgs", "jetstream.max_buffered"],
  ["request_queue_limit", "jetstream.request_queue_limit"],
  ["info_queue_limit", "jetstream.request_queue_limit"], ["max_concurrent_io", "jetstream.io"],
  ["meta_compact", "jetstream.cluster"], ["meta_compact_size", "jetstream.cluster"],
  ["meta_compact_sync", "jetstream.cluster"], ["extension_hint", "jetstream.cluster"],
]);

const SIZE_SHIFT: Readonly<Record<string, bigint>> = { K: 10n, M: 20n, G: 30n, T: 40n };

/** Go's getStorageSize: an integer, or digits with a K/M/G/T suffix (powers of 1024). */
export function storageSize(node: ConfigNode): number | string {
  if (node.kind === "int") return Number(node.value);
  if (node.kind !== "string") return "must be a size";
  const text = node.value;
  if (text === "") return 0;
  const shift = SIZE_SHIFT[text.slice(-1).toUpperCase()];
  const digits = shift === undefined ? text : text.slice(0, -1);
  if (!/^-?\d+$/.test(digits)) return `strconv.ParseInt: parsing "${digits}": invalid syntax`;
  return Number(BigInt(digits) << (shift ?? 0n));
}

type JsField = keyof Options & `jetstream${string}`;

function setSize(m: Mapper, e: ConfigEntry, field: JsField): void {
  const size = storageSize(e.value);
  if (typeof size === "string") m.error(e.keyPos, `error parsing ${e.key}: ${size}`);
  else m.set(field, size as never, e.keyPos);
}

function setDurationMs(m: Mapper, e: ConfigEntry, field: JsField): void {
  const ms = m.duration(e);
  if (ms !== undefined) m.set(field, ms as never, e.keyPos);
}

function mapLimits(m: Mapper, node: MapNode): void {
  for (const [key, e] of node.entries) {
    const value = e.value;
    switch (key.toLowerCase()) {
      case "max_ack_pending":
        if (value.kind === "int") m.set("jetstreamMaxAckPending", Number(value.value), e.keyPos);
        break;
      case "max_ha_assets":
        if (value.kind === "int") m.set("jetstreamMaxHaAssets", Number(value.value), e.keyPos);
        break;
      case "max_request_batch":
        if (value.kind === "int") m.set("jetstreamMaxRequestBatch", Number(value.value), e.keyPos);
        break;
      case "duplicate_window":
        setDurationMs(m, e, "jetstreamDuplicateWindowMaxMs");
        break;
      case "batch":
        m.notAvailable("jetstream.limits.batch", e.keyPos);
    }
  }
}

function mapSync(m: Mapper, e: ConfigEntry): void {
  if (e.value.kind === "string" && e.value.value.toLowerCase() === "always") {
    m.set("jetstreamSyncIntervalMs", 0, e.keyPos);
    return;
  }
  const ms = m.duration(e);
  if (ms !== undefined) m.set("jetstreamSyncIntervalMs", ms, e.keyPos);
}

function mapCipher(m: Mapper, e: ConfigEntry): void {
  if (e.value.kind !== "string") return;
  const v = e.value.value.toLowerCase();
  if (v === "chacha" || v === "chachapoly") m.set("jetstreamCipher", "chacha", e.keyPos);
  else if (v === "aes") m.set("jetstreamCipher", "aes", e.keyPos);
  else m.error(e.keyPos, `Unknown cipher type: ${JSON.stringify(e.value.value)}`);
}

/**
 * Maps the entries of a `jetstream {}` map; `setStoreDir` handles the store directory (shared
 * with the top-level `store_dir`). Returns whether the block enables JetStream.
 */
export function mapJetStreamBlock(
  m: Mapper, block: MapNode, setStoreDir: (dir: string, pos: Position) => void,
): boolean {
  let enabled = true;
  for (const [key, e] of block.entries) {
    const k = key.toLowerCase();
    const v = e.value;
    if ((k === "enabled" || k === "enable") && v.kind === "bool") enabled = v.value;
    else if ((k === "disabled" || k === "disable") && v.kind === "bool") enabled = !v.value;
    else if ((k === "store" || k === "store_dir" || k === "storedir") && v.kind === "string") {
      setStoreDir(v.value, e.keyPos);
    } else if (k === "max_memory_store" || k === "max_mem_store" || k === "max_mem") {
      setSize(m, e, "jetstreamMaxMemoryBytes");
    } else if (k === "max_file_store" || k === "max_file") {
      setSize(m, e, "jetstreamMaxStoreBytes");
    } else if (k === "sync" || k === "sync_interval") mapSync(m, e);
    else if (k === "domain" && v.kind === "string") m.set("jetstreamDomain", v.value, e.keyPos);
    else if ((k === "key" || k === "ek" || k === "encryption_key") && v.kind === "string") {
      m.set("jetstreamKey", v.value, e.keyPos);
    } else if (k === "cipher") mapCipher(m, e);
    else if (k === "strict" && v.kind === "bool") m.set("jetstreamStrict", v.value, e.keyPos);
    else if (k === "limits" && v.kind === "map") mapLimits(m, v);
    else {
      const feature = UNSUPPORTED_KEYS.get(k);
      if (feature !== undefined) m.notAvailable(feature, e.keyPos);
    }
  }
  return enabled;
}

/** An account's limits before its settings: everything unlimited (-1). */
const UNLIMITED: Readonly<AccountLimits> = {
  max_memory: -1, max_storage: -1, max_streams: -1, max_consumers: -1, max_ack_pending: -1,
  memory_max_stream_bytes: -1, storage_max_stream_bytes: -1, max_bytes_required: false,
};

/** Account limit fields by config key (nats-server's parseJetStreamForAccount). */
const ACCOUNT_LIMIT_KEYS: ReadonlyMap<string, keyof AccountLimits> = new Map([
  ["max_memory", "max_memory"], ["max_mem", "max_memory"], ["mem", "max_memory"],
  ["memory", "max_memory"], ["max_store", "max_storage"], ["max_file", "max_storage"],
  ["max_disk", "max_storage"], ["store", "max_storage"], ["disk", "max_storage"],
  ["max_streams", "max_streams"], ["streams", "max_streams"],
  ["max_consumers", "max_consumers"], ["consumers", "max_consumers"],
  ["max_ack_pending", "max_ack_pending"],
  ["mem_max_stream_bytes", "memory_max_stream_bytes"],
  ["memory_max_stream_bytes", "memory_max_stream_bytes"],
  ["disk_max_stream_bytes", "storage_max_stream_bytes"],
  ["store_max_stream_bytes", "storage_max_stream_bytes"],
  ["max_bytes_required", "max_bytes_required"], ["max_stream_bytes", "max_bytes_required"],
  ["max_bytes", "max_bytes_required"],
]);

function accountJetStreamMap(m: Mapper, node: MapNode): AccountJetStreamOptions {
  const limits: AccountLimits = { ...UNLIMITED };
  let enabled = true;
  for (const [key, e] of node.entries) {
    const k = key.toLowerCase();
    const v = e.value;
    if ((k === "enabled" || k === "enable") && v.kind === "bool") enabled = v.value;
    else if ((k === "disabled" || k === "disable") && v.kind === "bool") enabled = !v.value;
    const field = ACCOUNT_LIMIT_KEYS.get(k);
    if (field === undefined) continue;
    if (field === "max_bytes_required") {
      if (v.kind === "bool") limits.max_bytes_required = v.value;
      continue;
    }
    const size = storageSize(v);
    if (typeof size === "string") m.error(e.keyPos, `error parsing ${key}: ${size}`);
    else limits[field] = size;
  }
  return { enabled, limits };
}

/**
 * Maps an account's `jetstream` setting (`enabled`/`disabled`, a bool, or a map of limits with
 * -1 for what it leaves out) into `jetstreamAccounts`.
 */
export function mapAccountJetStream(m: Mapper, e: ConfigEntry, account: string): void {
  const v = e.value;
  let settings: AccountJetStreamOptions;
  if (v.kind === "bool") settings = { enabled: v.value, limits: { ...UNLIMITED } };
  else if (v.kind === "string") {
    const word = v.value.toLowerCase();
    if (word !== "enabled" && word !== "enable" && word !== "disabled" && word !== "disable") {
      m.error(e.keyPos, `Expected 'enabled' or 'disabled' for string value, got '${v.value}'`);
      return;
    }
    settings = { enabled: word.startsWith("enable"), limits: { ...UNLIMITED } };
  } else if (v.kind === "map") settings = accountJetStreamMap(m, v);
  else return;
  m.set("jetstreamAccounts", { ...m.options.jetstreamAccounts, [account]: settings }, e.keyPos);
}
