/**
 * Publish and subscribe permissions, as nats-server applies them to a client:
 * - `CompiledPermissions`: a user's lists, compiled once and shared by its connections.
 * - `ClientPermissions`: one connection's view, with its bounded decision caches, the
 *   delivery-time deny filter (Go's mperms) and the reply subjects it may answer
 *   (`allow_responses`).
 *
 * Rules (nats-server's client.go): an allow list, when present, must match; a deny list
 * overrides it. A publish allow list that is present but empty allows nothing, while an empty
 * subscribe allow list allows everything. Subscribe entries may name a queue group.
 * @module
 */
import { decode } from "../protocol/parser.ts";
import { isLiteralSubject } from "../subjects/subject.ts";
import {
  DecisionCache, DELIVERY_DECISIONS_MAX, PUBLISH_DECISIONS_MAX,
} from "./decision_cache.ts";
import { PatternList, splitSubjectQueue } from "./subject_patterns.ts";
import type {
  PermissionsConfig, ResponsePermissionConfig, SubjectPermissionConfig,
} from "./types.ts";

/** Go's replyPermLimit: tracked replies recorded before a prune is forced. */
export const REPLY_RECORDS_PER_PRUNE_MAX = 4096;
/** Go's replyPruneTime: tracked replies are pruned at most this often otherwise. */
export const REPLY_PRUNE_INTERVAL_MS = 1000;
/** Publish subjects longer than this skip the one-entry byte cache. */
const LAST_SUBJECT_BYTES_MAX = 256;

function patternList(subjects: readonly string[], allowQueue: boolean): PatternList {
  return new PatternList(subjects.map((text) => {
    const entry = splitSubjectQueue(text);
    return allowQueue ? entry : { subject: entry.subject, queue: null };
  }));
}

export class CompiledPermissions {
  /** Null: every subject may be published (subject to the deny list). */
  readonly publishAllow: PatternList | null;
  readonly publishDeny: PatternList | null;
  /** Null: every subject may be subscribed to (subject to the deny list). */
  readonly subscribeAllow: PatternList | null;
  readonly subscribeDeny: PatternList | null;
  readonly response: ResponsePermissionConfig | null;
  /** False when no publish list exists: publishing needs no check at all. */
  readonly checksPublish: boolean;

  constructor(config: PermissionsConfig) {
    const response = config.response;
    let publish: SubjectPermissionConfig | null = config.publish;
    // Go's validateResponsePermissions: response rights turn off the blanket publish allow.
    if (response !== null && (publish === null || publish.allow === null)) {
      publish = { allow: [], deny: publish?.deny ?? null };
    }
    this.publishAllow = publish?.allow != null ? patternList(publish.allow, false) : null;
    this.publishDeny = publish?.deny?.length ? patternList(publish.deny, false) : null;
    const subscribe = config.subscribe;
    this.subscribeAllow = subscribe?.allow?.length ? patternList(subscribe.allow, true) : null;
    this.subscribeDeny = subscribe?.deny?.length ? patternList(subscribe.deny, true) : null;
    this.response = response === null ? null : { ...response };
    this.checksPublish = this.publishAllow !== null || this.publishDeny !== null;
  }

  /** The static publish rule (without tracked replies). */
  publishAllowed(subject: string): boolean {
    if (this.publishAllow !== null && !this.publishAllow.hasAnyMatch(subject)) return false;
    return this.publishDeny === null || !this.publishDeny.hasAnyMatch(subject);
  }

  /** Go's canSubscribe (without arming the delivery filter). */
  subscribeAllowed(subject: string, queue: string | null): boolean {
    if (this.subscribeAllow !== null && !this.subscribeAllow.allows(subject, queue)) return false;
    return this.subscribeDeny === null || !this.subscribeDeny.denies(subject, queue);
  }

  /** The lists as nats-server reports them (user info, connz `auth`). */
  toConfig(): PermissionsConfig {
    const side = (allow: PatternList | null, deny: PatternList | null) =>
      allow === null && deny === null ? null
        : { allow: allow?.entries ?? null, deny: deny?.entries ?? null };
    return {
      publish: side(this.publishAllow, this.publishDeny),
      subscribe: side(this.subscribeAllow, this.subscribeDeny),
      response: this.response === null ? null : { ...this.response },
    };
  }
}

/** Monotonic milliseconds (the server's clock; tests pass a fake). */
export interface PermissionClock {
  nowMs(): number;
}

interface ReplyRecord {
  atMs: number;
  count: number;
}

export class ClientPermissions {
  readonly #publishCache = new DecisionCache(PUBLISH_DECISIONS_MAX);
  /** Armed by the first subscription a deny entry could overlap (Go's loadMsgDenyFilter). */
  #deliveryDenyCache: DecisionCache | null = null;
  readonly #replies: Map<string, ReplyRecord> | null;
  #repliesSincePrune = 0;
  #lastPruneMs: number;
  readonly #lastSubject = new Uint8Array(LAST_SUBJECT_BYTES_MAX);
  #lastLength = -1;
  #lastAllowed = false;

