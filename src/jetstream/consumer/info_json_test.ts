import { describe, expect, test } from "bun:test";
import { goJson, type JsonValue } from "../api/go_json.ts";
import type { ConsumerConfig } from "./config.ts";
import { consumerInfoJson } from "./info_json.ts";

const config: ConsumerConfig = {
  durable_name: "d", name: "d", deliver_policy: "all", ack_policy: "explicit",
  ack_wait: 30_000_000_000n, max_deliver: -1, replay_policy: "instant", max_ack_pending: 1000,
  num_replicas: 0, priority_policy: "pinned_client", priority_groups: ["g"],
  pause_until: 1_700_000_060_000_000_000n, metadata: { a: "b" },
};
const T = 1_700_000_000_000_000_000n;

describe("consumerInfoJson", () => {
  test("Go's field order, optional fields only when set, version metadata on request", () => {
    const json = goJson(consumerInfoJson({
      stream: "S", name: "d", createdNs: T, config, nowNs: T + 1n,
      versionMetadata: { version: "2.14.0", level: 4 },
      info: {
        delivered: { consumerSeq: 5, streamSeq: 7, lastActiveNs: T },
        ackFloor: { consumerSeq: 2, streamSeq: 3, lastActiveNs: null },
        numAckPending: 3, numRedelivered: 1, numWaiting: 2, numPending: 9, pushBound: false,
        paused: true, pauseRemainingNs: 60_000_000_000n,
        priorityGroups: [{ group: "g", pinnedClientId: "", pinnedTsNs: null }],
      },
    }) as JsonValue);
    expect(json).toBe('{"stream_name":"S","name":"d","created":"2023-11-14T22:13:20Z",' +
      '"config":{"durable_name":"d","name":"d","deliver_policy":"all","ack_policy":"explicit",' +
      '"ack_wait":30000000000,"max_deliver":-1,"replay_policy":"instant","max_ack_pending":1000,' +
      '"num_replicas":0,"metadata":{"_nats.level":"4","_nats.ver":"2.14.0","a":"b"},' +
      '"pause_until":"2023-11-14T22:14:20Z","priority_groups":["g"],' +
      '"priority_policy":"pinned_client"},"delivered":{"consumer_seq":5,"stream_seq":7,' +
      '"last_active":"2023-11-14T22:13:20Z"},"ack_floor":{"consumer_seq":2,"stream_seq":3},' +
      '"num_ack_pending":3,"num_redelivered":1,"num_waiting":2,"num_pending":9,"paused":true,' +
      '"pause_remaining":60000000000,"ts":"2023-11-14T22:13:20.000000001Z",' +
      '"priority_groups":[{"group":"g","pinned_ts":"0001-01-01T00:00:00Z"}]}');
  });
});
