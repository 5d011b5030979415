/**
 * JetStream in one account: its streams, limits and usage, the internal client its streams and
 * API use, and the API router. Stream lifecycle (create, recover, delete) goes through here so
 * that overlap checks, limits and directories stay in one place.
 * @module
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Account } from "../accounts/account.ts";
import type { InternalClient } from "../server/internal_client.ts";
import { type ApiError, apiError } from "./api/api_error.ts";
import {
  JSAccountResourcesExceededErr, JSInsufficientResourcesErr, JSMaximumConsumersLimitErr,
  JSMaximumStreamsLimitErr, JSMemoryResourcesExceededErr, JSStorageResourcesExceededErr,
  JSStreamNameExistErr, JSStreamNameExistRestoreFailedErr, JSStreamReplicasNotSupportedErr,
  JSStreamSubjectOverlapErr,
} from "./api/errors_generated.ts";
import { goJson, type JsonValue, rfc3339Nano } from "./api/go_json.ts";
import { ApiRouter, type RouterHost } from "./api/router.ts";
import type { Clock, FileStoreOptions } from "./store/mod.ts";
import type { StreamConfig } from "./stream/config.ts";
import type { CheckContext } from "./stream/config_check.ts";
import { sameStreamConfig } from "./stream/config_update.ts";
import { Stream, type StreamHost } from "./stream/stream.ts";
import { attachConsumerManager } from "./consumer/mod.ts";
import { subjectsCollide } from "./subjects.ts";

/** Per-account JetStream limits (Go's JetStreamAccountLimits); -1 is unlimited. */
export interface AccountLimits {
  max_memory: number;
  max_storage: number;
  max_streams: number;
  max_consumers: number;
  max_ack_pending: number;
  memory_max_stream_bytes: number;
  storage_max_stream_bytes: number;
  max_bytes_required: boolean;
}

/** An account's `jetstream` setting in `accounts {}`: on or off, and its limits. */
export interface AccountJetStreamOptions {
  enabled: boolean;
  limits: AccountLimits;
}

export const UNLIMITED: Readonly<AccountLimits> = Object.freeze({
  max_memory: -1, max_storage: -1, max_streams: -1, max_consumers: -1, max_ack_pending: -1,
  memory_max_stream_bytes: -1, storage_max_stream_bytes: -1, max_bytes_required: false,
});

/** What an account's JetStream needs from the server-wide JetStream. */
export interface AccountEnv {
  readonly serverName: string;
  readonly domain: string;
  readonly clock: Clock;
  readonly maxPendingBytes: number;
  readonly duplicateWindowMaxNs: bigint;
  /** Strict API request decoding (`jetstream.strict`). */
  readonly strict: boolean;
  fileStoreOptions(account: string, stream: string):
    Pick<FileStoreOptions, "sync" | "cipher" | "key">;
  /** `<store_dir>/jetstream`, or null (memory-only tests). */
  readonly storeRoot: string | null;
  warn(message: string): void;
  newId(): string;
  /** Server-wide usage over the configured maximum (insufficient resources). */
  serverLimitExceeded(storage: "file" | "memory", bytes: number): boolean;
  /** Bytes streams of all accounts reserve with max_bytes, and the server's maximum. */
  serverReservation(storage: "file" | "memory"): { reserved: number; max: number };
}

/** Bytes in use per storage type. */
export interface Usage {
  memory: number;
  storage: number;
}

export class JsAccount implements StreamHost, RouterHost {
  readonly streams = new Map<string, Stream>();
  readonly router: ApiRouter;
  limits: AccountLimits = { ...UNLIMITED };
  readonly #env: AccountEnv;
  /** Names of streams being restored (not yet registered). */
  readonly #restoring = new Set<string>();

  constructor(readonly account: Account, readonly client: InternalClient, env: AccountEnv) {
    this.#env = env;
    this.router = new ApiRouter(this);
  }

  get accountName(): string {
    return this.account.name;
  }

  get serverName(): string {
    return this.#env.serverName;
  }

  get domain(): string {
    return this.#env.domain;
  }

  get clock(): Clock {
    return this.#env.clock;
  }

  get strict(): boolean {
    return this.#env.strict;
  }

  get maxPendingBytes(): number {
    return this.#env.maxPendingBytes;
  }

  fileStoreOptions(stream: string): Pick<FileStoreOptions, "sync" | "cipher" | "key"> {
    return this.#env.fileStoreOptions(this.account.name, stream);
  }

  /** `<store_dir>/jetstream/<account>/streams`, or null. */
  get streamsDir(): string | null {
    const root = this.#env.storeRoot;
    return root === null ? null : join(root, this.account.name, "streams");
  }

