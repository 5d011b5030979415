import { describe, expect, test } from "bun:test";
import { ApiError } from "../api/api_error.ts";
import type { StreamConfig } from "../stream/config.ts";
import type { ConsumerConfig, ConsumerConfigInput } from "./config.ts";
import { checkConsumerConfig, NO_LIMITS, setConsumerDefaults } from "./config_check.ts";

const SECOND = 1_000_000_000n;
const stream = (over: Partial<StreamConfig> = {}) =>
  ({ name: "S", subjects: ["s.>"], retention: "limits", num_replicas: 1,
    consumer_limits: {}, ...over }) as StreamConfig;

function defaults(input: ConsumerConfigInput, over: Partial<StreamConfig> = {},
  limits = NO_LIMITS, pedantic = false): ConsumerConfig | ApiError {
  return setConsumerDefaults({ ...input }, stream(over), limits, pedantic);
}

describe("setConsumerDefaults", () => {
  test("pull consumers with explicit acks get Go's defaults", () => {
    expect(defaults({ ack_policy: "explicit" })).toMatchObject({
      deliver_policy: "all", ack_policy: "explicit", ack_wait: 30n * SECOND, max_deliver: -1,
      replay_policy: "instant", max_waiting: 512, max_ack_pending: 1000, num_replicas: 0,
    });
  });

  test("ack none gets no ack wait and no max_ack_pending; push gets no max_waiting", () => {
    const cfg = defaults({ deliver_subject: "d" }) as ConsumerConfig;
    expect([cfg.ack_policy, cfg.ack_wait, cfg.max_ack_pending, cfg.max_waiting])
      .toEqual(["none", undefined, 0, undefined]);
  });

  test("backoff sets ack_wait; stream consumer limits fill the gaps", () => {
    const cfg = defaults({ ack_policy: "explicit", backoff: [2n * SECOND, 5n * SECOND] },
      { consumer_limits: { max_ack_pending: 50, inactive_threshold: 9n * SECOND } });
    expect(cfg).toMatchObject({ ack_wait: 2n * SECOND, max_ack_pending: 50,
      inactive_threshold: 9n * SECOND });
  });

  test("the lowest of 1000, the server's and the account's max_ack_pending wins", () => {
    const limits = { ...NO_LIMITS, serverMaxAckPending: 300, accountMaxAckPending: 200 };
    expect((defaults({ ack_policy: "all" }, {}, limits) as ConsumerConfig).max_ack_pending)
      .toBe(200);
  });

  test("negative values are fixed up, or refused in pedantic mode", () => {
    const fixed = defaults({ ack_policy: "explicit", max_deliver: -7, max_batch: -1,
      max_expires: -5n, idle_heartbeat: -1n, max_ack_pending: -3 }) as ConsumerConfig;
    expect([fixed.max_deliver, fixed.max_batch, fixed.max_expires, fixed.idle_heartbeat,
      fixed.max_ack_pending]).toEqual([-1, 0, 0n, 0n, -1]);
    const refused = defaults({ ack_policy: "explicit", max_batch: -1 }, {}, NO_LIMITS, true);
    expect((refused as ApiError).description).toBe("pedantic mode: max_batch must not be negative");
    const backoff = defaults({ ack_policy: "explicit", ack_wait: SECOND, backoff: [2n * SECOND] },
      {}, NO_LIMITS, true);
    expect((backoff as ApiError).description)
      .toBe("pedantic mode: first backoff value has to equal batch AckWait");
  });

  test("pinned_client gets a 2 minute priority_timeout; server max_request_batch applies", () => {
    const limits = { ...NO_LIMITS, serverMaxRequestBatch: 100 };
    const cfg = defaults({ ack_policy: "explicit", priority_policy: "pinned_client",
      priority_groups: ["g"] }, {}, limits) as ConsumerConfig;
    expect([cfg.priority_timeout, cfg.max_batch]).toEqual([120n * SECOND, 100]);
  });
});

describe("checkConsumerConfig", () => {
  const check = (input: ConsumerConfigInput, over: Partial<StreamConfig> = {},
    limits = NO_LIMITS) => {
    const cfg = defaults(input, over, limits) as ConsumerConfig;
    return checkConsumerConfig(cfg, stream(over), limits);
  };

  test("a valid configuration passes", () => {
    expect(check({ ack_policy: "explicit", filter_subjects: ["s.a", "s.b.*"] })).toBeNull();
  });

  test("texts with values filled in", () => {
    expect(check({ ack_policy: "explicit", sample_freq: "-5%" })?.description)
      .toBe("failed to parse consumer sampling configuration: <nil>");
    expect(check({ ack_policy: "explicit", inactive_threshold: 20n * SECOND },
      { consumer_limits: { inactive_threshold: 10n * SECOND } })?.description)
      .toBe("consumer inactive threshold exceeds system limit of 10s");
    expect(check({ ack_policy: "explicit", max_ack_pending: 500 }, {},
      { ...NO_LIMITS, serverMaxAckPending: 100 })?.description)
      .toBe("consumer max ack pending exceeds system limit of 100");
    expect(check({ ack_policy: "explicit", metadata: { k: "v".repeat(128 * 1024) } })
      ?.description).toBe("consumer metadata exceeds maximum size of 128KB");
    expect(check({ ack_policy: "explicit", deliver_policy: "by_start_time" })?.description)
      .toBe("consumer delivery policy is deliver by start time, " +
        "but optional start time is not set");
  });

  test("ack_policy flow_control: defaults, then nats-server 2.14's refusals in order", () => {
    const fc = (over: ConsumerConfigInput = {}, pedantic = false) => {
      const cfg = defaults({ ack_policy: "flow_control", deliver_subject: "d", ...over }, {},
        NO_LIMITS, pedantic);
      return cfg instanceof ApiError ? cfg : checkConsumerConfig(cfg, stream(), NO_LIMITS);
    };
    const ok = defaults({ ack_policy: "flow_control", deliver_subject: "d" }) as ConsumerConfig;
    expect([ok.flow_control, ok.idle_heartbeat, ok.ack_wait, ok.max_deliver, ok.max_ack_pending])
      .toEqual([true, SECOND, undefined, -1, 1000]);
    expect(fc()).toBeNull();
    const codes = [
      fc({ deliver_subject: "" }),
      fc({}, true),
      fc({ flow_control: true, idle_heartbeat: 2n * SECOND }, true),
      fc({ max_ack_pending: -1 }),
      fc({ ack_wait: SECOND }),
      fc({ backoff: [SECOND] }),
      fc({ max_deliver: 5 }),
    ].map((e) => (e as ApiError | null)?.err_code);
    expect(codes).toEqual([10218, 10219, 10052, 10220, 10221, 10221, 10222]);
    expect((fc({ flow_control: true, idle_heartbeat: 2n * SECOND }, true) as ApiError)
      .description).toBe("flow control ack policy heartbeat needs to be 1s");
  });

  test("replicas beyond the stream's, or negative, are refused", () => {
    expect(check({ ack_policy: "explicit", num_replicas: 3 }, { num_replicas: 1 })?.err_code)
      .toBe(10126);
    expect(check({ ack_policy: "explicit", num_replicas: -1 })?.err_code).toBe(10133);
  });
});
