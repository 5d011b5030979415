/**
 * A stream: its configuration, its store, the subscriptions that capture its subjects and serve
 * direct gets, the publish path (publish.ts) with acknowledgements sent once the store has made
 * the write durable, republish, purge and message removal, and the hooks its consumers plug into.
 * @module
 */
import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Subscription } from "../../client/subscription.ts";
import type { InternalClient } from "../../server/internal_client.ts";
import { type ApiError, apiError } from "../api/api_error.ts";
import { JSStreamStoreFailedF } from "../api/errors_generated.ts";
import { goJson, type JsonValue, rfc3339Nano } from "../api/go_json.ts";
import {
  type Clock, FileStore, type FileStoreOptions, MemStore, type StoreLimits, type StreamStore,
} from "../store/mod.ts";
import { type StreamConfig, streamConfigJson } from "./config.ts";
import { NO_CONSUMERS, type PurgeEvent, type StreamConsumers } from "./consumer_hooks.ts";
import { DuplicateWindow } from "./dedupe.ts";
import { MarkerExpiry } from "./delete_markers.ts";
import {
  type DirectGetTarget, handleDirectGet, handleDirectGetLastBySubject,
} from "./direct_get.ts";
import { appendHeaders, HDR, HeaderView } from "./headers.ts";
import { ingest, type IngestState } from "./publish.ts";
import { type StateOptions, streamStateJson } from "./stream_info.ts";
import { SubjectTransform } from "./subject_transform.ts";
import { ingestMirrored, ingestSourced, type SourcedMsg } from "./sourcing/ingest.ts";
import { StreamSourcing } from "./sourcing/sourcing.ts";

/** Direct gets are answered by a queue group, as nats-server's `_sys_`. */
const DIRECT_GET_QUEUE = "_sys_";
const META_FILE = "meta.inf";
const MSGS_DIR = "msgs";
const encoder = new TextEncoder();

/** What a stream needs from its account and server. */
export interface StreamHost {
  /** The account's JetStream client: captures subjects, sends acks and replies. */
  readonly client: InternalClient;
  readonly clock: Clock;
  readonly domain: string;
  /** The server's max_pending (direct get batch budget). */
  readonly maxPendingBytes: number;
  warn(message: string): void;
  /** Account and server storage limits for a message of `bytes` (null when it fits). */
  resources(storage: "file" | "memory", bytes: number): ApiError | null;
  /** File store settings from the server (sync, encryption) for one stream. */
  fileStoreOptions(stream: string): Pick<FileStoreOptions, "sync" | "cipher" | "key">;
}

export interface StreamOpenOptions {
  config: StreamConfig;
  createdNs: bigint;
  /** The stream's directory for file storage (meta.inf and msgs/); null for memory. */
  dir: string | null;
  /** Opening an existing stream after a restart (no first_seq, no new meta). */
  recovering?: boolean;
}

interface PendingAck {
  reply: string;
  body: string;
}

/** True when the stream places subject delete markers (and so runs expiry itself). */
const hasMarkers = (c: StreamConfig) => (c.subject_delete_marker_ttl ?? 0n) > 0n;

/** The store limits of a configuration (0 = unlimited in the store's terms). */
export function storeLimits(c: StreamConfig): StoreLimits {
  return {
    maxMsgs: Math.max(c.max_msgs, 0),
    maxBytes: Math.max(c.max_bytes, 0),
    maxAgeNs: hasMarkers(c) ? 0n : c.max_age,
    maxMsgsPerSubject: Math.max(c.max_msgs_per_subject, 0),
    maxMsgSize: Math.max(c.max_msg_size, 0),
    discard: c.discard,
    discardNewPerSubject: c.discard_new_per_subject ?? false,
  };
}

/** nats-server's block sizes by retention (dynBlkSize), within the store's bounds. */
function blockSizeBytes(c: StreamConfig): number {
  const mib = 1024 * 1024;
  if (c.max_bytes > 0) return Math.min(Math.max(Math.floor(c.max_bytes / 4), 64 * 1024), 8 * mib);
  return c.retention === "limits" ? 8 * mib : 4 * mib;
}

