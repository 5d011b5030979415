/**
 * `$JS.API.CONSUMER.RESET.<stream>.<consumer>`, which the consumer answers itself as in
 * nats-server (processResetReq): an empty body goes back to just above the ack floor, `{"seq":n}`
 * starts again at n when the deliver policy allows it.
 * @module
 */
import { apiError } from "../api/api_error.ts";
import * as E from "../api/errors_generated.ts";
import { goJson, type JsonValue } from "../api/go_json.ts";
import { decodeRequest, int, object } from "../api/json_decode.ts";
import { requiresHigherApiLevel } from "../stream/direct_get.ts";
import type { Consumer } from "./consumer.ts";
import { consumerInfoResponse } from "./info_response.ts";
import type { ConsumerManager } from "./manager.ts";

export const RESET_RESPONSE_TYPE = "io.nats.jetstream.api.v1.consumer_reset_response";
const resetRequest = object("JSApiConsumerResetRequest", { seq: int("uint64") });
const encoder = new TextEncoder();

export function handleReset(
  manager: ConsumerManager,
  consumer: Consumer,
  reply: string,
  hdr: Uint8Array | null,
  body: Uint8Array,
): void {
  const send = (response: Record<string, JsonValue>): void => {
    manager.host.client.publish(reply, "", null, encoder.encode(goJson(response)));
  };
  const fail = (error: ReturnType<typeof apiError>): void =>
    send({ type: RESET_RESPONSE_TYPE, error, reset_seq: 0 });
  if (requiresHigherApiLevel(hdr)) return fail(apiError(E.JSRequiredApiLevelErr));
  let seq = 0;
  if (body.length > 0) {
    // json.Unmarshal: unknown fields are fine here.
    const decoded = decodeRequest<{ seq?: number }>(body, resetRequest, { lenient: true });
    if (!decoded.ok) return fail(apiError(E.JSInvalidJSONErr, { err: decoded.error }));
    seq = decoded.value.seq ?? 0;
  }
  const result = consumer.core.reset(seq);
  if (typeof result === "string") {
    return fail(apiError(E.JSConsumerInvalidResetErr, { err: result }));
  }
  consumer.schedule();
  send({
    type: RESET_RESPONSE_TYPE,
    ...consumerInfoResponse(manager, consumer, true),
    reset_seq: result,
  });
}
