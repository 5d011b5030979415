/**
 * The mirror or sources of one stream: a Follower and a SyncTracker per origin, the starting
 * position of each (a mirror resumes after its last sequence; a source after the origin
 * sequence in the newest `Nats-Stream-Source` header it stored), the header and subject
 * transforms sourced messages get, mirror direct gets, and StreamSourceInfo.
 * @module
 */
import type { Subscription } from "../../../client/subscription.ts";
import type { InternalClient } from "../../../server/internal_client.ts";
import type { JsonValue } from "../../api/go_json.ts";
import type { AckReplyInfo } from "../../consumer/core/ack_subject.ts";
import type { Clock } from "../../store/mod.ts";
import type { StreamConfig, StreamSource } from "../config.ts";
import {
  type DirectGetTarget, handleDirectGet, handleDirectGetLastBySubject,
} from "../direct_get.ts";
import { HeaderView } from "../headers.ts";
import type { IngestResult, IngestState } from "../publish.ts";
import { SubjectTransform } from "../subject_transform.ts";
import type { StartAt } from "./consumer_request.ts";
import { Follower, type FollowerHost } from "./follower.ts";
import { sourceInfoJson } from "./info.ts";
import { mirrorSkipTo, type SourcedMsg } from "./ingest.ts";
import { withSourceHeader } from "./source_headers_edit.ts";
import { goHash, headerStreamToken, indexName, parseSourceHeader } from "./source_header.ts";
import { SyncTracker } from "./tracker.ts";

/** Mirror direct gets start once the mirror is this close to its origin (dgetCaughtUpThresh). */
const DIRECT_CAUGHT_UP_LAG_MAX = 10;
const DIRECT_GET_QUEUE = "_sys_";
const STREAM_SOURCE = "Nats-Stream-Source";

/** What the sourcing of a stream needs from the stream and its account. */
export interface SourcingHost {
  readonly client: InternalClient;
  readonly clock: Clock;
  readonly account: string;
  readonly domain: string;
  readonly state: IngestState & DirectGetTarget;
  warn(message: string): void;
  storeMirrored(msg: SourcedMsg & { seq: number; ts: bigint }): IngestResult;
  storeSourced(msg: SourcedMsg): IngestResult;
  random?: () => number;
}

/** One origin being followed. */
class Origin {
  readonly tracker: SyncTracker;
  readonly transforms: SubjectTransform[];
  /** `Nats-Stream-Source` around the sequence: "<stream> " and " <filters> <dests> ". */
  readonly #headerHead: string;
  readonly #headerMid: string;
  follower!: Follower;

  constructor(readonly src: StreamSource, readonly iname: string, mirror: boolean, sseq: number) {
    this.tracker = new SyncTracker(mirror, sseq);
    const [stream, filters, dests] = iname.split(" ");
    this.#headerHead = `${stream} `;
    this.#headerMid = ` ${filters} ${dests} `;
    this.transforms = (src.subject_transforms ?? []).filter((t) => (t.dest ?? "") !== "")
      .map((t) => SubjectTransform.compile(t.src || ">", t.dest ?? ""));
  }

  /** The header value for origin sequence `seq` of a message on `original` (source_header.ts). */
  header(seq: number, original: string): string {
    return this.#headerHead + seq + this.#headerMid + original;
  }

  transform(subject: string): string {
    for (const t of this.transforms) {
      const out = t.match(subject);
      if (out !== null) return out;
    }
    return subject;
  }
}

export class StreamSourcing {
  readonly #host: SourcingHost;
  #mirror: Origin | null = null;
  readonly #sources = new Map<string, Origin>();
  #directSubs: Subscription<InternalClient>[] = [];

  constructor(host: SourcingHost) {
    this.#host = host;
  }

