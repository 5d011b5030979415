/**
 * JetStream for operator-mode accounts: an account JWT whose limits give memory or disk
 * storage (or tiered limits) has JetStream, with those limits, as nats-server's
 * updateAccountClaimsWithRefresh sets `jsLimits`. natsd runs one server, so of tiered limits
 * the R1 tier applies. Accounts load on first use, so JetStream is enabled as they load, and
 * a claims update changes the limits of an enabled account in place.
 * @module
 */
import type { Account } from "../../accounts/account.ts";
import type { AccountLimits, JetStream } from "../../jetstream/mod.ts";
import type { AccountClaims } from "./claims.ts";

type Tier = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
/** Go's toUnlimited: zero or less is unlimited. */
const positiveOrUnlimited = (v: unknown): number => (num(v) > 0 ? num(v) : -1);

function limitsOfTier(tier: Tier): AccountLimits {
  return {
    max_memory: num(tier.mem_storage), max_storage: num(tier.disk_storage),
    max_streams: num(tier.streams), max_consumers: num(tier.consumer),
    max_ack_pending: positiveOrUnlimited(tier.max_ack_pending),
    memory_max_stream_bytes: positiveOrUnlimited(tier.mem_max_stream_bytes),
    storage_max_stream_bytes: positiveOrUnlimited(tier.disk_max_stream_bytes),
    max_bytes_required: tier.max_bytes_required === true,
  };
}

/** The account's JetStream limits, or null when its JWT does not enable JetStream. */
export function jetStreamLimitsOf(claims: AccountClaims): AccountLimits | null {
  const limits = (claims.nats.limits ?? {}) as Tier;
  if (num(limits.mem_storage) !== 0 || num(limits.disk_storage) !== 0) {
    return limitsOfTier(limits);
  }
  const tiers = limits.tiered_limits as Record<string, Tier> | undefined;
  const r1 = tiers?.R1;
  return r1 !== undefined ? limitsOfTier(r1) : null;
}

/** Enables in progress, so a second client of the account waits for the same one. */
const inFlight = new WeakMap<JetStream, Map<string, Promise<unknown>>>();

/** Enables JetStream (or updates its limits) for every loaded account whose JWT asks. */
export async function applyJwtJetStream(js: JetStream,
  accounts: Iterable<{ account: Account; claims: AccountClaims }>,
  warn: (message: string) => void): Promise<void> {
  for (const { account, claims } of accounts) {
    const limits = jetStreamLimitsOf(claims);
    if (limits === null) continue;
    let flights = inFlight.get(js);
    if (flights === undefined) inFlight.set(js, flights = new Map());
    const pending = flights.get(account.name);
    if (pending !== undefined) {
      await pending.catch(() => {}); // the first waiter reports the failure
      continue;
    }
    const enabled = js.accounts.get(account.name);
    if (enabled !== undefined) {
      Object.assign(enabled.limits, limits);
      continue;
    }
    const enabling = js.enableAccount(account, limits);
    flights.set(account.name, enabling);
    try {
      await enabling;
    } catch (error) {
      warn(`Error configuring jetstream for account [${account.name}]: ` +
        (error as Error).message);
    } finally {
      flights.delete(account.name);
    }
  }
}