export class Stream implements IngestState, DirectGetTarget {
  config: StreamConfig;
  readonly store: StreamStore;
  readonly dedupe: DuplicateWindow;
  consumers: StreamConsumers = NO_CONSUMERS;
  readonly clock: Clock;
  inputTransform: SubjectTransform | null = null;
  expiry: MarkerExpiry | null = null;
  /** The mirror or sources being followed (sourcing/), null for neither. */
  sourcing: StreamSourcing | null = null;
  lastSeq = 0;
  lastMsgId = "";
  readonly createdNs: bigint;
  readonly dir: string | null;
  readonly #host: StreamHost;
  #republish: SubjectTransform | null = null;
  readonly #subjectSubs = new Map<string, Subscription<InternalClient>>();
  #directSubs: Subscription<InternalClient>[] = [];
  #acks: PendingAck[] = [];
  #ackScheduled = false;
  #closed = false;

  private constructor(host: StreamHost, opts: StreamOpenOptions, store: StreamStore) {
    this.#host = host;
    this.config = opts.config;
    this.createdNs = opts.createdNs;
    this.dir = opts.dir;
    this.store = store;
    this.clock = host.clock;
    this.dedupe = new DuplicateWindow(opts.config.duplicate_window);
    this.#applyTransforms();
  }

  get name(): string {
    return this.config.name;
  }

  get maxPendingBytes(): number {
    return this.#host.maxPendingBytes;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Opens the stream's store (recovering what a file store holds) and its dedupe state.
   * @throws StoreError when the store cannot be opened
   */
  static async open(host: StreamHost, opts: StreamOpenOptions): Promise<Stream> {
    const cfg = opts.config;
    let store: StreamStore;
    if (cfg.storage === "memory" || opts.dir === null) {
      store = new MemStore({ limits: storeLimits(cfg), clock: host.clock });
    } else {
      store = await FileStore.open({
        ...host.fileStoreOptions(cfg.name),
        dir: join(opts.dir, MSGS_DIR),
        limits: storeLimits(cfg),
        clock: host.clock,
        compression: cfg.compression === "s2" ? "lz4" : "none",
        blockSizeBytes: blockSizeBytes(cfg),
        log: (message) => host.warn(`Stream '${cfg.name}': ${message}`),
      });
    }
    const stream = new Stream(host, opts, store);
    const first = cfg.first_seq ?? 0;
    if (!opts.recovering && first > 1 && store.fastState().lastSeq === 0) store.compact(first);
    stream.lastSeq = store.fastState().lastSeq;
    stream.#rebuildDedupe();
    stream.#syncMarkers();
    if (opts.dir !== null && !opts.recovering) await stream.writeMeta();
    return stream;
  }

  /** Subscribes the stream's subjects (and direct get when allowed). */
  start(): void {
    for (const subject of this.config.subjects) this.#subscribeSubject(subject);
    this.#syncDirectSubs();
    this.#syncSourcing();
  }

  /** Starts, updates or stops following a mirror origin or sources, as configured. */
  #syncSourcing(): void {
    const wanted = this.config.mirror !== undefined || (this.config.sources ?? []).length > 0;
    if (!wanted || this.#closed) {
      this.sourcing?.stop();
      this.sourcing = null;
      return;
    }
    if (this.sourcing !== null) return this.sourcing.update();
    const host = this.#host;
    this.sourcing = new StreamSourcing({
      client: host.client, clock: host.clock, account: host.client.account.name,
      domain: host.domain, state: this, warn: (m) => host.warn(m),
      storeMirrored: (m) => this.#storeSourced(m, true),
      storeSourced: (m) => this.#storeSourced(m, false),
    });
    this.sourcing.start();
  }