  get #config(): StreamConfig {
    return this.#host.state.config;
  }

  /** Starts following the configured origins. */
  start(): void {
    const cfg = this.#config;
    if (cfg.mirror !== undefined) {
      const last = this.#host.state.store.fastState().lastSeq;
      this.#mirror = this.#origin(cfg.mirror, "mirror", last);
      this.#mirror.follower.start();
    }
    this.#syncSources();
  }

  /** Applies a configuration update: sources added, removed or changed. */
  update(): void {
    this.#syncSources();
  }

  stop(): void {
    this.#mirror?.follower.stop();
    this.#mirror = null;
    for (const o of this.#sources.values()) o.follower.stop();
    this.#sources.clear();
    for (const sub of this.#directSubs) this.#host.client.unsubscribe(sub);
    this.#directSubs = [];
  }

  /** The followers (tests and /jsz). */
  get followers(): Follower[] {
    const all = this.#mirror === null ? [] : [this.#mirror.follower];
    for (const o of this.#sources.values()) all.push(o.follower);
    return all;
  }

  /** StreamInfo `mirror` and `sources`. */
  info(): { mirror?: JsonValue; sources?: JsonValue[] } {
    const now = this.#host.clock.nowNs();
    const one = (o: Origin) => sourceInfoJson({ origin: o.src, lag: o.tracker.lag,
      lastActiveNs: o.follower.lastActiveNs, nowNs: now, error: o.follower.error });
    const out: { mirror?: JsonValue; sources?: JsonValue[] } = {};
    if (this.#mirror !== null) out.mirror = one(this.#mirror);
    if (this.#sources.size > 0) out.sources = [...this.#sources.values()].map(one);
    return out;
  }

  #syncSources(): void {
    const wanted = new Map<string, StreamSource>();
    for (const src of this.#config.sources ?? []) wanted.set(indexName(src), src);
    for (const [iname, o] of this.#sources) {
      if (wanted.has(iname)) continue;
      o.follower.stop();
      this.#sources.delete(iname);
    }
    const added: Origin[] = [];
    for (const [iname, src] of wanted) {
      if (this.#sources.has(iname)) continue;
      const o = this.#origin(src, "source", 0);
      this.#sources.set(iname, o);
      added.push(o);
    }
    if (added.length === 0) return;
    this.#resumePositions(added);
    for (const o of added) o.follower.start();
  }

  /**
   * Finds where each new source left off: the newest stored message whose
   * `Nats-Stream-Source` names it (nats-server's startingSequenceForSources).
   */
  #resumePositions(origins: Origin[]): void {
    const store = this.#host.state.store;
    const open = new Set(origins);
    const byToken = new Map(origins.map((o) => [headerStreamToken(o.src), o]));
    const byIname = new Map(origins.map((o) => [o.iname, o]));
    for (let seq = store.fastState().lastSeq; seq > 0 && open.size > 0; seq--) {
      const m = store.loadPrevMsg(">", seq);
      if (m === null) break;
      seq = m.seq;
      if (m.hdr.length === 0) continue;
      const value = new HeaderView(m.hdr).get(STREAM_SOURCE);
      const parsed = value === null ? null : parseSourceHeader(value);
      if (parsed === null) continue;
      const o = parsed.iname !== "" ? byIname.get(parsed.iname) : byToken.get(parsed.stream);
      if (o === undefined || !open.has(o)) continue;
      o.tracker.restart(parsed.seq);
      open.delete(o);
    }
  }

  #origin(src: StreamSource, kind: "mirror" | "source", sseq: number): Origin {
    const o = new Origin(src, indexName(src), kind === "mirror", sseq);
    o.follower = new Follower(this.#followerHost(o, kind), kind, src, this.#consumerBase(kind, o));
    return o;
  }

  /** JS_MIRROR_<hash> / JS_SRC_<hash>, stable across restarts (createSourcingConsumerHash). */
  #consumerBase(kind: "mirror" | "source", o: Origin): string {
    let id = `${this.#config.name} ${this.#host.account}`;
    if (this.#host.domain !== "") id += ` ${this.#host.domain}`;
    const stable = goHash(id);
    if (kind === "mirror") return `JS_MIRROR_${stable}`;
    const same = (this.#config.sources ?? []).filter((s) => s.name === o.src.name).length;
    return `JS_SRC_${goHash(same > 1 ? `${stable} ${o.iname}` : stable)}`;
  }

  #followerHost(o: Origin, kind: "mirror" | "source"): FollowerHost {
    const host = this.#host;
    return {
      client: host.client,
      clock: host.clock,
      stream: this.#config.name,
      account: host.account,
      domain: host.domain,
      random: host.random ?? Math.random,
      startAt: () => kind === "mirror" ? this.#mirrorStart(o) : this.#sourceStart(o),
      lastOriginSeq: () => o.tracker.sseq,
      deliver: (subject, hdr, payload, reply, info) => kind === "mirror"
        ? this.#deliverMirror(o, subject, hdr, payload, info)
        : this.#deliverSource(o, subject, hdr, payload, info),
      missedDeliveries: (last) => o.tracker.heartbeatMissedDeliveries(last),
      position: () => ({ dseq: o.tracker.dseq, sseq: o.tracker.sseq }),
    };
  }

  #mirrorStart(o: Origin): StartAt {
    const last = this.#host.state.store.fastState().lastSeq;
    o.tracker.restart(last);
    if (last > 0) return { policy: "by_start_sequence", seq: last + 1 };
    if ((o.src.opt_start_seq ?? 0) > 0) {
      return { policy: "by_start_sequence", seq: o.src.opt_start_seq ?? 0 };
    }
    if (o.src.opt_start_time !== undefined) {
      return { policy: "by_start_time", timeNs: o.src.opt_start_time };
    }
    return { policy: "all" };
  }

  #sourceStart(o: Origin): StartAt {
    const t = o.tracker;
    t.restart(t.sseq);
    if (t.sseq > 0) return { policy: "by_start_sequence", seq: t.sseq + 1 };
    if ((o.src.opt_start_seq ?? 0) > 0) {
      return { policy: "by_start_sequence", seq: o.src.opt_start_seq ?? 0 };
    }
    const fast = this.#host.state.store.fastState();
    const lastTs = fast.lastSeq > 0 ? fast.lastTs : 0n;
    if (o.src.opt_start_time !== undefined) {
      const at = lastTs > o.src.opt_start_time ? lastTs : o.src.opt_start_time;
      return { policy: "by_start_time", timeNs: at };
    }
    if (fast.firstSeq > 1 && lastTs > 0n) return { policy: "by_start_time", timeNs: lastTs };
    return { policy: "all" };
  }

  #deliverMirror(o: Origin, subject: string, hdr: Uint8Array | null, payload: Uint8Array,
    info: AckReplyInfo): boolean {
    const t = o.tracker;
    const before = { sseq: t.sseq, dseq: t.dseq };
    const verdict = t.onDelivery(info);
    if (verdict.kind === "ignore") return true;
    if (verdict.kind === "retry") return false;
    const state = this.#host.state;
    // The stream's lastSeq follows every store write: no store call per message.
    if (state.lastSeq < info.streamSeq - 1) mirrorSkipTo(state, info.streamSeq);
    const result = this.#host.storeMirrored({ subject: o.transform(subject), hdr, payload,
      seq: info.streamSeq, ts: info.tsNs });
    if (result.kind === "error") {
      this.#host.warn(`Error processing inbound mirror message for '${this.#host.account}' > ` +
        `'${this.#config.name}': ${result.error.description}`);
      t.rollback(before.sseq, before.dseq);
      return false;
    }
    if (this.#config.mirror_direct && t.lag < DIRECT_CAUGHT_UP_LAG_MAX) this.#subscribeDirect(o);
    return true;
  }

  #deliverSource(o: Origin, subject: string, hdr: Uint8Array | null, payload: Uint8Array,
    info: AckReplyInfo): boolean {
    const t = o.tracker;
    const before = { sseq: t.sseq, dseq: t.dseq };
    const verdict = t.onDelivery(info);
    if (verdict.kind === "ignore") return true;
    if (verdict.kind === "retry") return false;
    const header = o.header(info.streamSeq, subject);
    const result = this.#host.storeSourced({ subject: o.transform(subject),
      hdr: withSourceHeader(hdr, header), payload });
    if (result.kind === "error") {
      this.#host.warn(`Error processing inbound source "${o.iname}" for ` +
        `'${this.#host.account}' > '${this.#config.name}': ${result.error.description}`);
      t.rollback(before.sseq, before.dseq);
      return false;
    }
    return true;
  }

  /** A caught-up mirror also answers direct gets for its origin's name. */
  #subscribeDirect(o: Origin): void {
    if (this.#directSubs.length > 0) return;
    const target = this.#host.state;
    const base = `$JS.API.DIRECT.GET.${o.src.name ?? ""}`;
    const client = this.#host.client;
    this.#directSubs = [
      client.subscribe(base, (_s, reply, hdr, body) =>
        handleDirectGet(target, reply, hdr, body), DIRECT_GET_QUEUE),
      client.subscribe(`${base}.>`, (subject, reply, hdr, body) =>
        handleDirectGetLastBySubject(target, subject, reply, hdr, body), DIRECT_GET_QUEUE),
    ];
  }
}
