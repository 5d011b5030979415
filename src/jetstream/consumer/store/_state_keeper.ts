/**
 * The in-memory half shared by both consumer stores: nats-server's update rules for the stored
 * consumer state (consumerMemStore / consumerFileStore UpdateDelivered, UpdateAcks, Update in
 * server/memstore.go and filestore.go). Subclasses persist after each change via changed().
 * @module
 */
import {
  type ConsumerState,
  type ConsumerStoreConfig,
  copyConsumerState,
  emptyConsumerState,
  type PendingEntry,
} from "./consumer_store.ts";
import { ConsumerStoreError } from "./errors.ts";

function assertSeq(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new TypeError(`Invalid ${what} "${n}": expected a non-negative safe integer`);
  }
}

/** Checks a whole state as nats-server's Update does; throws bad_state. */
export function checkConsumerState(state: Readonly<ConsumerState>): void {
  if (state.ackFloor.consumer > state.delivered.consumer) {
    throw new ConsumerStoreError("bad_state", "bad ack floor for consumer");
  }
  if (state.ackFloor.stream > state.delivered.stream) {
    throw new ConsumerStoreError("bad_state", "bad ack floor for stream");
  }
  for (const seq of state.pending.keys()) {
    if (seq <= state.ackFloor.stream || seq > state.delivered.stream) {
      const detail = `bad pending entry, sequence [${seq}] out of range`;
      throw new ConsumerStoreError("bad_state", detail);
    }
  }
}

/** A copy of config with an unlimited max deliver always spelled -1. */
export function normalizeConfig(config: ConsumerStoreConfig): ConsumerStoreConfig {
  return { ...config, maxDeliver: config.maxDeliver > 0 ? config.maxDeliver : -1 };
}

export abstract class StateKeeper {
  protected st: ConsumerState = emptyConsumerState();
  protected cfg: ConsumerStoreConfig;
  protected closed = false;

  constructor(config: ConsumerStoreConfig) {
    this.cfg = normalizeConfig(config);
  }

  /** Called after every change of state or config. */
  protected abstract changed(what: "state" | "config"): void;

  protected checkOpen(): void {
    if (this.closed) throw new ConsumerStoreError("closed");
  }

  setStarting(sseq: number): void {
    this.checkOpen();
    assertSeq(sseq, "stream sequence");
    this.st.delivered.stream = sseq;
    this.st.ackFloor.stream = sseq;
    this.changed("state");
  }

  updateStarting(sseq: number): void {
    this.checkOpen();
    assertSeq(sseq, "stream sequence");
    if (sseq > this.st.delivered.stream) {
      this.st.delivered.stream = sseq;
      if (this.cfg.ackPolicy === "none") this.st.ackFloor.stream = sseq;
    }
    this.changed("state");
  }

  reset(sseq: number): void {
    this.checkOpen();
    this.st = emptyConsumerState();
    this.setStarting(sseq);
  }

  hasState(): boolean {
    return this.st.delivered.consumer !== 0 || this.st.delivered.stream !== 0;
  }

  updateDelivered(dseq: number, sseq: number, dc: number, tsNs: bigint): void {
    this.checkOpen();
    assertSeq(dseq, "consumer sequence");
    assertSeq(sseq, "stream sequence");
    const st = this.st;
    if (dc !== 1 && this.cfg.ackPolicy === "none") return;
    // A replay of an old delivery (raft, restart) below the floor changes nothing.
    if (dseq <= st.ackFloor.consumer) return;
    if (this.cfg.ackPolicy === "none") {
      if (dseq > st.delivered.consumer) st.delivered.consumer = st.ackFloor.consumer = dseq;
      if (sseq > st.delivered.stream) st.delivered.stream = st.ackFloor.stream = sseq;
      this.changed("state");
      return;
    }
    if (sseq <= st.delivered.stream) {
      // A redelivery keeps the original consumer sequence; only the time moves.
      const p = st.pending.get(sseq);
      if (p !== undefined) p.tsNs = tsNs;
    } else {
      st.pending.set(sseq, { dseq, tsNs });
    }
    if (dseq > st.delivered.consumer) st.delivered.consumer = dseq;
    if (sseq > st.delivered.stream) st.delivered.stream = sseq;
    if (dc > 1) {
      if (this.cfg.maxDeliver > 0 && dc > this.cfg.maxDeliver) st.pending.delete(sseq);
      if ((st.redelivered.get(sseq) ?? 0) < dc - 1) st.redelivered.set(sseq, dc - 1);
    }
    this.changed("state");
  }

