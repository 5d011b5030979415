/**
 * The numbers ConsumerInfo reports, computed as nats-server's infoWithSnapAndReply does:
 * delivered and ack floor come from the store once it has state (so a filtered consumer that
 * skipped ahead reports its last real delivery), num_pending is the running count clamped to
 * what the stream can still hold, and max_deliver 1 reports no redeliveries.
 * @module
 */
import type { CoreState } from "./_state.ts";
import { processWaiting } from "./pull.ts";

export interface SequenceInfo {
  consumerSeq: number;
  streamSeq: number;
  /** Unix ns of the last delivery (delivered) or ack (ack_floor); null: never. */
  lastActiveNs: bigint | null;
}

export interface PriorityGroupInfo {
  group: string;
  pinnedClientId: string;
  pinnedTsNs: bigint | null;
}

export interface CoreInfo {
  delivered: SequenceInfo;
  ackFloor: SequenceInfo;
  numAckPending: number;
  numRedelivered: number;
  numWaiting: number;
  numPending: number;
  pushBound: boolean;
  paused: boolean;
  pauseRemainingNs: bigint;
  priorityGroups: PriorityGroupInfo[];
}

/** Clamps the running num pending to what the stream can still deliver (checkNumPending). */
export function checkNumPending(s: CoreState): number {
  const fs = s.env.stream.fastState();
  const npc = s.numPending();
  if (s.sseq > fs.lastSeq) s.npc = 0;
  else if (npc > 0) s.npc = Math.min(npc, fs.msgs, fs.lastSeq - s.sseq + 1);
  return s.numPending();
}

export function coreInfo(s: CoreState, nowNs: bigint): CoreInfo {
  const numPending = checkNumPending(s);
  const dseq = Math.max(s.dseq, 1);
  const sseq = Math.max(s.sseq, 1);
  let delivered = { consumer: dseq - 1, stream: sseq - 1 };
  let ackFloor = { consumer: s.adflr, stream: s.asflr };
  const store = s.env.store;
  if (store !== null) {
    const st = store.borrowState();
    if (store.hasState()) delivered = { ...st.delivered };
    ackFloor = { ...st.ackFloor };
  }
  let numWaiting = 0;
  if (!s.isPush && s.waiting !== null) {
    processWaiting(s, false, nowNs);
    numWaiting = s.waiting.length;
  }
  const pause = s.cfg.pauseUntilNs;
  const paused = pause !== null && nowNs < pause;
  const groups: PriorityGroupInfo[] = s.cfg.priorityGroups.length === 0 ? [] : [{
    group: s.cfg.priorityGroups[0],
    pinnedClientId: s.pinId,
    pinnedTsNs: s.pinnedTsNs,
  }];
  return {
    delivered: {
      consumerSeq: delivered.consumer,
      streamSeq: delivered.stream,
      lastActiveNs: s.ldtNs,
    },
    ackFloor: { consumerSeq: ackFloor.consumer, streamSeq: ackFloor.stream, lastActiveNs: s.latNs },
    numAckPending: s.pending.size,
    numRedelivered: s.cfg.maxDeliver === 1 ? 0 : s.rdc.size,
    numWaiting,
    numPending,
    pushBound: s.isPush && s.active,
    paused,
    pauseRemainingNs: paused ? pause! - nowNs : 0n,
    priorityGroups: groups,
  };
}