  readonly #clock: PermissionClock;

  /** The clock is read only for `allow_responses` bookkeeping. */
  constructor(readonly compiled: CompiledPermissions, clock: PermissionClock) {
    this.#clock = clock;
    this.#replies = compiled.response !== null ? new Map() : null;
    this.#lastPruneMs = this.#replies !== null ? clock.nowMs() : 0;
  }

  get checksPublish(): boolean {
    return this.compiled.checksPublish;
  }

  /** True when delivery to this connection must consult deliveryDenied or recordReply. */
  get checksDelivery(): boolean {
    return this.#deliveryDenyCache !== null || this.#replies !== null;
  }

  /** Go's pubAllowedFullCheck: the static lists, then this connection's tracked replies. */
  publishAllowed(subject: string): boolean {
    const compiled = this.compiled;
    if (!compiled.checksPublish) return true;
    const cached = this.#publishCache.get(subject);
    if (cached !== undefined) return cached;
    const allowed = compiled.publishAllowed(subject);
    if (!allowed && this.#replies !== null) return this.#responseAllowed(subject);
    this.#publishCache.set(subject, allowed);
    return allowed;
  }

  /** publishAllowed for a subject given as bytes, skipping the decode for a repeated subject. */
  publishAllowedBytes(buf: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    if (length === this.#lastLength) {
      const last = this.#lastSubject;
      let same = true;
      for (let i = 0; i < length; i++) {
        if (last[i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return this.#lastAllowed;
    }
    const subject = decode(buf, start, end);
    const allowed = this.publishAllowed(subject);
    // Only static decisions are reused; a tracked reply is consumed on every use.
    if (length <= LAST_SUBJECT_BYTES_MAX && this.#publishCache.get(subject) !== undefined) {
      this.#lastSubject.set(buf.subarray(start, end));
      this.#lastLength = length;
      this.#lastAllowed = allowed;
    }
    return allowed;
  }

  /**
   * Go's canSubscribe: checks the lists and, when a wildcard or queue subscription could
   * receive a subject a deny entry names, arms the delivery-time deny filter.
   */
  subscribeAllowed(subject: string, queue: string | null): boolean {
    const compiled = this.compiled;
    if (!compiled.subscribeAllowed(subject, queue)) return false;
    const deny = compiled.subscribeDeny;
    if (this.#deliveryDenyCache === null && deny !== null &&
      (queue !== null || !isLiteralSubject(subject)) && deny.collidesWith(subject)) {
      this.#deliveryDenyCache = new DecisionCache(DELIVERY_DECISIONS_MAX);
    }
    return true;
  }

  /** Go's checkDenySub: true when a message on `subject` must not reach this subscription. */
  deliveryDenied(subject: string, queue: string | null): boolean {
    const cache = this.#deliveryDenyCache;
    const deny = this.compiled.subscribeDeny;
    if (cache === null || deny === null) return false;
    const key = queue === null ? subject : `${subject} ${queue}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const denied = deny.denies(subject, queue);
    cache.set(key, denied);
    return denied;
  }

  /** After delivering a request: its reply subject becomes publishable (allow_responses). */
  recordReply(reply: string): void {
    const replies = this.#replies;
    if (replies === null || reply === "") return;
    if (this.publishAllowed(reply)) return;
    const nowMs = this.#clock.nowMs();
    replies.set(reply, { atMs: nowMs, count: 0 });
    this.#repliesSincePrune++;
    if (this.#repliesSincePrune > REPLY_RECORDS_PER_PRUNE_MAX ||
      nowMs - this.#lastPruneMs > REPLY_PRUNE_INTERVAL_MS) {
      this.#pruneReplies(nowMs);
    }
  }

  /** Tracked replies now (for tests and monitoring). */
  get trackedReplyCount(): number {
    return this.#replies?.size ?? 0;
  }

  #responseAllowed(subject: string): boolean {
    const record = this.#replies?.get(subject);
    const limits = this.compiled.response;
    if (record === undefined || limits === null) return false;
    record.count++;
    if (limits.maxMsgs > 0 && record.count > limits.maxMsgs) {
      this.#replies!.delete(subject);
      return false;
    }
    if (limits.expiresMs > 0 && this.#clock.nowMs() - record.atMs > limits.expiresMs) {
      this.#replies!.delete(subject);
      return false;
    }
    return true;
  }

  #pruneReplies(nowMs: number): void {
    const limits = this.compiled.response!;
    for (const [reply, record] of this.#replies!) {
      const used = limits.maxMsgs > 0 && record.count >= limits.maxMsgs;
      const expired = limits.expiresMs > 0 && nowMs - record.atMs > limits.expiresMs;
      if (used || expired) this.#replies!.delete(reply);
    }
    this.#repliesSincePrune = 0;
    this.#lastPruneMs = nowMs;
  }
}
