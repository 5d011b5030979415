/**
 * Stream stores: the StreamStore contract, its memory and file implementations, snapshots and
 * the clock they run on.
 * @module
 */
export * from "./store.ts";
export { STORE_ERROR_TEXT, StoreError, type StoreErrorCode } from "./errors.ts";
export { type Clock, FakeClock, SystemClock, systemClock, type TimerId } from "./clock.ts";
export { MemStore, type MemStoreOptions, MSG_DATA_BYTES_MAX } from "./mem_store.ts";
export {
  BLOCK_SIZE_BYTES_DEFAULT,
  BLOCK_SIZE_BYTES_MAX,
  BLOCK_SIZE_BYTES_MIN,
  FileStore,
  type FileStoreOptions,
  storeKeyFromConfig,
} from "./file_store.ts";
export { restoreSnapshot, type RestoreResult, writeSnapshot } from "./snapshot.ts";
