/**
 * StreamState and StreamInfo JSON in nats-server's field order: state counts, RFC 3339 times
 * (Go's zero time for an empty stream), optional per-subject counts and deleted sequences,
 * `consumer_count`; info wraps configuration, creation time, state, domain, cluster and `ts`.
 * @module
 */
import { type JsonValue, rfc3339Nano } from "../api/go_json.ts";
import type { StreamStore } from "../store/mod.ts";
import { type StreamConfig, streamConfigJson } from "./config.ts";

/** STREAM.INFO answers at most this many subjects per page (JSMaxSubjectDetails). */
export const SUBJECT_DETAILS_MAX = 100_000;

export interface StateOptions {
  /** Include the deleted sequences (deleted_details). */
  deletedDetails?: boolean;
  /** Subject counts of these subjects (wildcards allowed). */
  subjectsFilter?: string;
  /** Offset into the sorted subjects when paging. */
  offset?: number;
}

/** A state and the paging of its subject details (0s when none were asked for). */
export interface StateJson {
  state: Record<string, JsonValue>;
  paging: { total: number; offset: number; limit: number };
}

/** The stream's state as Go's StreamState JSON. */
export function streamStateJson(store: StreamStore, consumers: number, opts: StateOptions = {}):
  StateJson {
  // The full state walks deleted sequences; only detail requests and lost data need it.
  const full = opts.deletedDetails ? store.state() : null;
  const s = full ?? store.fastState();
  const state: Record<string, JsonValue> = {
    messages: s.msgs,
    bytes: s.bytes,
    // A stream that never held a message reports 0, as nats-server's stores do.
    first_seq: s.lastSeq === 0 && s.firstSeq === 1 ? 0 : s.firstSeq,
    first_ts: rfc3339Nano(s.msgs > 0 ? s.firstTs : 0n),
    last_seq: s.lastSeq,
    last_ts: rfc3339Nano(s.lastTs),
    num_subjects: s.numSubjects > 0 ? s.numSubjects : undefined,
    subjects: undefined,
    num_deleted: s.numDeleted > 0 ? s.numDeleted : undefined,
    deleted: undefined,
    lost: undefined,
    consumer_count: consumers,
  };
  if (full !== null && full.deleted.length > 0) state.deleted = full.deleted;
  const lost = full?.lost;
  if (lost !== undefined && (lost.msgs.length > 0 || lost.bytes > 0)) {
    state.lost = { msgs: lost.msgs, bytes: lost.bytes };
  }
  const paging = { total: 0, offset: 0, limit: 0 };
  const filter = opts.subjectsFilter ?? "";
  if (filter !== "") {
    const totals = store.subjectsTotals(filter);
    if (totals.size > 0) {
      let offset = opts.offset ?? 0;
      paging.total = totals.size;
      paging.limit = SUBJECT_DETAILS_MAX;
      if (offset === 0 && totals.size <= SUBJECT_DETAILS_MAX) {
        state.subjects = new Map(totals);
      } else {
        const subjects = [...totals.keys()].sort();
        offset = Math.min(offset, subjects.length);
        const page = subjects.slice(offset, offset + SUBJECT_DETAILS_MAX);
        state.subjects = page.length > 0
          ? new Map(page.map((subject) => [subject, totals.get(subject) ?? 0])) : undefined;
      }
      paging.offset = offset;
    }
  }
  return { state, paging };
}

/** What StreamInfo JSON is made of. */
export interface InfoParts {
  config: StreamConfig;
  createdNs: bigint;
  state: Record<string, JsonValue>;
  domain: string;
  /** The server name when the info should carry `cluster` (STREAM.INFO does). */
  leader?: string;
  nowNs: bigint;
  /** Add the dynamic metadata (`_nats.ver`, `_nats.level`) as responses do. */
  versionMetadata?: { version: string; level: number };
  /** StreamSourceInfo of a mirror or the sources (sourcing/info.ts). */
  sourcing?: { mirror?: JsonValue; sources?: JsonValue[] };
}

/** Go's StreamInfo fields, to spread into a response after `type`. */
export function streamInfoFields(p: InfoParts): Record<string, JsonValue> {
  let config = p.config;
  if (p.versionMetadata !== undefined) {
    config = {
      ...config,
      metadata: {
        ...config.metadata,
        "_nats.ver": p.versionMetadata.version,
        "_nats.level": String(p.versionMetadata.level),
      },
    };
  }
  return {
    config: streamConfigJson(config, rfc3339Nano),
    created: rfc3339Nano(p.createdNs),
    state: p.state,
    domain: p.domain !== "" ? p.domain : undefined,
    cluster: p.leader !== undefined ? { leader: p.leader } : undefined,
    mirror: p.sourcing?.mirror,
    sources: p.sourcing?.sources,
    ts: rfc3339Nano(p.nowNs),
  };
}
