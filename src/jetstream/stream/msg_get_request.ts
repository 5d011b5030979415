/**
 * The message get request (Go's JSApiMsgGetRequest), shared by STREAM.MSG.GET and DIRECT.GET.
 * @module
 */
import { array, bool, int, object, type Schema, str, time } from "../api/json_decode.ts";

export interface MsgGetRequest {
  seq?: number;
  last_by_subj?: string;
  next_by_subj?: string;
  batch?: number;
  max_bytes?: number;
  /** Unix nanoseconds. */
  start_time?: bigint;
  multi_last?: string[];
  up_to_seq?: number;
  up_to_time?: bigint;
  no_hdr?: boolean;
}

export const MSG_GET_REQUEST: Schema = object("JSApiMsgGetRequest", {
  seq: int("uint64"),
  last_by_subj: str,
  next_by_subj: str,
  batch: int("int"),
  max_bytes: int("int"),
  start_time: time,
  multi_last: array(str),
  up_to_seq: int("uint64"),
  up_to_time: time,
  no_hdr: bool,
});
