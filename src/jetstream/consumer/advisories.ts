/**
 * Consumer advisories and metrics with nats-server's subjects and JSON (jetstream_events.go):
 * the state machine's events, plus created / deleted, each as `{type, id, timestamp, ...}`.
 * @module
 */
import { GO_ZERO_TIME, type JsonValue, rfc3339Nano } from "../api/go_json.ts";
import type { ConsumerEvent } from "./core/mod.ts";

const ADVISORY = "$JS.EVENT.ADVISORY.CONSUMER";
const V1 = "io.nats.jetstream.advisory.v1.";

export interface AdvisoryContext {
  stream: string;
  consumer: string;
  account: string;
  domain: string;
  id: string;
  timeNs: bigint;
}

export interface Advisory {
  subject: string;
  body: Record<string, JsonValue>;
}

function head(type: string, ctx: AdvisoryContext): Record<string, JsonValue> {
  return { type, id: ctx.id, timestamp: rfc3339Nano(ctx.timeNs) };
}

const domain = (ctx: AdvisoryContext) => (ctx.domain !== "" ? ctx.domain : undefined);
const names = (ctx: AdvisoryContext) => `${ctx.stream}.${ctx.consumer}`;

/** consumer_action: "create" or "delete". */
export function actionAdvisory(action: "create" | "delete", ctx: AdvisoryContext): Advisory {
  const which = action === "create" ? "CREATED" : "DELETED";
  return {
    subject: `${ADVISORY}.${which}.${names(ctx)}`,
    body: {
      ...head(`${V1}consumer_action`, ctx),
      stream: ctx.stream,
      consumer: ctx.consumer,
      action,
      domain: domain(ctx),
    },
  };
}

function sequences(e: { streamSeq: number; consumerSeq: number; deliveries: number }) {
  return { consumer_seq: e.consumerSeq, stream_seq: e.streamSeq, deliveries: e.deliveries };
}

/** The advisory or metric of a state machine event. */
export function eventAdvisory(event: ConsumerEvent, ctx: AdvisoryContext): Advisory {
  const base = { stream: ctx.stream, consumer: ctx.consumer };
  switch (event.type) {
    case "max_deliver":
      return {
        subject: `${ADVISORY}.MAX_DELIVERIES.${names(ctx)}`,
        body: { ...head(`${V1}max_deliver`, ctx), ...base, stream_seq: event.streamSeq,
          deliveries: event.deliveries, domain: domain(ctx) },
      };
    case "nak":
      return {
        subject: `${ADVISORY}.MSG_NAKED.${names(ctx)}`,
        body: { ...head(`${V1}nak`, ctx), ...base, ...sequences(event), domain: domain(ctx) },
      };
    case "terminated":
      return {
        subject: `${ADVISORY}.MSG_TERMINATED.${names(ctx)}`,
        body: { ...head(`${V1}terminated`, ctx), ...base, ...sequences(event),
          reason: event.reason !== "" ? event.reason : undefined, domain: domain(ctx) },
      };
    case "ack_metric":
      return {
        subject: `$JS.EVENT.METRIC.CONSUMER.ACK.${names(ctx)}`,
        body: { ...head("io.nats.jetstream.metric.v1.consumer_ack", ctx), ...base,
          consumer_seq: event.consumerSeq, stream_seq: event.streamSeq, ack_time: event.delayNs,
          deliveries: event.deliveries, domain: domain(ctx) },
      };
    case "pinned":
      return {
        subject: `${ADVISORY}.PINNED.${names(ctx)}`,
        body: { ...head(`${V1}consumer_group_pinned`, ctx), account: ctx.account || undefined,
          ...base, domain: domain(ctx), group: event.group, pinned_id: event.pinId },
      };
    case "unpinned":
      return {
        subject: `${ADVISORY}.UNPINNED.${names(ctx)}`,
        body: { ...head(`${V1}consumer_group_unpinned`, ctx), account: ctx.account || undefined,
          ...base, domain: domain(ctx), group: event.group, reason: event.reason },
      };
    case "paused":
      return {
        subject: `${ADVISORY}.PAUSE.${names(ctx)}`,
        body: { ...head(`${V1}consumer_pause`, ctx), ...base, paused: event.paused,
          pause_until: event.pauseUntilNs !== null ? rfc3339Nano(event.pauseUntilNs)
          : GO_ZERO_TIME, domain: domain(ctx) },
      };
  }
}