  updateAcks(dseq: number, sseq: number): void {
    this.checkOpen();
    assertSeq(dseq, "consumer sequence");
    assertSeq(sseq, "stream sequence");
    if (this.cfg.ackPolicy === "none") return;
    const st = this.st;
    const hadRedelivered = st.redelivered.delete(sseq);
    if (dseq <= st.ackFloor.consumer || !st.pending.has(sseq)) {
      if (hadRedelivered) this.changed("state");
      return;
    }
    if (this.cfg.ackPolicy === "all" || this.cfg.ackPolicy === "flow_control") {
      this.#ackAll(dseq, sseq);
    } else {
      this.#ackExplicit(dseq, sseq);
    }
    this.changed("state");
  }

  #ackAll(dseq: number, sseq: number): void {
    const st = this.st;
    const gap = sseq - st.ackFloor.stream;
    st.ackFloor.consumer = dseq;
    st.ackFloor.stream = sseq;
    if (gap > st.pending.size) {
      for (const seq of [...st.pending.keys()]) {
        if (seq <= sseq) {
          st.pending.delete(seq);
          st.redelivered.delete(seq);
        }
      }
    } else {
      for (let seq = sseq; seq > sseq - gap && st.pending.size > 0; seq--) {
        st.pending.delete(seq);
        st.redelivered.delete(seq);
      }
    }
  }

  #ackExplicit(dseq: number, sseq: number): void {
    const st = this.st;
    const p = st.pending.get(sseq)!;
    st.pending.delete(sseq);
    if (dseq > p.dseq && p.dseq > 0) dseq = p.dseq;
    if (st.pending.size === 0) {
      st.ackFloor.consumer = st.delivered.consumer;
      st.ackFloor.stream = st.delivered.stream;
      return;
    }
    if (dseq !== st.ackFloor.consumer + 1) return;
    st.ackFloor.consumer = dseq;
    st.ackFloor.stream = sseq;
    if (st.delivered.consumer <= dseq) return;
    const next = firstPendingAbove(st.pending, sseq, st.delivered.stream);
    if (next !== null && next.entry.dseq > 0) {
      st.ackFloor.consumer = next.entry.dseq - 1;
      st.ackFloor.stream = next.seq - 1;
    }
  }

  removeRedeliveredBelow(seq: number): void {
    this.checkOpen();
    if (seq === 0) return;
    let removed = false;
    for (const s of [...this.st.redelivered.keys()]) {
      if (s < seq) removed = this.st.redelivered.delete(s) || removed;
    }
    if (removed) this.changed("state");
  }

  update(state: ConsumerState): void {
    this.checkOpen();
    checkConsumerState(state);
    if (
      state.delivered.consumer < this.st.delivered.consumer ||
      state.ackFloor.stream < this.st.ackFloor.stream
    ) {
      throw new ConsumerStoreError("old_update");
    }
    this.st = copyConsumerState(state);
    this.changed("state");
  }

  forceUpdate(state: ConsumerState): void {
    this.checkOpen();
    checkConsumerState(state);
    this.st = copyConsumerState(state);
    this.changed("state");
  }

  state(): ConsumerState {
    return copyConsumerState(this.st);
  }

  borrowState(): Readonly<ConsumerState> {
    return this.st;
  }

  config(): ConsumerStoreConfig {
    return { ...this.cfg };
  }

  updateConfig(config: ConsumerStoreConfig): void {
    this.checkOpen();
    this.cfg = normalizeConfig(config);
    this.changed("config");
  }
}

/**
 * The pending entry with the smallest stream sequence in (above, upTo], walking whichever is
 * shorter: the sequence range or the pending map.
 */
export function firstPendingAbove(
  pending: ReadonlyMap<number, PendingEntry>,
  above: number,
  upTo: number,
): { seq: number; entry: PendingEntry } | null {
  if (upTo - above <= pending.size) {
    for (let seq = above + 1; seq <= upTo; seq++) {
      const entry = pending.get(seq);
      if (entry !== undefined) return { seq, entry };
    }
    return null;
  }
  let best: { seq: number; entry: PendingEntry } | null = null;
  for (const [seq, entry] of pending) {
    if (seq > above && seq <= upTo && (best === null || seq < best.seq)) best = { seq, entry };
  }
  return best;
}
