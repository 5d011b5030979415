/**
 * What a consumer update may change (nats-server's checkNewConsumerConfig): the refusals are
 * plain errors, which the API wraps as err_code 10012 with the text as description, except the
 * two that are API errors of their own.
 * @module
 */
import { apiError } from "../api/api_error.ts";
import * as E from "../api/errors_generated.ts";
import { type ConsumerConfig, sameConsumerConfig } from "./config.ts";

/** Why `next` may not replace `prev`, or null. */
export function checkConsumerUpdate(
  prev: ConsumerConfig,
  next: ConsumerConfig,
  hasInterest: (subject: string) => boolean,
): Error | null {
  if (sameConsumerConfig(prev, next)) return null;
  const refuse = (text: string) => new Error(text);
  if (prev.deliver_policy !== next.deliver_policy) {
    return refuse("deliver policy can not be updated");
  }
  if ((prev.mem_storage ?? false) !== (next.mem_storage ?? false)) {
    return refuse("storage type can not be updated");
  }
  if ((prev.direct ?? false) !== (next.direct ?? false)) return refuse("direct can not be updated");
  if ((prev.sourcing ?? false) !== (next.sourcing ?? false)) {
    return refuse("sourcing can not be updated");
  }
  if ((prev.opt_start_seq ?? 0) !== (next.opt_start_seq ?? 0)) {
    return refuse("start sequence can not be updated");
  }
  if (prev.opt_start_time !== next.opt_start_time) return refuse("start time can not be updated");
  if (prev.ack_policy !== next.ack_policy) return refuse("ack policy can not be updated");
  if (prev.replay_policy !== next.replay_policy) return refuse("replay policy can not be updated");
  if ((prev.idle_heartbeat ?? 0n) !== (next.idle_heartbeat ?? 0n)) {
    return refuse("heart beats can not be updated");
  }
  if ((prev.flow_control ?? false) !== (next.flow_control ?? false)) {
    return refuse("flow control can not be updated");
  }
  const before = prev.deliver_subject ?? "";
  const after = next.deliver_subject ?? "";
  if (before !== after) {
    if (before === "") return refuse("can not update pull consumer to push based");
    if (after === "") return refuse("can not update push consumer to pull based");
    if (hasInterest(before)) return apiError(E.JSConsumerNameExistErr);
  }
  if ((prev.max_waiting ?? 0) !== (next.max_waiting ?? 0)) {
    return refuse("max waiting can not be updated");
  }
  const backoffs = (next.backoff ?? []).length;
  if (backoffs > 0 && next.max_deliver !== -1 && backoffs > next.max_deliver) {
    return apiError(E.JSConsumerMaxDeliverBackoffErr);
  }
  return null;
}
