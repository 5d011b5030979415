/**
 * MemConsumerStore: consumer state kept in memory only (consumers with `mem_storage`, consumers
 * of memory streams, and tests).
 * @module
 */
import type { ConsumerStore, ConsumerStoreConfig } from "./consumer_store.ts";
import { StateKeeper } from "./_state_keeper.ts";

export class MemConsumerStore extends StateKeeper implements ConsumerStore {
  readonly kind = "memory" as const;

  constructor(config: ConsumerStoreConfig) {
    super(config);
  }

  protected changed(): void {
    // Nothing to persist.
  }

  flushed(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  delete(): Promise<void> {
    return this.stop();
  }
}
