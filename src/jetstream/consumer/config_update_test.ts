import { describe, expect, test } from "bun:test";
import { ApiError } from "../api/api_error.ts";
import type { ConsumerConfig } from "./config.ts";
import { checkConsumerUpdate } from "./config_update.ts";

const base: ConsumerConfig = {
  durable_name: "d", deliver_policy: "all", ack_policy: "explicit", replay_policy: "instant",
  max_deliver: -1, max_ack_pending: 1000, num_replicas: 0, deliver_subject: "out",
  ack_wait: 30_000_000_000n,
};
const noInterest = () => false;

describe("checkConsumerUpdate", () => {
  test("what may change passes", () => {
    const next = { ...base, max_ack_pending: 5, ack_wait: 1n, description: "x", max_deliver: 4,
      filter_subject: "a", headers_only: true, deliver_subject: "elsewhere" };
    expect(checkConsumerUpdate(base, next, noInterest)).toBeNull();
    expect(checkConsumerUpdate(base, { ...base }, noInterest)).toBeNull();
  });

  const refusals: Array<[string, Partial<ConsumerConfig>]> = [
    ["deliver policy can not be updated", { deliver_policy: "new" }],
    ["storage type can not be updated", { mem_storage: true }],
    ["direct can not be updated", { direct: true }],
    ["sourcing can not be updated", { sourcing: true }],
    ["start sequence can not be updated", { opt_start_seq: 4 }],
    ["start time can not be updated", { opt_start_time: 5n }],
    ["ack policy can not be updated", { ack_policy: "all" }],
    ["replay policy can not be updated", { replay_policy: "original" }],
    ["heart beats can not be updated", { idle_heartbeat: 1_000_000_000n }],
    ["flow control can not be updated", { flow_control: true }],
    ["can not update push consumer to pull based", { deliver_subject: "" }],
    ["max waiting can not be updated", { max_waiting: 3 }],
  ];
  for (const [text, change] of refusals) {
    test(text, () => {
      const error = checkConsumerUpdate(base, { ...base, ...change }, noInterest);
      expect(error?.message).toBe(text);
      expect(error instanceof ApiError).toBe(false);
    });
  }

  test("pull to push, a bound deliver subject, and backoff past max_deliver", () => {
    const pull = { ...base, deliver_subject: undefined };
    expect(checkConsumerUpdate(pull, base, noInterest)?.message)
      .toBe("can not update pull consumer to push based");
    const bound = checkConsumerUpdate(base, { ...base, deliver_subject: "x" }, () => true);
    expect((bound as ApiError).err_code).toBe(10013);
    const backoff = checkConsumerUpdate(base, { ...base, max_deliver: 1,
      backoff: [1n, 2n] }, noInterest);
    expect((backoff as ApiError).err_code).toBe(10116);
  });
});
