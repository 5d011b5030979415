/**
 * ConsumerManager: the consumers of one stream. It is the stream's StreamConsumers (the stream
 * tells it about stored, removed and purged messages and it fans that out), it creates, updates,
 * deletes and restores consumers, keeps durable consumers' state under
 * `<stream dir>/obs/<name>/`, and applies interest and work-queue retention: a message leaves
 * the stream once its consumer(s) are done with it (nats-server stream.ackMsg, checkInterest).
 * @module
 */
import { join } from "node:path";
import { readdir } from "node:fs/promises";
import type { Account } from "../../accounts/account.ts";
import type { InternalClient } from "../../server/internal_client.ts";
import { goJson, type JsonValue, rfc3339Nano } from "../api/go_json.ts";
import { decodeRequest } from "../api/json_decode.ts";
import type { StreamConfig } from "../stream/config.ts";
import type { PurgeEvent, StreamConsumers } from "../stream/consumer_hooks.ts";
import type { Stream } from "../stream/stream.ts";
import type { Clock } from "../store/mod.ts";
import { type ConsumerStore, FileConsumerStore, MemConsumerStore } from "./store/mod.ts";
import { CONSUMER_CONFIG_SCHEMA, type ConsumerConfig, consumerConfigJson } from "./config.ts";
import { Consumer, type ConsumerHost } from "./consumer.ts";
import { handleReset } from "./reset.ts";

/** The directory under a stream's directory that holds its consumers (nats-server's `obs`). */
export const CONSUMERS_DIR = "obs";

/** What the manager needs from the account (JsAccount has all of it). */
export interface ManagerHost {
  readonly account: Account;
  readonly client: InternalClient;
  readonly clock: Clock;
  readonly domain: string;
  readonly limits: { readonly max_consumers: number; readonly max_ack_pending: number };
  newId(): string;
  warn(message: string): void;
}

/** The consumer's metadata record (opaque to the consumer store). */
export function consumerMeta(name: string, createdNs: bigint, config: ConsumerConfig): Uint8Array {
  const json = goJson({
    name,
    created: rfc3339Nano(createdNs),
    config: consumerConfigJson(config, rfc3339Nano),
  } as JsonValue);
  return new TextEncoder().encode(json);
}

interface StoredMeta {
  name?: string;
  created?: bigint;
  config?: ConsumerConfig;
}

const META_SCHEMA = {
  k: "object",
  go: "FileConsumerInfo",
  fields: { name: { k: "string" }, created: { k: "time" }, config: CONSUMER_CONFIG_SCHEMA },
} as const;

export class ConsumerManager implements StreamConsumers {
  readonly consumers = new Map<string, Consumer>();
  readonly #host: ManagerHost;
  readonly #stream: Stream;
  #stopped = false;

  constructor(host: ManagerHost, stream: Stream) {
    this.#host = host;
    this.#stream = stream;
    this.#syncCount();
  }

  get stream(): Stream {
    return this.#stream;
  }

  get host(): ManagerHost {
    return this.#host;
  }

  /**
   * Consumers that count (consumer_count, max_consumers): as nats-server, the direct consumers
   * mirrors and sources read through are not among them.
   */
  get count(): number {
    let count = 0;
    for (const c of this.consumers.values()) if (c.config.direct !== true) count++;
    return count;
  }

  hasInterest(subject: string): boolean {
    for (const c of this.consumers.values()) if (c.core.matchesFilter(subject)) return true;
    return false;
  }

  messageStored(seq: number, subject: string): void {
    // Reading the store's state forces its staged writes through (one native call per message),
    // so skip it when nobody listens; a stale count only costs the next consumer one recount.
    if (this.consumers.size === 0) return;
    // A store that had to make room (max_msgs, per-subject history, discard old) or expired
    // messages since the last event removed messages without telling anyone: recount.
    const msgs = this.#stream.store.fastState().msgs;
    const evicted = msgs !== this.#msgs + 1;
    this.#msgs = msgs;
    for (const c of this.consumers.values()) {
      c.core.streamMsg(seq, subject);
      if (evicted) c.core.recountPending();
      if (c.core.wantsDelivery) c.schedule();
    }
  }

  /** The stream's message count after the last event we saw. */
  #msgs = 0;

