/**
 * Delivers a consumer's message the way nats-server does: routed by the delivery subject (the push
 * deliver subject or the pull request's reply) but showing the message's own stream subject, so
 * a subscriber on an inbox sees `MSG orders.new <sid> $JS.ACK...`. The account's delivery path
 * (src/server/delivery.ts) routes and shows one subject, so this does its own match and hands the
 * message to each receiver through the same MessageSink interface.
 * @module
 */
import type { Account } from "../../accounts/account.ts";
import type { Subscription } from "../../client/subscription.ts";
import { PubArgs } from "../../protocol/parser.ts";
import type { MessageSink } from "../../server/delivery.ts";
import { utf8Length } from "../store/mod.ts";

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

export interface OutboundMsg {
  /** Where it goes (routing). */
  to: string;
  /** What the receiver sees as its subject. */
  subject: string;
  reply: string;
  /** A complete header block, or empty. */
  hdr: Uint8Array;
  payload: Uint8Array;
}

function pubArgs(subject: string, reply: string, headerBytes: number, total: number): PubArgs {
  const args = new PubArgs();
  // One encode for both: subjects are mostly ASCII, where the split is the string length.
  const argBuf = encoder.encode(subject + reply);
  const subjectBytes = utf8Length(subject);
  args.argBuf = argBuf;
  args.subjectStart = 0;
  args.subjectEnd = subjectBytes;
  args.replyStart = subjectBytes;
  args.replyEnd = argBuf.length;
  args.headerBytes = headerBytes > 0 ? headerBytes : -1;
  args.totalBytes = total;
  return args;
}

/** Picks one member of a queue group at random, falling through to the next on refusal. */
function deliverToGroup(
  group: Subscription<MessageSink>[],
  args: PubArgs,
  body: Uint8Array,
  random: () => number,
): boolean {
  const first = group.length === 1 ? 0 : Math.floor(random() * group.length);
  for (let n = 0; n < group.length; n++) {
    const sub = group[(first + n) % group.length];
    if (sub.owner.deliver(sub, args, body, 0, body.length)) return true;
  }
  return false;
}

/** Delivers msg in account; true when at least one subscription took it. */
export function deliverAs(
  account: Account,
  msg: OutboundMsg,
  random: () => number = Math.random,
): boolean {
  const result = account.sublist.match(msg.to);
  if (result.psubs.length === 0 && result.qsubs.length === 0) return false;
  let body = msg.payload;
  if (msg.hdr.length > 0) {
    body = new Uint8Array(msg.hdr.length + msg.payload.length);
    body.set(msg.hdr);
    body.set(msg.payload, msg.hdr.length);
  } else if (body.length === 0) {
    body = EMPTY;
  }
  const args = pubArgs(msg.subject, msg.reply, msg.hdr.length, body.length);
  // Stream imports route a forwarded delivery by where it went, not by what it shows.
  (args as PubArgs & { deliverTo?: string }).deliverTo = msg.to;
  let delivered = false;
  for (const sub of result.psubs as unknown as Subscription<MessageSink>[]) {
    if (sub.owner.deliver(sub, args, body, 0, body.length)) delivered = true;
  }
  for (const group of result.qsubs as unknown as Subscription<MessageSink>[][]) {
    if (deliverToGroup(group, args, body, random)) delivered = true;
  }
  return delivered;
}

/** True when a message published to subject would reach someone in account. */
export function hasInterest(account: Account, subject: string): boolean {
  const result = account.sublist.match(subject);
  return result.psubs.length > 0 || result.qsubs.length > 0;
}