  warn(message: string): void {
    this.#env.warn(message);
  }

  newId(): string {
    return this.#env.newId();
  }

  nowRfc3339(): string {
    return rfc3339Nano(this.#env.clock.nowNs());
  }

  hasInterest(subject: string): boolean {
    const result = this.account.sublist.match(subject);
    return result.psubs.length > 0 || result.qsubs.length > 0;
  }

  /**
   * Publishes an advisory (`{type, id, timestamp, ...fields}`) when someone listens, as
   * nats-server's publishAdvisory does.
   */
  advisory(subject: string, type: string, fields: Record<string, JsonValue>): void {
    if (!this.hasInterest(subject)) return;
    const body = goJson({ type, id: this.newId(), timestamp: this.nowRfc3339(), ...fields,
      domain: this.domain !== "" ? this.domain : undefined });
    this.client.publish(subject, "", null, new TextEncoder().encode(body));
  }

  /** `$JS.EVENT.ADVISORY.STREAM.<CREATED|UPDATED|DELETED>.<stream>`. */
  streamAdvisory(stream: string, action: "create" | "modify" | "delete"): void {
    const event = action === "create" ? "CREATED" : action === "modify" ? "UPDATED" : "DELETED";
    this.advisory(`$JS.EVENT.ADVISORY.STREAM.${event}.${stream}`,
      "io.nats.jetstream.advisory.v1.stream_action", { stream, action });
  }

  /** What stream configuration checks need from this account. */
  checkContext(): CheckContext {
    return {
      duplicateWindowMaxNs: this.#env.duplicateWindowMaxNs,
      streamConfig: (name) => this.streams.get(name)?.config,
      maxBytesRequired: this.limits.max_bytes_required,
      maxStreamBytes: (storage) => storage === "memory"
        ? this.limits.memory_max_stream_bytes : this.limits.storage_max_stream_bytes,
    };
  }

  usage(): Usage {
    const usage = { memory: 0, storage: 0 };
    for (const stream of this.streams.values()) {
      const bytes = stream.store.fastState().bytes;
      if (stream.config.storage === "memory") usage.memory += bytes;
      else usage.storage += bytes;
    }
    return usage;
  }

  /** Bytes reserved by streams with max_bytes, per storage type. */
  reserved(): Usage {
    const reserved = { memory: 0, storage: 0 };
    for (const stream of this.streams.values()) {
      const max = stream.config.max_bytes;
      if (max <= 0) continue;
      if (stream.config.storage === "memory") reserved.memory += max;
      else reserved.storage += max;
    }
    return reserved;
  }

  /** Account and server limits for storing `bytes` more (StreamHost). */
  resources(storage: "file" | "memory", bytes: number): ApiError | null {
    if (this.#env.serverLimitExceeded(storage, bytes)) return apiError(JSInsufficientResourcesErr);
    const limit = storage === "memory" ? this.limits.max_memory : this.limits.max_storage;
    if (limit < 0) return null;
    const used = this.usage();
    const inUse = storage === "memory" ? used.memory : used.storage;
    return inUse + bytes > limit ? apiError(JSAccountResourcesExceededErr) : null;
  }

  /**
   * nats-server's checkLimits for a new or grown stream: max_consumers against the account's,
   * then the bytes it reserves (max_bytes, or 1 when unlimited) against the account's and the
   * server's room. `except` is the stream being updated (its own reservation is not counted).
   */
  checkReservation(cfg: StreamConfig, except: Stream | null): ApiError | null {
    const limits = this.limits;
    if (cfg.max_consumers > 0 && limits.max_consumers > 0 &&
      cfg.max_consumers > limits.max_consumers) {
      return apiError(JSMaximumConsumersLimitErr);
    }
    const memory = cfg.storage === "memory";
    const exceeded = apiError(memory ? JSMemoryResourcesExceededErr
      : JSStorageResourcesExceededErr);
    const own = except !== null && except.config.max_bytes > 0 ? except.config.max_bytes : 0;
    const add = cfg.max_bytes > 0 ? cfg.max_bytes - own : (own > 0 ? 0 : 1);
    const reserved = this.reserved();
    const accountReserved = (memory ? reserved.memory : reserved.storage) - own;
    const accountMax = memory ? limits.max_memory : limits.max_storage;
    if (accountMax >= 0 && (accountReserved > accountMax || add > accountMax - accountReserved)) {
      return exceeded;
    }
    const server = this.#env.serverReservation(cfg.storage);
    const serverReserved = server.reserved - own;
    if (serverReserved > server.max || add > server.max - serverReserved) return exceeded;
    return null;
  }

  /** True when `subjects` overlap a stream other than `except`. */
  subjectsOverlap(subjects: readonly string[], except: Stream | null): boolean {
    for (const stream of this.streams.values()) {
      if (stream === except) continue;
      for (const mine of stream.config.subjects) {
        if (subjects.some((s) => subjectsCollide(s, mine))) return true;
      }
    }
    return false;
  }

  /**
   * Adds a stream with a checked configuration: an identical existing one is returned as is, a
   * different one with the same name is refused, then replicas, stream count and subject overlap
   * are checked, in nats-server's order.
   */
  async addStream(cfg: StreamConfig): Promise<{ stream: Stream; created: boolean } | ApiError> {
    if (cfg.num_replicas > 1) return apiError(JSStreamReplicasNotSupportedErr);
    const existing = this.streams.get(cfg.name);
    if (existing === undefined && this.#restoring.has(cfg.name)) {
      return apiError(JSStreamNameExistErr);
    }
    if (existing !== undefined) {
      return sameStreamConfig(existing.config, cfg)
        ? { stream: existing, created: false } : apiError(JSStreamNameExistErr);
    }
    if (this.limits.max_streams > 0 && this.streams.size >= this.limits.max_streams) {
      return apiError(JSMaximumStreamsLimitErr);
    }
    const reservation = this.checkReservation(cfg, null);
    if (reservation !== null) return reservation;
    if (this.subjectsOverlap(cfg.subjects, null)) return apiError(JSStreamSubjectOverlapErr);
    const streamsDir = this.streamsDir;
    const dir = cfg.storage === "file" && streamsDir !== null ? join(streamsDir, cfg.name) : null;
    const stream = await Stream.open(this, { config: cfg, createdNs: this.clock.nowNs(), dir });
    await attachConsumerManager(this, stream, false);
    this.streams.set(cfg.name, stream);
    stream.start();
    this.streamAdvisory(cfg.name, "create");
    return { stream, created: true };
  }

  /**
   * Builds a stream from a snapshot (STREAM.RESTORE): opened empty, filled by `fill`, registered
   * and started only when that worked; otherwise it is deleted with everything it stored.
   */
  async restoreStream(cfg: StreamConfig, createdNs: bigint,
    fill: (stream: Stream) => Promise<void>): Promise<Stream | ApiError> {
    if (this.streams.has(cfg.name) || this.#restoring.has(cfg.name)) {
      return apiError(JSStreamNameExistRestoreFailedErr);
    }
    this.#restoring.add(cfg.name);
    try {
      const streamsDir = this.streamsDir;
      const dir = cfg.storage === "file" && streamsDir !== null ? join(streamsDir, cfg.name) : null;
      // Leftovers of an earlier failed attempt are not this stream's data (Go removes them too).
      if (dir !== null) await rm(dir, { recursive: true, force: true });
      const stream = await Stream.open(this, { config: cfg, createdNs, dir, recovering: true });
      await attachConsumerManager(this, stream, false);
      try {
        await fill(stream);
        const over = this.#restoredOverLimit(cfg.storage, stream.store.fastState().bytes);
        if (over !== null) throw over;
        stream.reloaded();
        await stream.writeMeta();
        await stream.flushed();
      } catch (error) {
        await stream.delete();
        throw error;
      }
      this.streams.set(cfg.name, stream);
      stream.start();
      return stream;
    } finally {
      this.#restoring.delete(cfg.name);
    }
  }

  /** A restored stream's bytes against the account's limit (nats-server's checkAllLimits). */
  #restoredOverLimit(storage: "file" | "memory", bytes: number): ApiError | null {
    const memory = storage === "memory";
    const limit = memory ? this.limits.max_memory : this.limits.max_storage;
    const used = this.usage();
    if (limit >= 0 && (memory ? used.memory : used.storage) + bytes > limit) {
      return apiError(memory ? JSMemoryResourcesExceededErr : JSStorageResourcesExceededErr);
    }
    return null;
  }

  /** Opens a stream found on disk after a restart. */
  async recoverStream(cfg: StreamConfig, createdNs: bigint, dir: string): Promise<Stream> {
    const stream = await Stream.open(this, { config: cfg, createdNs, dir, recovering: true });
    await attachConsumerManager(this, stream, true);
    this.streams.set(cfg.name, stream);
    stream.start();
    return stream;
  }

  /** Deletes a stream and its data. */
  async deleteStream(stream: Stream): Promise<void> {
    this.streams.delete(stream.name);
    await stream.delete();
    this.streamAdvisory(stream.name, "delete");
  }

  /** Stops every stream (shutdown); data stays. */
  async stop(): Promise<void> {
    this.router.close();
    await this.router.drain();
    await Promise.all([...this.streams.values()].map((s) => s.stop()));
    this.streams.clear();
  }
}
