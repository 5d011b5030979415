/**
 * The `$JS.API` of an account without JetStream on a server with JetStream: as nats-server, every
 * API request gets its own response type with `JetStream not enabled for account` (10039), in the
 * shape that request's empty response has, so clients fail with a clear error instead of "no
 * responders". Requests nats-server leaves unanswered (pull requests, unknown subjects) stay
 * unanswered here too.
 * @module
 */
import type { InternalClient } from "../../server/internal_client.ts";
import type { Subscription } from "../../client/subscription.ts";
import { apiError } from "./api_error.ts";
import { JSClusterRequiredErr, JSNotEnabledForAccountErr } from "./errors_generated.ts";
import { goJson, type JsonValue } from "./go_json.ts";
import { apiResponse } from "./responses.ts";

const V1 = "io.nats.jetstream.api.v1.";
const PAGED_EMPTY = { total: 0, offset: 0, limit: 0 };

interface Answer {
  type: string;
  /** The fields nats-server's empty response of this type carries besides type and error. */
  fields?: Record<string, JsonValue>;
  clustered?: boolean;
}

/** By the API subject's leading tokens (after `$JS.API.`), most specific first. */
const ANSWERS: ReadonlyArray<readonly [string, Answer]> = [
  ["INFO", { type: `${V1}account_info_response` }],
  ["STREAM.CREATE.", { type: `${V1}stream_create_response` }],
  ["STREAM.UPDATE.", { type: `${V1}stream_update_response` }],
  ["STREAM.NAMES", { type: `${V1}stream_names_response`,
    fields: { ...PAGED_EMPTY, streams: null } }],
  ["STREAM.LIST", { type: `${V1}stream_list_response`, fields: { ...PAGED_EMPTY, streams: [] } }],
  ["STREAM.INFO.", { type: `${V1}stream_info_response` }],
  ["STREAM.DELETE.", { type: `${V1}stream_delete_response` }],
  ["STREAM.PURGE.", { type: `${V1}stream_purge_response`, fields: { purged: 0 } }],
  ["STREAM.MSG.GET.", { type: `${V1}stream_msg_get_response` }],
  ["STREAM.MSG.DELETE.", { type: `${V1}stream_msg_delete_response` }],
  ["STREAM.SNAPSHOT.", { type: `${V1}stream_snapshot_response` }],
  ["STREAM.RESTORE.", { type: `${V1}stream_restore_response`, fields: { deliver_subject: "" } }],
  ["STREAM.LEADER.STEPDOWN.", { type: `${V1}stream_leader_stepdown_response`, clustered: true }],
  ["CONSUMER.CREATE.", { type: `${V1}consumer_create_response` }],
  ["CONSUMER.DURABLE.CREATE.", { type: `${V1}consumer_create_response` }],
  ["CONSUMER.NAMES.", { type: `${V1}consumer_names_response`,
    fields: { ...PAGED_EMPTY, consumers: [] } }],
  ["CONSUMER.LIST.", { type: `${V1}consumer_list_response`,
    fields: { ...PAGED_EMPTY, consumers: [] } }],
  ["CONSUMER.INFO.", { type: `${V1}consumer_info_response` }],
  ["CONSUMER.DELETE.", { type: `${V1}consumer_delete_response` }],
];

/** The response body for an API subject (below `$JS.API.`), or null when none is sent. */
export function notEnabledResponse(apiSubject: string): string | null {
  for (const [prefix, answer] of ANSWERS) {
    const matches = prefix.endsWith(".") ? apiSubject.startsWith(prefix) && apiSubject.length >
      prefix.length : apiSubject === prefix;
    if (!matches) continue;
    const error = apiError(answer.clustered ? JSClusterRequiredErr : JSNotEnabledForAccountErr);
    return goJson(apiResponse(answer.type, error, answer.fields ?? {}));
  }
  return null;
}

const encoder = new TextEncoder();

/**
 * Answers the account's `$JS.API.>` (and `$JS.<domain>.API.>`) requests with 10039 until
 * stopped (the account gets JetStream). Returns the stop function.
 */
export function serveNotEnabled(client: InternalClient, domain: string): () => void {
  const prefixes = ["$JS.API."];
  if (domain !== "") prefixes.push(`$JS.${domain}.API.`);
  const subs: Subscription<InternalClient>[] = prefixes.map((prefix) =>
    client.subscribe(`${prefix}>`, (subject, reply) => {
      if (reply === "") return;
      const body = notEnabledResponse(subject.slice(prefix.length));
      if (body !== null) client.publish(reply, "", null, encoder.encode(body));
    }));
  return () => {
    for (const sub of subs) client.unsubscribe(sub);
  };
}
