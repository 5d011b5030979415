/**
 * The delivery loop: pick the next message (redeliveries first, then the skip list of
 * last_per_subject, then the stream), pick who gets it (the push subject or a waiting pull
 * request), honour replay original and the rate limit, and account for it (nats-server
 * consumer.go loopAndGatherMsgs, getNextMsg, deliverMsg, needFlowControl).
 * @module
 */
import { StoreError, type StoredMsg, utf8Length } from "../../store/mod.ts";
import { getHeader } from "../../../accounts/headers.ts";
import { moveAckFloor, processAckMsg, processTerm } from "./acks.ts";
import { type CoreState, type HeldMsg, NS_PER_MS, TERM_REASON_UNACKED_DELETED } from "./_state.ts";
import { nextWaiting, processWaiting } from "./pull.ts";
import { trackPending } from "./redelivery.ts";
import {
  batchCompleted,
  headersOnly,
  LAST_CONSUMER_HEADER,
  LAST_STREAM_HEADER,
  PIN_ID_HEADER,
  STATUS_FLOW_CONTROL,
  withHeader,
} from "./status.ts";

/** Why the loop stopped looking for a message. */
type NoMsg = "eof" | "max_ack_pending" | "gone" | "error" | "idle";

type Next = { msg: StoredMsg; dc: number } | { none: NoMsg };

const EMPTY = new Uint8Array(0);
/** Replay original waits only for gaps longer than this. */
const REPLAY_GAP_NS_MIN = NS_PER_MS;

function loadOrNull(s: CoreState, seq: number): StoredMsg | NoMsg {
  try {
    return s.env.stream.loadMsg(seq);
  } catch (e) {
    if (e instanceof StoreError && (e.code === "not_found" || e.code === "deleted")) return "gone";
    if (e instanceof StoreError && e.code === "eof") return "eof";
    return "error";
  }
}

/** The next message to redeliver, skipping those past max_deliver or gone (getNextMsg). */
function nextRedelivery(s: CoreState, nowNs: bigint): Next | null {
  for (let seq = s.nextToRedeliver(); seq > 0; seq = s.nextToRedeliver()) {
    const dc = s.incDeliveryCount(seq);
    if (s.maxdc > 0 && dc > s.maxdc) {
      if (dc === s.maxdc + 1) {
        s.event({ type: "max_deliver", streamSeq: seq, deliveries: dc - 1 }, nowNs);
      }
      const p = s.pending.get(seq);
      if (p !== undefined) {
        s.pending.delete(seq);
        s.updateDelivered(p.dseq, seq, dc, p.tsNs, nowNs);
        moveAckFloor(s, p.dseq, seq);
      }
      continue;
    }
    const msg = loadOrNull(s, seq);
    if (typeof msg !== "string") return { msg, dc };
    s.decDeliveryCount(seq);
    if (msg !== "gone") return { none: msg };
    // Removed while queued for redelivery: settle it as the stream removal would have.
    const p = s.pending.get(seq);
    if (p !== undefined) {
      processTerm(s, { sseq: seq, dseq: p.dseq, dc: dc - 1 }, TERM_REASON_UNACKED_DELETED, nowNs);
    }
  }
  return null;
}

function nextFromSkipList(s: CoreState): Next {
  const lss = s.lss!;
  const seq = lss.seqs[lss.index];
  if (lss.index === lss.seqs.length - 1) {
    s.sseq = lss.resume;
    s.lss = null;
  } else {
    lss.index++;
    s.sseq = seq;
  }
  s.sseq++;
  const msg = loadOrNull(s, seq);
  return typeof msg === "string" ? { none: msg } : { msg, dc: 1 };
}

/** getNextMsg: what to deliver next, or why nothing. */
export function getNextMsg(s: CoreState, nowNs: bigint): Next {
  if (s.rdq.length > 0) {
    const redelivery = nextRedelivery(s, nowNs);
    if (redelivery !== null) return redelivery;
  }
  if (s.maxp > 0 && s.pending.size >= s.maxp) return { none: "max_ack_pending" };
  if (s.lss !== null && s.lss.index < s.lss.seqs.length) return nextFromSkipList(s);
  const filters = s.cfg.filters;
  const stream = s.env.stream;
  const msg = filters.length > 1
    ? stream.loadNextMsgMulti(filters, s.sseq)
    : stream.loadNextMsg(filters.length === 1 ? filters[0] : ">", s.sseq);
  if (msg !== null) {
    if (msg.seq >= s.sseq) s.sseq = msg.seq + 1;
    return { msg, dc: 1 };
  }
  // Nothing matches up to the end: skip ahead past the last message.
  const last = stream.fastState().lastSeq;
  if (last >= s.sseq) s.sseq = last + 1;
  return { none: "eof" };
}

