/**
 * JetStream for a server: enabled accounts (each a JsAccount with its streams and API router),
 * the store directory, server-wide limits, and recovery of file-backed streams at start. The
 * server reaches it through JetStreamHost only, so nothing here depends on server.ts.
 * @module
 */
import { randomBytes } from "node:crypto";
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { freemem, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { statfsSync } from "node:fs";
import type { Account } from "../accounts/account.ts";
import { InternalKind, type InternalClient } from "../server/internal_client.ts";
import { ApiError } from "./api/api_error.ts";
import { accountRoutes } from "./api/account_api.ts";
import { serveAccountPurge } from "./api/account_purge.ts";
import { serveNotEnabled } from "./api/not_enabled.ts";
import { decodeRequest } from "./api/json_decode.ts";
import { msgRoutes } from "./api/msg_api.ts";
import type { ApiRoute } from "./api/router.ts";
import { snapshotRoutes } from "./api/snapshot_api.ts";
import { streamRoutes } from "./api/stream_api.ts";
import { consumerRoutes } from "./api/consumer_api.ts";
import { type AccountEnv, type AccountLimits, JsAccount } from "./js_account.ts";
import {
  type Clock, type FileStoreOptions, storeKeyFromConfig, systemClock,
} from "./store/mod.ts";
import { STORED_STREAM_CONFIG, type StreamConfig } from "./stream/config.ts";
import { checkStreamConfig } from "./stream/config_check.ts";
import { JS_API_LEVEL } from "./stream/direct_get.ts";

/** nats-server's name for the directory it keeps under store_dir. */
export const JETSTREAM_DIR = "jetstream";
/** Default share of system memory for memory streams (dynJetStreamConfig). */
const MEMORY_SHARE_DEFAULT = 0.75;
const TB = 1024 ** 4;

export interface JetStreamLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

/** What JetStream needs from the server. */
export interface JetStreamHost {
  readonly serverName: string;
  readonly log: JetStreamLog;
  /** The server's max_pending (bytes). */
  readonly maxPendingBytes: number;
  createInternalClient(account: Account, kind: InternalKind): InternalClient;
}

/** JetStream settings, already in natsd's units (config/ maps the `jetstream {}` block). */
export interface JetStreamConfig {
  /** store_dir as given; "" means the system's temporary directory. */
  storeDir: string;
  /** Bytes; -1 for the default (75% of memory). */
  maxMemoryBytes: number;
  /** Bytes; -1 for the default (the disk's free space, at most 1 TiB). */
  maxStoreBytes: number;
  sync: "always" | { intervalMs: number };
  domain: string;
  /** `limits.duplicate_window`; 0n for none. */
  duplicateWindowMaxNs: bigint;
  cipher?: "aes" | "chacha";
  /** The configured encryption key; each stream's key is derived from it. */
  key?: string;
  /** Strict request decoding (nats-server's `jetstream.strict`, default on). */
  strict?: boolean;
  clock?: Clock;
}

/** Route factories every enabled account gets (streams here; consumers from issue 8). */
type RouteFactory = (jsa: JsAccount) => ApiRoute[];

export class JetStream {
  readonly accounts = new Map<string, JsAccount>();
  readonly storeRoot: string;
  readonly maxMemoryBytes: number;
  readonly maxStoreBytes: number;
  readonly #host: JetStreamHost;
  readonly #config: JetStreamConfig;
  readonly #clock: Clock;
  readonly #routeFactories: RouteFactory[] = [accountRoutes, streamRoutes, msgRoutes,
    consumerRoutes, snapshotRoutes];
  /** Patterns answered with a bad request when no route takes them. */
  readonly #fallbacks = ["*", "STREAM.>"];
  #explicitLimits: { memory: boolean; store: boolean };
  #stopSystem: (() => void) | null = null;

  private constructor(host: JetStreamHost, config: JetStreamConfig) {
    this.#host = host;
    this.#config = config;
    this.#clock = config.clock ?? systemClock;
    const base = config.storeDir !== "" ? config.storeDir : join(tmpdir(), "nats");
    this.storeRoot = join(base, JETSTREAM_DIR);
    this.#explicitLimits = { memory: config.maxMemoryBytes >= 0, store: config.maxStoreBytes >= 0 };
    this.maxMemoryBytes = config.maxMemoryBytes >= 0 ? config.maxMemoryBytes
      : Math.floor(totalmem() * MEMORY_SHARE_DEFAULT);
    this.maxStoreBytes = config.maxStoreBytes >= 0 ? config.maxStoreBytes
      : Math.min(freeDisk(base), TB);
  }

  /** The JetStream API level natsd implements. */
  static readonly apiLevel = JS_API_LEVEL;

  get domain(): string {
    return this.#config.domain;
  }

  /** Starts JetStream: logs the banner Go logs; accounts are enabled by the caller. */
  static start(host: JetStreamHost, config: JetStreamConfig): JetStream {
    const js = new JetStream(host, config);
    const log = host.log;
    log.info("Starting JetStream");
    if (config.storeDir === "") {
      log.warn("Temporary storage directory used, data could be lost on system reboot");
    }
    log.info("---------------- JETSTREAM ----------------");
    log.info(`  Max Memory:      ${friendlyBytes(js.maxMemoryBytes)}`);
    log.info(`  Max Storage:     ${friendlyBytes(js.maxStoreBytes)}`);
    log.info(`  Store Directory: "${js.storeRoot}"`);
    if (config.domain !== "") log.info(`  Domain:          ${config.domain}`);
    if ((config.key ?? "") !== "") log.info(`  Encryption:      ${config.cipher ?? "chacha"}`);
    log.info(`  API Level:       ${JS_API_LEVEL}`);
    log.info("-------------------------------------------");
    return js;
  }

  /**
   * Adds API routes to every enabled account, now and later (issue 8 registers the consumer API
   * here).
   */
  addRoutes(factory: RouteFactory, fallbacks: readonly string[] = []): void {
    this.#routeFactories.push(factory);
    this.#fallbacks.push(...fallbacks);
    for (const jsa of this.accounts.values()) {
      for (const route of factory(jsa)) jsa.router.add(route);
      for (const pattern of fallbacks) jsa.router.addFallback(pattern);
    }
  }

  /** Enables JetStream for an account and recovers its streams from the store directory. */
  async enableAccount(account: Account, limits?: Partial<AccountLimits>): Promise<JsAccount> {
    const existing = this.accounts.get(account.name);
    if (existing !== undefined) return existing;
    this.#notEnabled.get(account.name)?.();
    this.#notEnabled.delete(account.name);
    const client = this.#host.createInternalClient(account, InternalKind.jetstream);
    const jsa = new JsAccount(account, client, this.#accountEnv());
    Object.assign(jsa.limits, limits);
    this.accounts.set(account.name, jsa);
    await this.#recoverStreams(jsa);
    for (const factory of this.#routeFactories) {
      for (const route of factory(jsa)) jsa.router.add(route);
    }
    for (const pattern of this.#fallbacks) jsa.router.addFallback(pattern);
    return jsa;
  }

  /**
   * Turns JetStream off for an account: its API and streams stop, their data stays on disk, and
   * its API requests get 10039 from then on.
   */
  async disableAccount(name: string): Promise<void> {
    const jsa = this.accounts.get(name);
    if (jsa === undefined) return;
    this.accounts.delete(name);
    await jsa.stop();
    this.serveNotEnabled(jsa.account);
  }

  /** Answers an account's API requests with `JetStream not enabled for account` (10039). */
  serveNotEnabled(account: Account): void {
    if (this.accounts.has(account.name) || this.#notEnabled.has(account.name)) return;
    const client = this.#host.createInternalClient(account, InternalKind.jetstream);
    this.#notEnabled.set(account.name, serveNotEnabled(client, this.domain));
  }

  /** Accounts answered with 10039, and how to stop answering. */
  readonly #notEnabled = new Map<string, () => void>();

  #accountEnv(): AccountEnv {
    const config = this.#config;
    const fileStoreOptions = (account: string, stream: string):
      Pick<FileStoreOptions, "sync" | "cipher" | "key"> => {
      if (config.key === undefined || config.key === "") return { sync: config.sync };
      return { sync: config.sync, cipher: config.cipher ?? "chacha",
        key: storeKeyFromConfig(config.key, `${account}/${stream}`) };
    };
    return {
      serverName: this.#host.serverName,
      domain: this.#config.domain,
      clock: this.#clock,
      maxPendingBytes: this.#host.maxPendingBytes,
      duplicateWindowMaxNs: this.#config.duplicateWindowMaxNs,
      strict: this.#config.strict ?? true,
      fileStoreOptions,
      storeRoot: this.storeRoot,
      warn: (message) => this.#host.log.warn(message),
      newId: () => randomId(),
      serverLimitExceeded: (storage, bytes) => this.#serverLimitExceeded(storage, bytes),
      serverReservation: (storage) => ({
        reserved: this.reserved(storage),
        max: storage === "memory" ? this.maxMemoryBytes : this.maxStoreBytes,
      }),
    };
  }

  /** Bytes in use by all accounts. */
  usage(): { memory: number; storage: number } {
    const total = { memory: 0, storage: 0 };
    for (const jsa of this.accounts.values()) {
      const u = jsa.usage();
      total.memory += u.memory;
      total.storage += u.storage;
    }
    return total;
  }

  /** Bytes reserved by max_bytes of every stream of this storage type. */
  reserved(storage: "file" | "memory"): number {
    let total = 0;
    for (const jsa of this.accounts.values()) {
      const r = jsa.reserved();
      total += storage === "memory" ? r.memory : r.storage;
    }
    return total;
  }

  #serverLimitExceeded(storage: "file" | "memory", bytes: number): boolean {
    // Checked only when configured: summing usage costs a walk over every stream.
    if (storage === "memory" && !this.#explicitLimits.memory) return false;
    if (storage === "file" && !this.#explicitLimits.store) return false;
    const used = this.usage();
    return storage === "memory" ? used.memory + bytes > this.maxMemoryBytes
      : used.storage + bytes > this.maxStoreBytes;
  }

  /** Opens every stream of the account found under the store directory. */
  async #recoverStreams(jsa: JsAccount): Promise<void> {
    const dir = jsa.streamsDir;
    if (dir === null) return;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const streamDir = join(dir, name);
      try {
        if (!(await stat(streamDir)).isDirectory()) continue;
        const meta = await readFile(join(streamDir, "meta.inf"), "utf8");
        const recovered = this.#decodeMeta(jsa, meta);
        await jsa.recoverStream(recovered.config, recovered.createdNs, streamDir);
        this.#host.log.info(`  Restored stream '${jsa.accountName} > ${name}'`);
      } catch (error) {
        this.#host.log.warn(`  Error recovering stream '${jsa.accountName} > ${name}': ` +
          `${(error as Error).message}`);
      }
    }
  }

  #decodeMeta(jsa: JsAccount, text: string): { config: StreamConfig; createdNs: bigint } {
    const decoded = decodeRequest<StreamConfig & { created?: bigint }>(text, STORED_STREAM_CONFIG);
    if (!decoded.ok) throw new Error(`meta.inf: ${decoded.error}`);
    const { created, ...input } = decoded.value;
    const checked = checkStreamConfig(input, jsa.checkContext(), false);
    if (checked instanceof ApiError) throw new Error(`meta.inf: ${checked.description}`);
    return { config: checked, createdNs: created ?? this.#clock.nowNs() };
  }

  /** Serves the system-account API (ACCOUNT.PURGE) on an internal client of `system`. */
  serveSystemAccount(system: Account): void {
    const client = this.#host.createInternalClient(system, InternalKind.jetstream);
    this.#stopSystem = serveAccountPurge({
      domain: this.domain,
      deleteAccountStreams: async (name) => {
        const jsa = this.accounts.get(name);
        if (jsa === undefined) return 0;
        const streams = [...jsa.streams.values()];
        for (const stream of streams) await jsa.deleteStream(stream);
        return streams.length;
      },
      removeAccountDir: (name) => rm(join(this.storeRoot, name), { recursive: true, force: true }),
      log: (message) => this.#host.log.info(message),
    }, client);
  }

  /** Stops every account's streams; data stays on disk. */
  async stop(): Promise<void> {
    this.#stopSystem?.();
    this.#stopSystem = null;
    for (const stop of this.#notEnabled.values()) stop();
    this.#notEnabled.clear();
    await Promise.all([...this.accounts.values()].map((jsa) => jsa.stop()));
    this.accounts.clear();
  }
}

function freeDisk(dir: string): number {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return freemem();
  }
}

/** nats-server's friendlyBytes: "1.00 GB"-style sizes. */
export function friendlyBytes(bytes: number): string {
  const unit = 1024;
  if (bytes < unit) return `${bytes} B`;
  const exp = Math.min(Math.floor(Math.log(bytes) / Math.log(unit)), 6);
  return `${(bytes / unit ** exp).toFixed(2)} ${"KMGTPE"[exp - 1]}B`;
}

const NUID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A 22-character random id, the shape of a NUID. */
export function randomId(): string {
  const bytes = randomBytes(22);
  let out = "";
  for (const b of bytes) out += NUID_ALPHABET[b % NUID_ALPHABET.length];
  return out;
}
