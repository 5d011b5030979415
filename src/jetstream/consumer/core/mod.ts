/**
 * The consumer delivery state machine (no I/O, no clock) and the wire forms it reads and writes:
 * ack reply subjects, ack bodies, pull requests and status messages.
 * @module
 */
export { ConsumerCore, type ConsumerCoreOptions, DELIVER_BATCH_MSGS_MAX } from "./consumer_core.ts";
export type { CoreInfo, PriorityGroupInfo, SequenceInfo } from "./info.ts";
export {
  accountHash,
  type AckReplyInfo,
  AckSubjects,
  type AckSubjectNames,
  parseAckReply,
} from "./ack_subject.ts";
export { type AckVerb, parseAckBody, parseNakDelay } from "./ack_body.ts";
export { parsePullRequest, type PullPriority, type PullRequest } from "./pull_request.ts";
export { formatGoDuration, parseGoDurationNs } from "./go_duration.ts";
export * as status from "./status.ts";
export type {
  AckPolicy,
  ConsumerEnv,
  ConsumerEvent,
  ConsumerOutput,
  CoreConfig,
  DeliverPolicy,
  PriorityPolicy,
  ReplayPolicy,
  Retention,
  StreamReader,
} from "./types.ts";