/** What is left of a pull request after a delivery, for the 409 Batch Completed status. */
interface Target {
  to: string;
  wrn: number;
  wrb: number;
}

/** Puts a message back when no request can take it now. */
function putBack(s: CoreState, msg: StoredMsg, dc: number): void {
  if (dc === 1 && msg.seq === s.sseq - 1) {
    s.sseq--;
    s.npc++;
  } else if (!s.onRedeliverQueue(msg.seq)) {
    s.decDeliveryCount(msg.seq);
    s.addToRedeliverQueue([msg.seq]);
  }
}

function pickTarget(s: CoreState, held: HeldMsg, nowNs: bigint): Target | null {
  if (s.isPush) return { to: s.cfg.deliverSubject, wrn: 0, wrb: 0 };
  const wr = nextWaiting(s, held.size, nowNs);
  if (wr === null) return null;
  if (s.cfg.priorityPolicy === "pinned_client") {
    held.hdr = withHeader(held.hdr, PIN_ID_HEADER, s.pinId);
    held.size = messageSize(held.msg.subject, held.reply, held.hdr, held.payload);
  }
  if (wr.n > 0 && wr.heartbeatNs > 0n) wr.heartbeatAtNs = nowNs + wr.heartbeatNs;
  return { to: wr.reply, wrn: wr.n, wrb: wr.b };
}

function messageSize(subject: string, reply: string, hdr: Uint8Array, payload: Uint8Array) {
  return utf8Length(subject) + reply.length + hdr.length + payload.length;
}

/** Prepares a message for delivery: reply subject, headers_only, size. */
function prepare(s: CoreState, msg: StoredMsg, dc: number): HeldMsg {
  const reply = s.env.ackSubjects.reply(dc, msg.seq, s.dseq, msg.ts, s.numPending());
  const hdr = s.cfg.headersOnly ? headersOnly(msg.hdr, msg.payload.length) : msg.hdr;
  const payload = s.cfg.headersOnly ? EMPTY : msg.payload;
  return {
    msg,
    dc,
    to: "",
    reply,
    hdr,
    payload,
    size: messageSize(msg.subject, reply, hdr, payload),
    wrn: 0,
    wrb: 0,
    readyAtNs: 0n,
    rateChecked: false,
  };
}

export type Step = "sent" | "held" | NoMsg;

/** One turn of the loop: delivers one message, holds one, or says why it cannot. */
export function deliverOne(s: CoreState, nowNs: bigint): Step {
  if (s.held !== null) return releaseHeld(s, nowNs);
  const pause = s.cfg.pauseUntilNs;
  if (pause !== null && nowNs < pause) return "idle";
  if (s.isPush) {
    if (!s.active || (s.maxpb > 0 && s.pbytes > s.maxpb)) return "idle";
  } else if (s.waiting === null || s.waiting.isEmpty()) {
    return "idle";
  }
  const next = getNextMsg(s, nowNs);
  if ("none" in next) {
    if (next.none === "eof") checkNumPendingOnEof(s);
    return next.none;
  }
  if (next.dc === 1) s.npc--;
  const held = prepare(s, next.msg, next.dc);
  const target = pickTarget(s, held, nowNs);
  if (target === null) {
    putBack(s, next.msg, next.dc);
    return "idle";
  }
  held.to = target.to;
  held.wrn = target.wrn;
  held.wrb = target.wrb;
  if (s.replay && s.ltsNs > 0n) {
    const gap = next.msg.ts - s.ltsNs;
    if (gap > REPLAY_GAP_NS_MIN) {
      s.ltsNs = next.msg.ts;
      held.readyAtNs = nowNs + gap;
      s.held = held;
      return "held";
    }
  }
  s.ltsNs = next.msg.ts;
  return sendOrThrottle(s, held, nowNs);
}

function releaseHeld(s: CoreState, nowNs: bigint): Step {
  const held = s.held!;
  if (nowNs < held.readyAtNs) return "held";
  s.held = null;
  return sendOrThrottle(s, held, nowNs);
}

function sendOrThrottle(s: CoreState, held: HeldMsg, nowNs: bigint): Step {
  if (s.limiter !== null && !held.rateChecked) {
    held.rateChecked = true;
    const waitNs = s.limiter.reserve(nowNs, held.size);
    if (waitNs > 0n) {
      held.readyAtNs = nowNs + waitNs;
      s.held = held;
      return "held";
    }
  }
  deliverMsg(s, held, nowNs);
  if (held.wrn <= 0 && held.wrb > 0) {
    s.emit({
      kind: "status",
      to: held.to,
      reply: "",
      hdr: batchCompleted({ msgs: held.wrn, bytes: held.wrb }),
    });
  }
  if (s.hbAtNs !== null) s.hbAtNs = nowNs + s.cfg.idleHeartbeatNs;
  return "sent";
}

