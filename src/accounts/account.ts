/**
 * An account: an isolated subject namespace. Every connection is bound to one; messages are
 * matched only against the subscriptions of the publisher's account. Exports and imports
 * (links.ts, import_sinks.ts) and subject mappings (mappings.ts) connect accounts; limits
 * bound their connections, subscriptions and payloads.
 * @module
 */
import { Sublist } from "../subjects/sublist.ts";
import type { Subscription } from "../client/subscription.ts";
import { AccountLinks } from "./links.ts";
import type { SubjectMapper } from "./mappings.ts";
import { type AccountLimitsConfig, NO_LIMIT, unlimited } from "./types.ts";

/** The account clients join when no accounts are configured. */
export const GLOBAL_ACCOUNT_NAME = "$G";
/** The system account's default name. */
export const SYSTEM_ACCOUNT_NAME = "$SYS";

export class Account {
  readonly sublist: Sublist<Subscription>;
  /** Connections currently bound to this account. */
  clientCount = 0;
  /** Null: no subject mappings (publishes in this account pay one null check). */
  mappings: SubjectMapper | null = null;
  limits: AccountLimitsConfig = unlimited();
  /** Exports offered and imports taken (data; import_sinks.ts forwards messages). */
  links: AccountLinks;

  constructor(readonly name: string, options: { sublistCacheEnabled?: boolean } = {}) {
    this.sublist = new Sublist<Subscription>({ cacheEnabled: options.sublistCacheEnabled ?? true });
    this.links = new AccountLinks(name);
  }

  /** Go's MaxTotalConnectionsReached, for one more client connection. */
  get connectionsFull(): boolean {
    const max = this.limits.maxConnections;
    return max !== NO_LIMIT && this.clientCount >= max;
  }
}
