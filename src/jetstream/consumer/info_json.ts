/**
 * ConsumerInfo as nats-server writes it (consumer.go ConsumerInfo, SequenceInfo,
 * PriorityGroupState), in Go's field order, with the dynamic version metadata
 * (setDynamicConsumerInfoMetadata) added to the config.
 * @module
 */
import { GO_ZERO_TIME, type JsonValue, rfc3339Nano } from "../api/go_json.ts";
import { type ConsumerConfig, consumerConfigJson } from "./config.ts";
import type { CoreInfo, SequenceInfo } from "./core/mod.ts";

export interface InfoFacts {
  stream: string;
  name: string;
  createdNs: bigint;
  config: ConsumerConfig;
  info: CoreInfo;
  nowNs: bigint;
  /** `_nats.ver` and `_nats.level` for the config's metadata; absent: stored metadata only. */
  versionMetadata?: { version: string; level: number };
}

function sequenceJson(s: SequenceInfo): Record<string, JsonValue> {
  return {
    consumer_seq: s.consumerSeq,
    stream_seq: s.streamSeq,
    last_active: s.lastActiveNs !== null ? rfc3339Nano(s.lastActiveNs) : undefined,
  };
}

/** The config JSON with `_nats.ver` / `_nats.level` added (not stored). */
export function configWithVersion(
  config: ConsumerConfig,
  version?: { version: string; level: number },
): Record<string, JsonValue> {
  const cfg = { ...config };
  if (version !== undefined) {
    cfg.metadata = {
      ...(config.metadata ?? {}),
      "_nats.ver": version.version,
      "_nats.level": String(version.level),
    };
  }
  return consumerConfigJson(cfg, rfc3339Nano);
}

/** The ConsumerInfo fields of a response. */
export function consumerInfoJson(facts: InfoFacts): Record<string, JsonValue> {
  const i = facts.info;
  return {
    stream_name: facts.stream,
    name: facts.name,
    created: rfc3339Nano(facts.createdNs),
    config: configWithVersion(facts.config, facts.versionMetadata),
    delivered: sequenceJson(i.delivered),
    ack_floor: sequenceJson(i.ackFloor),
    num_ack_pending: i.numAckPending,
    num_redelivered: i.numRedelivered,
    num_waiting: i.numWaiting,
    num_pending: i.numPending,
    push_bound: i.pushBound ? true : undefined,
    paused: i.paused ? true : undefined,
    pause_remaining: i.pauseRemainingNs > 0n ? i.pauseRemainingNs : undefined,
    ts: rfc3339Nano(facts.nowNs),
    priority_groups: i.priorityGroups.length === 0 ? undefined : i.priorityGroups.map((g) => ({
      group: g.group,
      pinned_client_id: g.pinnedClientId !== "" ? g.pinnedClientId : undefined,
      pinned_ts: g.pinnedTsNs !== null ? rfc3339Nano(g.pinnedTsNs) : GO_ZERO_TIME,
    })),
  };
}