/** Accounts for and emits one delivery (deliverMsg). */
function deliverMsg(s: CoreState, held: HeldMsg, nowNs: bigint): void {
  const { msg, dc } = held;
  const dseq = s.dseq++;
  // Only flow control counts these bytes.
  let psz = 0;
  if (s.maxpb > 0) {
    psz = utf8Length(held.to) + held.reply.length + held.hdr.length + held.payload.length;
    s.pbytes += psz;
  }
  s.updateDelivered(dseq, msg.seq, dc, msg.ts, nowNs);
  if (s.ackNone) {
    s.adflr = dseq;
    s.asflr = msg.seq;
  } else {
    trackPending(s, msg.seq, dseq, nowNs);
  }
  s.emit({
    kind: "msg",
    to: held.to,
    subject: msg.subject,
    reply: held.reply,
    hdr: held.hdr,
    payload: held.payload,
    streamSeq: msg.seq,
    consumerSeq: dseq,
    deliveries: dc,
  });
  if (s.maxpb > 0 && needFlowControl(s, psz)) sendFlowControl(s);
  if (!s.isPush && s.dthreshNs > 0n) s.waiting!.lastNs = nowNs;
  if (s.ackNone && s.env.retention !== "limits") {
    s.emit({ kind: "stream_ack", streamSeq: msg.seq });
  }
}

function needFlowControl(s: CoreState, size: number): boolean {
  if (s.fcid === "" && s.pbytes > Math.floor(s.maxpb / 2)) return true;
  // Acks come only with flow control replies: ask for one once max_ack_pending is reached.
  if (s.fcid === "" && s.cfg.ackFlowControl === true && s.maxp > 0 &&
    s.pending.size >= s.maxp) {
    return true;
  }
  // Grow the window an outstanding request accounts for.
  if (s.fcid !== "" && s.pbytes - s.fcsz >= s.maxpb) s.fcsz += size;
  return false;
}

/** 100 FlowControl Request, answered on a $JS.FC reply (sendFlowControl). */
export function sendFlowControl(s: CoreState): void {
  if (!s.isPush) return;
  const reply = s.env.ackSubjects.flowControlReply(() => s.env.random());
  s.fcsz = s.pbytes;
  s.fcid = reply;
  s.emit({ kind: "status", to: s.cfg.deliverSubject, reply, hdr: STATUS_FLOW_CONTROL });
}

/**
 * A flow control reply arrived on subject (processFlowControl). With ack_policy flow_control
 * its Nats-Last-Consumer / Nats-Last-Stream headers ack everything up to them.
 */
export function processFlowControl(s: CoreState, subject: string, hdr: Uint8Array | null,
  nowNs: bigint): void {
  if (subject !== s.fcid) return;
  if (s.maxpb < s.pblimit) s.maxpb = Math.min(s.maxpb * 2, s.pblimit);
  s.pbytes = Math.max(s.pbytes - s.fcsz, 0);
  s.fcid = "";
  s.fcsz = 0;
  s.signal();
  if (s.cfg.ackFlowControl !== true || hdr === null) return;
  const sseq = headerNumber(hdr, LAST_STREAM_HEADER);
  if (sseq <= 0) return;
  // A reply without deliveries (after a restart) may carry only the stream sequence.
  const dseq = Math.max(headerNumber(hdr, LAST_CONSUMER_HEADER), 0);
  processAckMsg(s, { sseq, dseq, dc: 1 }, false, nowNs);
}

/** A decimal header value, or -1 when missing or not a safe decimal integer. */
function headerNumber(hdr: Uint8Array, key: string): number {
  const text = getHeader(hdr, key);
  if (text === null || !/^[0-9]{1,15}$/.test(text.trim())) return -1;
  return Number(text.trim());
}

function checkNumPendingOnEof(s: CoreState): void {
  const last = s.env.stream.fastState().lastSeq;
  if (s.sseq > last && s.npc !== 0) {
    s.npc = 0;
    s.npf = last;
  }
}

/** The loop went idle (waitForMsgs): end replay once caught up, sweep pull requests. */
export function idle(s: CoreState, why: NoMsg, nowNs: bigint): void {
  if (s.replay && s.sseq > s.lseq) s.replay = false;
  if (!s.isPush) processWaiting(s, why !== "max_ack_pending", nowNs);
}