  #syncCount(): void {
    this.#msgs = this.#stream.store.fastState().msgs;
  }

  purged(event: PurgeEvent): void {
    this.#syncCount();
    const now = this.#host.clock.nowNs();
    for (const c of this.consumers.values()) {
      c.core.streamPurged(event.subject ?? "", now);
      c.schedule();
    }
  }

  messageRemoved(seq: number): void {
    this.#removed(seq, null);
  }

  #removed(seq: number, subject: string | null): void {
    this.#syncCount();
    const now = this.#host.clock.nowNs();
    for (const c of this.consumers.values()) {
      c.core.streamRemoved(seq, subject, now);
      c.schedule();
    }
  }

  configChanged(_config: StreamConfig): void {
    // Consumers read the stream's retention live; nothing else depends on the stream config.
  }

  async stop(deleted: boolean): Promise<void> {
    this.#stopped = true;
    const all = [...this.consumers.values()];
    this.consumers.clear();
    await Promise.all(all.map((c) => c.stop({ deleted, advisory: deleted })));
  }

  /** The host a consumer of this stream runs with. */
  consumerHost(): ConsumerHost {
    const host = this.#host;
    const stream = this.#stream;
    return {
      account: host.account,
      client: host.client,
      clock: host.clock,
      domain: host.domain,
      streamName: stream.name,
      store: stream.store,
      get retention() {
        return stream.config.retention;
      },
      maxMsgsPerSubject: stream.config.max_msgs_per_subject,
      rateBurstBytes: stream.config.max_msg_size > 0 ? stream.config.max_msg_size : 1024 * 1024,
      newId: () => host.newId(),
      warn: (m) => host.warn(m),
      streamAck: (consumer, seq) => this.#streamAck(consumer, seq),
      inactive: (consumer) => void this.deleteConsumer(consumer.name, true),
      reset: (consumer, reply, hdr, body) => handleReset(this, consumer, reply, hdr, body),
    };
  }

  /**
   * The store a new consumer gets. On a file stream every consumer keeps its state in files,
   * ephemerals too (nats-server restores them after a restart and lets inactive_threshold remove
   * them); `mem_storage` and internal `direct` consumers (mirrors and sources) stay in memory.
   */
  async openStore(name: string, config: ConsumerConfig, createdNs: bigint):
    Promise<ConsumerStore> {
    const storeConfig = {
      ackPolicy: config.ack_policy,
      maxDeliver: config.max_deliver,
      meta: consumerMeta(name, createdNs, config),
    };
    const dir = this.#stream.dir;
    if (dir === null || config.mem_storage === true || config.direct === true) {
      return new MemConsumerStore(storeConfig);
    }
    return await FileConsumerStore.open(join(dir, CONSUMERS_DIR, name), storeConfig);
  }

  /** Starts a consumer with an open store and registers it. */
  add(name: string, config: ConsumerConfig, createdNs: bigint, store: ConsumerStore): Consumer {
    const consumer = new Consumer(this.consumerHost(), { name, config, createdNs, store });
    this.consumers.set(name, consumer);
    consumer.start();
    return consumer;
  }

  /** Deletes a consumer and its state; false when there is none by that name. */
  async deleteConsumer(name: string, advisory: boolean): Promise<boolean> {
    const consumer = this.consumers.get(name);
    if (consumer === undefined) return false;
    this.consumers.delete(name);
    await consumer.stop({ deleted: true, advisory });
    if (this.#stream.config.retention === "interest") this.#cleanupNoInterest();
    return true;
  }

  /**
   * Restores the consumers stored under the stream's directory (after a restart). Ephemerals
   * come back as ephemerals: their inactivity clock starts now, so one whose client does not
   * come back (push: no subscriber on its deliver subject) is removed after inactive_threshold.
   */
  async recover(): Promise<void> {
    const dir = this.#stream.dir;
    if (dir === null) return;
    let names: string[];
    try {
      names = await readdir(join(dir, CONSUMERS_DIR));
    } catch {
      return;
    }
    for (const name of names.sort()) {
      try {
        await this.#recoverOne(name, join(dir, CONSUMERS_DIR, name));
      } catch (error) {
        this.#host.warn(`Error recovering consumer '${this.#stream.name} > ${name}': ${
          (error as Error).message}`);
      }
    }
  }

  async #recoverOne(name: string, dir: string): Promise<void> {
    const store = await FileConsumerStore.open(dir, null);
    const decoded = decodeRequest<StoredMeta>(store.config().meta, META_SCHEMA);
    if (!decoded.ok || decoded.value.config === undefined) {
      await store.stop();
      throw new Error(`meta: ${decoded.ok ? "no config" : decoded.error}`);
    }
    const meta = decoded.value;
    this.add(name, meta.config!, meta.created ?? this.#host.clock.nowNs(), store);
  }

  /** A consumer is done with seq: remove it when retention says so (stream.ackMsg). */
  #streamAck(from: Consumer, seq: number): void {
    if (this.#stopped) return;
    const retention = this.#stream.config.retention;
    if (retention === "limits") return;
    let subject: string;
    try {
      subject = this.#stream.store.subjectForSeq(seq);
    } catch {
      return;
    }
    if (retention === "interest") {
      for (const c of this.consumers.values()) {
        if (c !== from && c.core.needAck(seq, subject)) return;
      }
    }
    if (this.#stream.removeForRetention(seq)) this.#removed(seq, subject);
  }

  /** After a consumer of an interest stream left: drop what nobody needs any more. */
  #cleanupNoInterest(): void {
    if (this.consumers.size === 0) {
      this.#stream.purge({});
      return;
    }
    const store = this.#stream.store;
    const state = store.fastState();
    for (let seq = state.firstSeq; seq <= state.lastSeq;) {
      const msg = store.loadNextMsg(">", seq);
      if (msg === null) break;
      seq = msg.seq + 1;
      let needed = false;
      for (const c of this.consumers.values()) {
        if (c.core.needAck(msg.seq, msg.subject)) {
          needed = true;
          break;
        }
      }
      if (!needed && this.#stream.removeForRetention(msg.seq)) this.#removed(msg.seq, msg.subject);
    }
  }
}
