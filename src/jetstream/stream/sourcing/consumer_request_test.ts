import { describe, expect, test } from "bun:test";
import {
  consumerCreateRequest, type ConsumerRequestInput, deliverSubject, originFilters,
} from "./consumer_request.ts";

const fixed = () => 0;
const base: ConsumerRequestInput = {
  kind: "mirror", origin: { name: "O" }, consumerName: "JS_MIRROR_x",
  deliverSubject: "$JS.M.00000000", start: { policy: "all" }, stream: "M", account: "$G",
  domain: "", sourcing: true,
};

describe("consumer create request", () => {
  test("Go's sourcing consumer: push, ack none, flow control, heartbeats, direct", () => {
    const { subject, body } = consumerCreateRequest(base);
    expect(subject).toBe("$JS.API.CONSUMER.CREATE.O");
    expect(JSON.parse(body)).toEqual({ stream_name: "O", config: {
      name: "JS_MIRROR_x", deliver_subject: "$JS.M.00000000", deliver_policy: "all",
      ack_policy: "none", ack_wait: 79_200_000_000_000, max_deliver: 1,
      replay_policy: "instant", flow_control: true, idle_heartbeat: 1_000_000_000,
      inactive_threshold: 10_000_000_000, direct: true, sourcing: true,
      metadata: { "_nats.mirror.stream": "M", "_nats.mirror.acc": "$G" } } });
  });

  test("one filter uses the extended subject; several use filter_subjects", () => {
    const one = consumerCreateRequest({ ...base, kind: "source", domain: "hub",
      origin: { name: "O", filter_subject: "o.1" }, start: { policy: "by_start_sequence",
        seq: 7 } });
    expect(one.subject).toBe("$JS.API.CONSUMER.CREATE.O.JS_MIRROR_x.o.1");
    expect(JSON.parse(one.body).config).toMatchObject({ filter_subject: "o.1",
      deliver_policy: "by_start_sequence", opt_start_seq: 7,
      metadata: { "_nats.src.stream": "M", "_nats.src.domain": "hub" } });
    const many = consumerCreateRequest({ ...base, origin: { name: "O",
      subject_transforms: [{ src: "a.>", dest: "x.>" }, { src: "b.>", dest: "y.>" }] } });
    expect(many.subject).toBe("$JS.API.CONSUMER.CREATE.O");
    expect(JSON.parse(many.body).config.filter_subjects).toEqual(["a.>", "b.>"]);
  });

  test("external sources use their API and deliver prefixes", () => {
    const ext = { api: "JS.A.API", deliver: "deliver.b" };
    const { subject } = consumerCreateRequest({ ...base, origin: { name: "O", external: ext } });
    expect(subject).toBe("JS.A.API.CONSUMER.CREATE.O");
    expect(deliverSubject("source", ext, fixed)).toBe("deliver.b.S.00000000");
    expect(deliverSubject("mirror", undefined, fixed)).toBe("$JS.M.00000000");
    expect(deliverSubject("source", { api: "x", deliver: "d." }, fixed)).toBe("d.S.00000000");
  });

  test("start times are RFC 3339; without sourcing the flag is left out", () => {
    const { body } = consumerCreateRequest({ ...base, sourcing: false,
      start: { policy: "by_start_time", timeNs: 1_700_000_000_000_000_001n } });
    const config = JSON.parse(body).config;
    expect(config.opt_start_time).toBe("2023-11-14T22:13:20.000000001Z");
    expect(config.sourcing).toBeUndefined();
    expect(originFilters({ name: "O" })).toEqual([]);
  });
});
