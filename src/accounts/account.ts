/**
 * An account: an isolated subject namespace. Every connection is bound to one; messages are
 * matched only against the subscriptions of the publisher's account. Imports, exports and
 * limits arrive with the security issue.
 * @module
 */
import { Sublist } from "../subjects/sublist.ts";
import type { Subscription } from "../client/subscription.ts";

/** The account clients join when no accounts are configured. */
export const GLOBAL_ACCOUNT_NAME = "$G";
/** The system account's default name. */
export const SYSTEM_ACCOUNT_NAME = "$SYS";

export class Account {
  readonly sublist: Sublist<Subscription>;
  /** Connections currently bound to this account. */
  clientCount = 0;

  constructor(readonly name: string, options: { sublistCacheEnabled?: boolean } = {}) {
    this.sublist = new Sublist<Subscription>({ cacheEnabled: options.sublistCacheEnabled ?? true });
  }
}
