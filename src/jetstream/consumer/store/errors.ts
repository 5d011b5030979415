/**
 * Typed errors of the consumer stores.
 * @module
 */

export type ConsumerStoreErrorCode = "bad_state" | "old_update" | "corrupt" | "io" | "closed";

/** nats-server's texts where it has one (ErrStoreOldUpdate, "bad ack floor ..."). */
export const CONSUMER_STORE_ERROR_TEXT: Readonly<Record<ConsumerStoreErrorCode, string>> = {
  bad_state: "bad consumer state",
  old_update: "old update ignored",
  corrupt: "consumer state is damaged",
  io: "consumer state write failed",
  closed: "consumer store is closed",
};

/**
 * A failure a consumer store can meet at run time: a rejected update, damaged files, the disk.
 * @example
 * try { store.update(state); } catch (e) {
 *   if (e instanceof ConsumerStoreError && e.code === "old_update") {}
 * }
 */
export class ConsumerStoreError extends Error {
  readonly code: ConsumerStoreErrorCode;
  constructor(code: ConsumerStoreErrorCode, detail?: string) {
    const text = CONSUMER_STORE_ERROR_TEXT[code];
    super(detail ? `${text}: ${detail}` : text);
    this.name = "ConsumerStoreError";
    this.code = code;
  }
}
