/**
 * A subscription: interest of one connection (or one internal service) in a subject, with an
 * optional queue group and an optional auto-unsubscribe limit.
 * @module
 */
import type { SubjectSubscription } from "../subjects/sublist.ts";

/** Receives messages for internal subscriptions (system services, JetStream later). */
export type InternalMessageHandler = (
  subject: string, reply: string, headers: Uint8Array | null, payload: Uint8Array,
) => void;

/** The connection side a subscription delivers to. */
export interface SubscriptionOwner {
  readonly cid: number;
}

const encoder = new TextEncoder();

export class Subscription<Owner extends SubscriptionOwner = SubscriptionOwner>
  implements SubjectSubscription {
  /** Messages delivered so far. */
  delivered = 0;
  /** Auto-unsubscribe after this many messages; 0 = no limit. */
  maxMsgs = 0;
  /** " <sid> " as bytes: written after the subject of every MSG for this subscription. */
  readonly sidField: Uint8Array;

  constructor(
    readonly owner: Owner,
    readonly subject: string,
    readonly queue: string | null,
    readonly sid: string,
    readonly internalHandler: InternalMessageHandler | null = null,
  ) {
    this.sidField = encoder.encode(` ${sid} `);
  }
}
