/**
 * Everything that happens because time passed: the pending (ack wait) check, pull request
 * expiry and heartbeats, push idle heartbeats, the end of a pause, a pinned client's TTL, the
 * inactivity threshold, and the periodic ack floor check. Also push interest changes, which
 * start and stop the inactivity countdown (nats-server consumer.go updateDeliveryInterest,
 * deleteNotActive).
 * @module
 */
import type { CoreState } from "./_state.ts";
import { NS_PER_SECOND } from "./_state.ts";
import { processWaiting, sendHeartbeat, unassignPin } from "./pull.ts";
import { sendFlowControl } from "./delivery.ts";
import { checkAckFloor, checkPending } from "./redelivery.ts";

/** How often the ack floor is checked against the stream's first sequence. */
export const ACK_FLOOR_CHECK_NS = 60n * NS_PER_SECOND;

/** The earliest time something is due, or null when nothing is. */
export function nextDeadline(s: CoreState): bigint | null {
  if (s.closed) return null;
  let at: bigint | null = null;
  const consider = (t: bigint | null) => {
    if (t !== null && (at === null || t < at)) at = t;
  };
  consider(s.ptmrEndNs);
  consider(s.waitAtNs);
  consider(s.hbAtNs);
  consider(s.held?.readyAtNs ?? null);
  consider(s.pauseEndNs);
  consider(s.pinExpiresAtNs);
  consider(s.deleteAtNs);
  consider(s.ackFloorCheckAtNs);
  return at;
}

/** Runs whatever is due at nowNs. */
export function runTimers(s: CoreState, nowNs: bigint): void {
  if (s.closed) return;
  if (s.pauseEndNs !== null && nowNs >= s.pauseEndNs) {
    s.pauseEndNs = null;
    s.event({ type: "paused", paused: false, pauseUntilNs: s.cfg.pauseUntilNs }, nowNs);
    s.signal();
  }
  if (s.ptmrEndNs !== null && nowNs >= s.ptmrEndNs) checkPending(s, nowNs);
  if (s.pinExpiresAtNs !== null && nowNs >= s.pinExpiresAtNs) {
    s.pinExpiresAtNs = null;
    if (s.pinId !== "") {
      unassignPin(s);
      s.event({ type: "unpinned", group: s.cfg.priorityGroups[0] ?? "", reason: "timeout" }, nowNs);
      s.signal();
    }
  }
  if (s.waitAtNs !== null && nowNs >= s.waitAtNs) processWaiting(s, true, nowNs);
  if (s.hbAtNs !== null && nowNs >= s.hbAtNs) {
    if (s.active) {
      sendHeartbeat(s, s.cfg.deliverSubject);
      // With flow control acks, an idle consumer with unacked messages asks for its acks.
      if (s.cfg.ackFlowControl === true && s.pending.size > 0 && s.fcid === "") {
        sendFlowControl(s);
      }
    }
    s.hbAtNs = nowNs + s.cfg.idleHeartbeatNs;
  }
  if (s.held !== null && nowNs >= s.held.readyAtNs) s.signal();
  if (s.ackFloorCheckAtNs !== null && nowNs >= s.ackFloorCheckAtNs) {
    checkAckFloor(s, nowNs);
    s.ackFloorCheckAtNs = nowNs + ACK_FLOOR_CHECK_NS;
  }
  if (s.deleteAtNs !== null && nowNs >= s.deleteAtNs) deleteNotActive(s, nowNs);
}

/** The push deliver subject gained or lost its last subscriber (updateDeliveryInterest). */
export function setInterest(s: CoreState, interest: boolean, nowNs: bigint): void {
  if (s.closed || !s.isPush) return;
  if (interest && !s.active) s.signal();
  s.active = interest;
  // An inactivity countdown already running keeps running while interest stays away.
  if (s.deleteAtNs !== null && s.dthreshNs > 0n && !interest) return;
  s.deleteAtNs = null;
  if (!interest && s.dthreshNs > 0n) s.deleteAtNs = nowNs + s.dthreshNs;
}

/**
 * The inactivity countdown ran out: delete unless the consumer turns out to be in use, waiting
 * requests included, and unless unacked deliveries could still be acked (deleteNotActive).
 */
function deleteNotActive(s: CoreState, nowNs: bigint): void {
  s.deleteAtNs = null;
  if (s.isPush) {
    if (s.active) return;
  } else {
    const waiting = s.waiting!;
    const elapsed = nowNs - waiting.lastNs;
    if (elapsed < s.dthreshNs) {
      s.deleteAtNs = waiting.lastNs + s.dthreshNs;
      return;
    }
    processWaiting(s, true, nowNs);
    if (waiting.length > 0) {
      s.deleteAtNs = nowNs + s.dthreshNs;
      return;
    }
    let delay = 0n;
    for (const [seq, p] of s.pending) {
      const until = p.tsNs + s.ackWaitFor(seq) + s.dthreshNs;
      if (until > nowNs && until - nowNs > delay) delay = until - nowNs;
    }
    if (delay > 0n) {
      s.deleteAtNs = nowNs + delay;
      return;
    }
  }
  s.emit({ kind: "inactive" });
}
