/**
 * Consumer stores: the durable delivery state of a consumer (delivered and ack floor sequences,
 * pending deliveries, redelivery counts) in memory or in files.
 * @module
 */
export {
  type ConsumerState,
  type ConsumerStore,
  type ConsumerStoreConfig,
  copyConsumerState,
  emptyConsumerState,
  type PendingEntry,
  type SequencePair,
  type StoreAckPolicy,
} from "./consumer_store.ts";
export {
  CONSUMER_STORE_ERROR_TEXT,
  ConsumerStoreError,
  type ConsumerStoreErrorCode,
} from "./errors.ts";
export { MemConsumerStore } from "./mem_consumer_store.ts";
export {
  FileConsumerStore,
  type FileConsumerStoreOptions,
  META_FILE,
  STATE_FILE,
} from "./file_consumer_store.ts";
export { decodeMeta, decodeState, encodeMeta, encodeState } from "./state_codec.ts";
