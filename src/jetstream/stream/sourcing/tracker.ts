/**
 * Where a mirror or source stands against its origin, and what to do with each delivery of the
 * internal consumer (nats-server stream.go: processInboundMirrorMsg, processInboundSourceMsg).
 * Pure: the follower feeds it the numbers of each `$JS.ACK` reply and acts on the verdict.
 * @module
 */
import type { AckReplyInfo } from "../../consumer/core/ack_subject.ts";

/** What to do with one delivery. */
export type Verdict =
  /** Store it (a mirror first skips origin sequences `skipFrom..seq-1` when skipFrom < seq). */
  | { kind: "store"; skipFrom: number }
  /** Already have it (a redelivery or an older consumer's message). */
  | { kind: "ignore" }
  /** Deliveries went missing: drop the consumer and start again after `sseq`. */
  | { kind: "retry" };

const STORE: Verdict = { kind: "store", skipFrom: 0 };
const IGNORE: Verdict = { kind: "ignore" };
const RETRY: Verdict = { kind: "retry" };

export class SyncTracker {
  /** The last origin sequence stored (or skipped past). */
  sseq: number;
  /** The last delivery sequence of the current consumer. */
  dseq = 0;
  /** Messages the origin still had for us after the last delivery. */
  lag = 0;
  /** True once the current consumer delivered something. */
  started = false;

  constructor(readonly mirror: boolean, sseq: number) {
    this.sseq = sseq;
  }

  /** A new consumer starts delivering after `sseq`. */
  restart(sseq: number): void {
    this.sseq = sseq;
    this.dseq = 0;
    this.started = false;
  }

  /** The verdict on one delivery; updates the position when the message is to be stored. */
  onDelivery(info: AckReplyInfo): Verdict {
    if (info.delivered > 1) return IGNORE;
    if (info.streamSeq <= this.sseq) {
      if (info.consumerSeq === this.dseq + 1) this.dseq++;
      return IGNORE;
    }
    const verdict = this.mirror ? this.#mirrorStep(info) : this.#sourceStep(info);
    if (verdict.kind === "store") this.lag = info.pending === 0 ? 0 : info.pending - 1;
    return verdict;
  }

  /** A mirror keeps the origin's sequences: gaps are origin deletions when no delivery is lost. */
  #mirrorStep(info: AckReplyInfo): Verdict {
    if (info.consumerSeq !== this.dseq + 1) return RETRY;
    const skipFrom = info.streamSeq > this.sseq + 1 ? this.sseq + 1 : 0;
    this.dseq = info.consumerSeq;
    this.sseq = info.streamSeq;
    this.started = true;
    return skipFrom === 0 ? STORE : { kind: "store", skipFrom };
  }

  #sourceStep(info: AckReplyInfo): Verdict {
    if (info.consumerSeq === this.dseq + 1 || (!this.started && info.consumerSeq > this.dseq)) {
      this.dseq = info.consumerSeq;
      this.sseq = info.streamSeq;
      this.started = true;
      return STORE;
    }
    return info.consumerSeq > this.dseq ? RETRY : IGNORE;
  }

  /** Undoes the last step after the store refused the message. */
  rollback(sseq: number, dseq: number): void {
    this.sseq = sseq;
    this.dseq = dseq;
  }

  /**
   * An idle heartbeat names the consumer's last delivery: a different one means messages were
   * lost on the way.
   */
  heartbeatMissedDeliveries(lastConsumerSeq: number): boolean {
    return lastConsumerSeq > 0 && lastConsumerSeq !== this.dseq;
  }
}
