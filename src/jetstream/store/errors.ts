/**
 * Typed errors of the stream stores. Each code maps to one of nats-server's store errors
 * (server/store.go), whose text the streams layer puts into API errors such as
 * JSStreamStoreFailedF (err_code 10077) and the publish ack's "maximum messages exceeded".
 * @module
 */

/** Why a store operation failed. */
export type StoreErrorCode =
  | "not_found"
  | "deleted"
  | "eof"
  | "store_closed"
  | "max_msgs"
  | "max_bytes"
  | "max_msgs_per_subject"
  | "msg_too_big"
  | "seq_mismatch"
  | "corrupt"
  | "io"
  | "bad_key"
  | "invalid";

/** The Go server's message for each code (ErrStoreMsgNotFound, ErrMaxMsgs, ...). */
export const STORE_ERROR_TEXT: Readonly<Record<StoreErrorCode, string>> = {
  not_found: "no message found",
  deleted: "deleted message",
  eof: "stream store EOF",
  store_closed: "store is closed",
  max_msgs: "maximum messages exceeded",
  max_bytes: "maximum bytes exceeded",
  max_msgs_per_subject: "maximum messages per subject exceeded",
  msg_too_big: "message too large",
  seq_mismatch: "expected sequence does not match store",
  corrupt: "message record is damaged",
  io: "stream store write failed",
  bad_key: "encryption key does not match the stored data",
  invalid: "invalid store request",
};

/**
 * An error a store operation can meet at run time (a missing message, a limit, the disk).
 * Programming errors (a fractional sequence) are thrown as TypeError / RangeError instead.
 * @example
 * try { store.loadMsg(7); } catch (e) { if (e instanceof StoreError && e.code === "deleted") {} }
 */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, detail?: string) {
    super(detail ? `${STORE_ERROR_TEXT[code]}: ${detail}` : STORE_ERROR_TEXT[code]);
    this.name = "StoreError";
    this.code = code;
  }
}

/** Codes returned by the native store (native/src/filestore/store.h, enum Code). */
const NATIVE_CODES: ReadonlyMap<number, StoreErrorCode> = new Map([
  [-1, "not_found"],
  [-2, "deleted"],
  [-3, "eof"],
  [-4, "store_closed"],
  [-5, "max_msgs"],
  [-6, "max_bytes"],
  [-7, "max_msgs_per_subject"],
  [-8, "msg_too_big"],
  [-9, "seq_mismatch"],
  [-10, "corrupt"],
  [-11, "io"],
  [-12, "bad_key"],
  [-13, "invalid"],
]);

/** The StoreErrorCode of a native result code. */
export function nativeErrorCode(code: number): StoreErrorCode {
  const mapped = NATIVE_CODES.get(code);
  if (mapped === undefined) throw new RangeError(`Unknown native store code "${code}"`);
  return mapped;
}
