/**
 * JetStream API response types and the shape helpers that put `type` and `error` first, as Go's
 * ApiResponse embedding does.
 * @module
 */
import type { ApiError } from "./api_error.ts";
import type { JsonValue } from "./go_json.ts";

const V1 = "io.nats.jetstream.api.v1.";

/** nats-server's response `type` strings. */
export const RESPONSE_TYPE = {
  system: `${V1}system_response`,
  accountInfo: `${V1}account_info_response`,
  streamCreate: `${V1}stream_create_response`,
  streamUpdate: `${V1}stream_update_response`,
  streamDelete: `${V1}stream_delete_response`,
  streamInfo: `${V1}stream_info_response`,
  streamNames: `${V1}stream_names_response`,
  streamList: `${V1}stream_list_response`,
  streamPurge: `${V1}stream_purge_response`,
  msgDelete: `${V1}stream_msg_delete_response`,
  msgGet: `${V1}stream_msg_get_response`,
  streamSnapshot: `${V1}stream_snapshot_response`,
  streamRestore: `${V1}stream_restore_response`,
  streamRemovePeer: `${V1}stream_remove_peer_response`,
  streamLeaderStepDown: `${V1}stream_leader_stepdown_response`,
  accountPurge: `${V1}account_purge_response`,
} as const;

/** `{type, error?, ...fields}`. */
export function apiResponse(
  type: string, error: ApiError | null, fields: Record<string, JsonValue> = {},
): Record<string, JsonValue> {
  return { type, error: error ?? undefined, ...fields };
}

/** The generic error answer for requests nothing else answers (system_response). */
export function systemError(error: ApiError): Record<string, JsonValue> {
  return apiResponse(RESPONSE_TYPE.system, error);
}
