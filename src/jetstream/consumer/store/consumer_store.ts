/**
 * The consumer store contract: the durable part of a consumer's delivery state, shaped after
 * nats-server's ConsumerStore (server/store.go). The store applies nats-server's update rules
 * itself (UpdateDelivered, UpdateAcks: see _rules.ts), so what ConsumerInfo reports for
 * `delivered` and `ack_floor`, and what survives a restart, follow Go exactly. Two
 * implementations: MemConsumerStore and FileConsumerStore, checked by one suite
 * (consumer_store_cases.ts).
 *
 * Units: sequences and counts are `number` (safe integers), times are `bigint` unix nanoseconds.
 * @module
 */

/** A consumer sequence and the stream sequence of the same message. */
export interface SequencePair {
  consumer: number;
  stream: number;
}

/** An outstanding delivery: its first consumer sequence and a time (unix ns). */
export interface PendingEntry {
  dseq: number;
  tsNs: bigint;
}

/** Go's ConsumerState; `pending` and `redelivered` are keyed by stream sequence. */
export interface ConsumerState {
  delivered: SequencePair;
  ackFloor: SequencePair;
  pending: Map<number, PendingEntry>;
  /** Stream sequence -> number of redeliveries (deliveries minus one). */
  redelivered: Map<number, number>;
}

export type StoreAckPolicy = "none" | "all" | "explicit" | "flow_control";

/** What the store needs to know of the consumer's configuration. */
export interface ConsumerStoreConfig {
  ackPolicy: StoreAckPolicy;
  /** -1 or 0: unlimited. */
  maxDeliver: number;
  /** The consumer's metadata record (config and creation time), opaque to the store. */
  meta: Uint8Array;
}

/** A consumer's durable delivery state. */
export interface ConsumerStore {
  readonly kind: "memory" | "file";

  /** Sets the delivered and ack floor stream sequences of a new consumer (its start - 1). */
  setStarting(sseq: number): void;
  /** Moves the delivered stream sequence up (skipped messages); ack none moves the floor too. */
  updateStarting(sseq: number): void;
  /** Clears everything and starts again at sseq (CONSUMER.RESET). */
  reset(sseq: number): void;
  /** True once anything was recorded. */
  hasState(): boolean;
  /** Records a delivery; dc is the delivery count. A stale or ack-none redelivery is ignored. */
  updateDelivered(dseq: number, sseq: number, dc: number, tsNs: bigint): void;
  /** Records an ack (dseq 0 only clears the redelivery count). Unknown acks are ignored. */
  updateAcks(dseq: number, sseq: number): void;
  /** Forgets redelivery counts below seq. */
  removeRedeliveredBelow(seq: number): void;
  /**
   * Replaces the state.
   * @throws ConsumerStoreError bad_state (floors above delivered, pending out of range),
   *   old_update (older than what the store has)
   */
  update(state: ConsumerState): void;
  /** update() without the old_update check (recovery after stream data loss). */
  forceUpdate(state: ConsumerState): void;
  /** A copy of the state. */
  state(): ConsumerState;
  /** The live state: read it at once, never keep or change it. */
  borrowState(): Readonly<ConsumerState>;

  config(): ConsumerStoreConfig;
  updateConfig(config: ConsumerStoreConfig): void;

  /** Resolves when every change made so far is durable (at once for memory). */
  flushed(): Promise<void>;
  /** Writes what is pending and releases the store; later changes throw closed. */
  stop(): Promise<void>;
  /** Stops and removes the stored state. */
  delete(): Promise<void>;
}

/** An empty state. */
export function emptyConsumerState(): ConsumerState {
  return {
    delivered: { consumer: 0, stream: 0 },
    ackFloor: { consumer: 0, stream: 0 },
    pending: new Map(),
    redelivered: new Map(),
  };
}

/** A deep copy of a state. */
export function copyConsumerState(state: Readonly<ConsumerState>): ConsumerState {
  const pending = new Map<number, PendingEntry>();
  for (const [seq, p] of state.pending) pending.set(seq, { dseq: p.dseq, tsNs: p.tsNs });
  return {
    delivered: { ...state.delivered },
    ackFloor: { ...state.ackFloor },
    pending,
    redelivered: new Map(state.redelivered),
  };
}
