/**
 * The seam between a stream and its consumers (issue 8 plugs its consumer manager in here). The
 * stream calls these hooks at fixed points of its life; the consumer layer reads messages through
 * the stream's `store` and removes acknowledged messages of interest and work-queue streams with
 * `Stream.removeForRetention`. A stream without consumers uses NO_CONSUMERS.
 * @module
 */
import type { StreamConfig } from "./config.ts";

/** What a purge removed, as the purge request said it. */
export interface PurgeEvent {
  /** Only messages matching this filter were removed; undefined means all. */
  subject?: string;
  /** Only messages below this sequence. */
  seq?: number;
  /** The newest `keep` matching messages were kept. */
  keep?: number;
  /** The stream's first sequence after the purge. */
  firstSeq: number;
}

export interface StreamConsumers {
  /** Consumers on the stream (consumer_count, max_consumers). */
  readonly count: number;
  /**
   * Interest retention: whether any consumer would receive a message on `subject`. A message
   * nobody is interested in is not stored (its sequence is used up), as nats-server does.
   */
  hasInterest(subject: string): boolean;
  /**
   * A message was stored at `seq` (called synchronously right after the store decided the
   * sequence, before the publish acknowledgement waits for the disk; a consumer reading the store
   * may deliver it before the publisher has its ack, as with nats-server).
   */
  messageStored(seq: number, subject: string): void;
  /** Messages were purged (API purge, or a Nats-Rollup). */
  purged(event: PurgeEvent): void;
  /** One message was removed (MSG.DELETE, or retention). */
  messageRemoved(seq: number): void;
  /** The configuration changed (retention, limits, ...). */
  configChanged(config: StreamConfig): void;
  /**
   * The stream is going away: `deleted` true for STREAM.DELETE (remove consumer state), false for
   * a server shutdown (keep it).
   */
  stop(deleted: boolean): Promise<void>;
}

/** The hooks of a stream nobody consumes from. */
export const NO_CONSUMERS: StreamConsumers = Object.freeze({
  count: 0,
  hasInterest: () => false,
  messageStored: () => {},
  purged: () => {},
  messageRemoved: () => {},
  configChanged: () => {},
  stop: async () => {},
});