  /** Stores a message a mirror or source follower received, then republishes it. */
  #storeSourced(msg: SourcedMsg & { seq?: number; ts?: bigint }, mirror: boolean) {
    const previous = this.#republish === null ? 0
      : this.store.loadLastMsg(msg.subject)?.seq ?? 0;
    const resources = (bytes: number) => this.#host.resources(this.config.storage, bytes);
    const result = mirror && msg.seq !== undefined && msg.ts !== undefined
      ? ingestMirrored(this, { ...msg, seq: msg.seq, ts: msg.ts }, resources)
      : ingestSourced(this, msg, resources);
    if (result.kind === "stored" && this.#republish !== null) {
      this.#doRepublish(result, previous, msg.hdr, msg.payload);
    }
    return result;
  }

  /** Plugs the consumer layer in. */
  attachConsumers(consumers: StreamConsumers): void {
    this.consumers = consumers;
  }

  #subscribeSubject(subject: string): void {
    const sub = this.#host.client.subscribe(subject, this.#onMessage);
    this.#subjectSubs.set(subject, sub);
  }

  #syncDirectSubs(): void {
    const want = this.config.allow_direct;
    if (want === this.#directSubs.length > 0) return;
    if (!want) {
      for (const sub of this.#directSubs) this.#host.client.unsubscribe(sub);
      this.#directSubs = [];
      return;
    }
    const base = `$JS.API.DIRECT.GET.${this.name}`;
    this.#directSubs = [
      this.#host.client.subscribe(base, (_s, reply, hdr, body) =>
        handleDirectGet(this, reply, hdr, body), DIRECT_GET_QUEUE),
      this.#host.client.subscribe(`${base}.>`, (subject, reply, hdr, body) =>
        handleDirectGetLastBySubject(this, subject, reply, hdr, body), DIRECT_GET_QUEUE),
    ];
  }

  /** Starts or stops running expiry for subject delete markers, as the configuration says. */
  #syncMarkers(): void {
    if (hasMarkers(this.config) === (this.expiry !== null)) {
      this.expiry?.reschedule();
      return;
    }
    if (this.expiry !== null) {
      this.expiry.stop();
      this.expiry = null;
      return;
    }
    const stream = this;
    this.expiry = new MarkerExpiry({
      store: this.store,
      clock: this.clock,
      get config() {
        return stream.config;
      },
      placeMarker: (subject, hdr) => {
        try {
          this.#ingest(subject, "", hdr, new Uint8Array(0));
        } catch (error) {
          // Runs from a timer: a failure is reported, never thrown into the event loop.
          this.#host.warn(`Stream '${this.name}' could not place a delete marker: ${error}`);
        }
      },
    });
    this.expiry.rebuild();
  }

  #applyTransforms(): void {
    const st = this.config.subject_transform;
    this.inputTransform = st?.dest ? SubjectTransform.compile(st.src ?? "", st.dest) : null;
    const rp = this.config.republish;
    this.#republish = rp?.dest ? SubjectTransform.compile(rp.src || ">", rp.dest) : null;
  }

  /** Sends a reply from the stream (direct get, acks). */
  reply(subject: string, hdr: Uint8Array | null, payload: Uint8Array): void {
    this.#host.client.publish(subject, "", hdr, payload);
  }

  readonly #onMessage = (
    subject: string, reply: string, hdr: Uint8Array | null, payload: Uint8Array,
  ): void => {
    if (this.#closed) return;
    try {
      this.#ingest(subject, reply, hdr, payload);
    } catch (error) {
      // A bug or a store failure must not reach the publisher's connection.
      this.#host.warn(`Stream '${this.name}' failed to store a message: ${error}`);
      if (reply !== "" && !this.config.no_ack) {
        this.#queueAck(reply, goJson({ error: apiError(JSStreamStoreFailedF,
          { err: (error as Error).message }), stream: this.name, seq: 0 }));
      }
    }
  };

  #ingest(subject: string, reply: string, hdr: Uint8Array | null, payload: Uint8Array): void {
    // Republish reports the subject's previous sequence, taken before a rollup can purge it.
    const previous = this.#republish === null ? 0 : this.#lastSeqOf(subject);
    const result = ingest(this, subject, hdr, payload,
      (bytes) => this.#host.resources(this.config.storage, bytes));
    const canAck = reply !== "" && !this.config.no_ack;
    switch (result.kind) {
      case "stored":
        if (this.#republish !== null) this.#doRepublish(result, previous, hdr, payload);
        if (canAck) this.#queueAck(reply, this.#pubAck(result.seq, ""));
        return;
      case "skipped":
        if (canAck) this.#queueAck(reply, this.#pubAck(result.seq, ""));
        return;
      case "duplicate":
        if (canAck) this.#queueAck(reply, this.#pubAck(result.seq, ',"duplicate": true'));
        return;
      case "error":
        if (canAck) {
          this.#queueAck(reply, goJson({ error: result.error, stream: this.name, seq: 0 }));
        }
    }
  }

  #pubAck(seq: number, extra: string): string {
    const domain = this.#host.domain;
    if (domain !== this.#ackHeadDomain || this.#ackHead === "") {
      // Built once per domain, not per acknowledgement.
      this.#ackHeadDomain = domain;
      this.#ackHead = domain === "" ? `{"stream":${JSON.stringify(this.name)}` :
        `{"stream":${JSON.stringify(this.name)},"domain":${JSON.stringify(domain)}`;
    }
    return `${this.#ackHead},"seq":${seq}${extra}}`;
  }

  #ackHead = "";
  #ackHeadDomain = "";

  /**
   * Acks go out in order, after the store has made every write before them durable (one flush
   * for all messages of an event-loop turn). `persist_mode: async` acks without waiting.
   */
  #queueAck(reply: string, body: string): void {
    this.#acks.push({ reply, body });
    if (this.#ackScheduled) return;
    this.#ackScheduled = true;
    queueMicrotask(() => this.#flushAcks());
  }

  #flushAcks(): void {
    this.#ackScheduled = false;
    const batch = this.#acks;
    this.#acks = [];
    const send = () => {
      for (const ack of batch) this.reply(ack.reply, null, encoder.encode(ack.body));
    };
    if (this.config.persist_mode === "async") return send();
    this.store.flushed().then(send, (error: unknown) => {
      const failed = goJson({ error: apiError(JSStreamStoreFailedF,
        { err: (error as Error).message }), stream: this.name, seq: 0 });
      for (const ack of batch) this.reply(ack.reply, null, encoder.encode(failed));
    });
  }

  #lastSeqOf(subjectIn: string): number {
    const subject = this.inputTransform?.match(subjectIn) ?? subjectIn;
    return this.store.loadLastMsg(subject)?.seq ?? 0;
  }

  #doRepublish(stored: { subject: string; seq: number; ts: bigint }, last: number,
    hdr: Uint8Array | null, payload: Uint8Array): void {
    const { subject, seq, ts } = stored;
    const target = this.#republish?.match(subject) ?? null;
    if (target === null) return;
    const headersOnly = this.config.republish?.headers_only === true;
    const pairs: [string, string][] = [
      [HDR.stream, this.name], [HDR.subject, subject], [HDR.sequence, String(seq)],
      [HDR.timeStamp, rfc3339Nano(ts)], [HDR.lastSequence, String(last)],
    ];
    if (headersOnly) pairs.push([HDR.msgSize, String(payload.length)]);
    const out = appendHeaders(hdr !== null && hdr.length > 0 ? hdr : null, pairs);
    this.#host.client.publish(target, "", out, headersOnly ? new Uint8Array(0) : payload);
  }

  /** Rebuilds the duplicate window from the messages stored inside it (after a restart). */
  #rebuildDedupe(): void {
    const window = this.config.duplicate_window;
    const state = this.store.fastState();
    if (state.msgs === 0) return;
    const now = this.clock.nowNs();
    let seq = window > 0n ? this.store.getSeqFromTime(now - window) : state.lastSeq;
    for (; seq <= state.lastSeq; seq++) {
      const m = this.store.loadNextMsg(">", seq);
      if (m === null) break;
      seq = m.seq;
      const id = m.hdr.length > 0 ? new HeaderView(m.hdr).get(HDR.msgId) ?? "" : "";
      if (id !== "" && window > 0n) this.dedupe.add(id, m.seq, m.ts);
      if (m.seq === state.lastSeq) this.lastMsgId = id;
    }
  }

  /** After a restore loaded messages into the store behind the stream's back. */
  reloaded(): void {
    this.lastSeq = this.store.fastState().lastSeq;
    this.#rebuildDedupe();
    this.expiry?.rebuild();
  }

  /** The stream's state JSON and subject paging. */
  state(opts: StateOptions = {}): ReturnType<typeof streamStateJson> {
    return streamStateJson(this.store, this.consumers.count, opts);
  }

  /** Applies a checked configuration update. */
  async update(cfg: StreamConfig): Promise<void> {
    const old = this.config;
    this.config = cfg;
    this.#applyTransforms();
    const wanted = new Set(cfg.subjects);
    for (const [subject, sub] of this.#subjectSubs) {
      if (!wanted.has(subject)) {
        this.#host.client.unsubscribe(sub);
        this.#subjectSubs.delete(subject);
      }
    }
    for (const subject of cfg.subjects) {
      if (!this.#subjectSubs.has(subject)) this.#subscribeSubject(subject);
    }
    this.#syncDirectSubs();
    this.#syncSourcing();
    if (cfg.duplicate_window !== old.duplicate_window) {
      this.dedupe.setWindow(cfg.duplicate_window, this.clock.nowNs());
    }
    this.store.updateLimits(storeLimits(cfg));
    this.#syncMarkers();
    this.consumers.configChanged(cfg);
    if (this.dir !== null) await this.writeMeta();
  }

  /** Purges as STREAM.PURGE asks; returns how many messages went. */
  purge(req: { filter?: string; seq?: number; keep?: number }): number {
    const filter = req.filter ?? "";
    const opts = {
      subject: filter !== "" && filter !== ">" ? filter : undefined,
      seq: (req.seq ?? 0) > 0 ? req.seq : undefined,
      keep: (req.keep ?? 0) > 0 ? req.keep : undefined,
    };
    const all = opts.subject === undefined && opts.seq === undefined && opts.keep === undefined;
    const purged = all ? this.store.purge() : this.store.purgeEx(opts);
    const event: PurgeEvent = { ...opts, firstSeq: this.store.fastState().firstSeq };
    this.consumers.purged(event);
    return purged;
  }

  /** Removes one message (erasing its bytes unless noErase); false when there was none. */
  deleteMsg(seq: number, noErase: boolean): boolean {
    const removed = noErase ? this.store.removeMsg(seq) : this.store.eraseMsg(seq);
    if (removed) this.consumers.messageRemoved(seq);
    return removed;
  }

  /** For consumers of interest and work-queue streams: drops a message everyone acked. */
  removeForRetention(seq: number): boolean {
    return this.store.removeMsg(seq);
  }

  /** Waits until every write so far is durable. */
  flushed(): Promise<void> {
    return this.store.flushed();
  }

  /** The stored configuration (meta.inf): creation time and configuration, Go's field names. */
  metaJson(): string {
    return goJson({ created: rfc3339Nano(this.createdNs),
      ...streamConfigJson(this.config, rfc3339Nano) } as JsonValue);
  }

  /** Writes meta.inf atomically: a temporary file, fsync, rename, directory fsync. */
  async writeMeta(): Promise<void> {
    if (this.dir === null) return;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const path = join(this.dir, META_FILE);
    const tmp = `${path}.tmp`;
    const file = await open(tmp, "w", 0o600);
    try {
      await file.writeFile(this.metaJson());
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
    const dir = await open(dirname(path), "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  /** Unsubscribes and closes the store (server shutdown: state stays on disk). */
  async stop(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#syncSourcing();
    for (const sub of this.#subjectSubs.values()) this.#host.client.unsubscribe(sub);
    this.#subjectSubs.clear();
    for (const sub of this.#directSubs) this.#host.client.unsubscribe(sub);
    this.#directSubs = [];
    // Acks waiting for the disk go out before the store closes.
    await this.store.flushed().catch(() => {});
    this.expiry?.stop();
    await this.consumers.stop(false);
    await this.store.stop();
  }

  /** Stops the stream and removes everything it stored. */
  async delete(): Promise<void> {
    this.#closed = true;
    this.#syncSourcing();
    for (const sub of this.#subjectSubs.values()) this.#host.client.unsubscribe(sub);
    this.#subjectSubs.clear();
    for (const sub of this.#directSubs) this.#host.client.unsubscribe(sub);
    this.#directSubs = [];
    this.expiry?.stop();
    await this.consumers.stop(true);
    await this.store.stop();
    if (this.dir !== null) await rm(this.dir, { recursive: true, force: true });
  }
}
