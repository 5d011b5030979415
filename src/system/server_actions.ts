/**
 * The system account's remaining services, as pure functions over small views of the server:
 * PROFILEZ (natsd has no Go pprof, so every profile answers Go's error shape with the reason),
 * EXPVARZ (the /debug/vars document), RELOAD, KICK and LDM by client id, and the subscriber
 * counts of `$SYS.DEBUG.SUBSCRIBERS` and `$SYS.REQ.ACCOUNT.NSUBS`.
 * @module
 */
import { goDuration } from "../monitor/go_format.ts";
import { goMemstats } from "../monitor/process_usage.ts";
import type { GoJsonValue } from "../monitor/go_json.ts";
import { isLiteralSubject, subjectIsSubsetOf } from "../subjects/subject.ts";
import { ClosedReason } from "../protocol/errors.ts";

/** Go's CPU profile limit for PROFILEZ (15 s). */
export const PROFILE_CPU_DURATION_NS_MAX = 15_000_000_000;

/** Profiles Go's runtime/pprof knows; any other name is "not found" there too. */
const GO_PROFILES = new Set(["goroutine", "threadcreate", "heap", "allocs", "block", "mutex"]);

const NO_PPROF = "pprof profiles are not available in natsd (Bun runtime)";

/** Go's ProfilezStatus: `profile` (base64 bytes, null when none) and `error`. */
export function profilezData(o: Record<string, unknown>): GoJsonValue {
  const name = typeof o.name === "string" ? o.name : "";
  const fail = (error: string): GoJsonValue => ({ profile: null, error });
  if (name === "") return fail("Profile name not specified");
  if (name === "cpu") {
    const ns = typeof o.duration === "number" ? o.duration : 0;
    if (ns <= 0 || ns > PROFILE_CPU_DURATION_NS_MAX) {
      return fail(`Duration ${goDuration(ns)} should be between 0s and 15s`);
    }
    return fail(`Failed to start CPU profile: ${NO_PPROF}`);
  }
  if (!GO_PROFILES.has(name)) return fail(`Profile "${name}" not found`);
  return fail(`Profile "${name}" error: ${NO_PPROF}`);
}

/**
 * Go's ExpvarzStatus (`memstats`, then `cmdline`): the Bun process's memory under the nearest
 * Go MemStats names, and the command line.
 */
export function expvarzData(): GoJsonValue {
  return { memstats: goMemstats(), cmdline: [...process.argv] };
}

/** What KICK and LDM need of a client connection. */
export interface ActionClient {
  readonly connect: { readonly protocol: number };
  readonly connectReceived: boolean;
  close(reason: ClosedReason): void;
  sendProtocol(text: string): void;
}

/** Go's closed reason for a kicked connection. */
export const KICKED_REASON = ClosedReason.kicked;

/** Go's DisconnectClientByID; throws Go's error text when there is no such client. */
export function kickClient(clients: ReadonlyMap<number, unknown>, cid: number): void {
  const client = clients.get(cid) as ActionClient | undefined;
  if (client === undefined) throw new Error("no such client or leafnode id");
  client.close(KICKED_REASON);
}

/**
 * Go's LDMClientByID: one client gets the lame duck INFO (`ldm: true`) so it reconnects
 * elsewhere; `info` builds its INFO line. natsd tells a client that has sent CONNECT with
 * protocol 1 (Go waits for the first PONG, which follows CONNECT's PING at once).
 */
export function ldmClient(clients: ReadonlyMap<number, unknown>, cid: number,
  info: (client: ActionClient) => string): void {
  const client = clients.get(cid) as ActionClient | undefined;
  if (client === undefined) throw new Error("no such client id");
  if (client.connect.protocol < 1 || !client.connectReceived) {
    throw new Error(
      "client does not support Lame Duck Mode or is not ready to receive the notification");
  }
  client.sendProtocol(info(client));
}

/** The cid from a KICK/LDM body (`{"cid": n}`); null for a body Go cannot decode. */
export function cidOf(body: Uint8Array): number | null {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(body));
    if (parsed === null || typeof parsed !== "object") return null;
    const cid = (parsed as { cid?: unknown }).cid;
    if (cid === undefined) return 0;
    return typeof cid === "number" && Number.isInteger(cid) && cid >= 0 ? cid : null;
  } catch {
    return null;
  }
}

/** What subscriber counting reads of an account's subscriptions. */
interface CountedSub {
  readonly subject: string;
  readonly queue: string | null;
  /** Set for the server's own subscriptions, which Go leaves out (not CLIENT kind). */
  readonly internalHandler: unknown;
}

export interface CountedSublist {
  match(subject: string):
    { psubs: readonly CountedSub[]; qsubs: readonly (readonly CountedSub[])[] };
  all(): readonly CountedSub[];
}

/**
 * Go's subscriber count for `subject` (literal: the subscriptions a message would reach;
 * wildcard: those whose subject is a subset of it), optionally only queue group `queue`.
 * Only client subscriptions count.
 */
export function countSubscribers(sublist: CountedSublist, subject: string,
  queue: string | null): number {
  const counted = (s: CountedSub) => s.internalHandler === null &&
    (queue === null || s.queue === queue);
  if (isLiteralSubject(subject)) {
    const result = sublist.match(subject);
    let n = queue === null ? result.psubs.filter(counted).length : 0;
    for (const group of result.qsubs) n += group.filter(counted).length;
    return n;
  }
  return sublist.all().filter((s) => counted(s) && subjectIsSubsetOf(s.subject, subject))
    .length;
}

/** `$SYS.DEBUG.SUBSCRIBERS` body: "<subject>[ <queue>]". */
export function parseSubscribersQuery(body: Uint8Array):
  { subject: string; queue: string | null } {
  const args = new TextDecoder().decode(body).trim().split(" ");
  return { subject: args[0] ?? "", queue: args.length > 1 ? args[1] : null };
}

/** Go's accNumSubsReq (`queue` is base64, as Go encodes []byte); null when undecodable. */
export function parseNsubsRequest(body: Uint8Array):
  { account: string; subject: string; queue: string | null } | null {
  if (body.length === 0) return null;
  try {
    const o = JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown>;
    if (o === null || typeof o !== "object") return null;
    const queue = typeof o.queue === "string" && o.queue !== ""
      ? Buffer.from(o.queue, "base64").toString("latin1") : null;
    return {
      account: typeof o.acc === "string" ? o.acc : "",
      subject: typeof o.subject === "string" ? o.subject : "",
      queue,
    };
  } catch {
    return null;
  }
}
