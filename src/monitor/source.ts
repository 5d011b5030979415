/**
 * What the monitor reads from the server, as interfaces: the endpoints are pure functions of a
 * MonitorSource, so they are tested with plain objects and no listening server. The Server and
 * ClientConnection classes satisfy these shapes structurally.
 * @module
 */
import type { ClosedClientInfo } from "../server/closed_clients.ts";
import type { JsAccount } from "../jetstream/js_account.ts";
import type { Options } from "../server/options.ts";

/**
 * The account connections join without accounts configured (accounts/account.ts has the same
 * value; repeated here so the monitor's pure parts load without the subject index).
 */
export const GLOBAL_ACCOUNT = "$G";

export interface MonitoredSubscription {
  readonly subject: string;
  readonly queue: string | null;
  readonly sid: string;
  /** Messages delivered so far. */
  readonly delivered: number;
  /** Auto-unsubscribe limit; 0 = none. */
  readonly maxMsgs: number;
  readonly owner: { readonly cid: number };
}

export interface MonitoredConnectOptions {
  readonly name: string;
  readonly lang: string;
  readonly version: string;
  readonly user: string;
  readonly nkey: string;
  readonly jwt: string;
  readonly authToken: string;
}

export interface MonitoredConnection {
  readonly cid: number;
  readonly kind: string;
  readonly socket: { readonly remoteAddress: string; readonly remotePort?: number };
  readonly connect: MonitoredConnectOptions;
  readonly account: { readonly name: string } | null;
  readonly subscriptions: ReadonlyMap<string, MonitoredSubscription>;
  readonly inMsgs: number;
  readonly inBytes: number;
  readonly outMsgs: number;
  readonly outBytes: number;
  /** Monotonic milliseconds (the server clock). */
  readonly startedAtMs: number;
  readonly lastActivityMs: number;
  readonly rttMs: number;
  readonly outbound: { readonly pendingBytes: number };
}

/** Sublist statistics in Go's SublistStats terms (subjects/sublist.ts `stats()`). */
export interface SublistStatsView {
  numSubs: number;
  numCache: number;
  numInserts: number;
  numRemoves: number;
  numMatches: number;
  cacheHitRate: number;
  maxFanout: number;
  avgFanout: number;
}

/** The read side of an account's subscription index. */
export interface MonitoredSublist {
  count(): number;
  stats(): SublistStatsView;
  /** Every subscription, in insertion order. */
  all(): MonitoredSubscription[];
}

export interface MonitoredAccount {
  readonly name: string;
  /** Client connections bound to the account now. */
  readonly clientCount: number;
  readonly sublist: MonitoredSublist;
}

export interface MonitoredTraffic {
  readonly inMsgs: number;
  readonly inBytes: number;
  readonly outMsgs: number;
  readonly outBytes: number;
  readonly slowConsumers: number;
  readonly staleConnections: number;
}

export interface MonitorSource {
  readonly id: string;
  readonly name: string;
  readonly options: Options;
  /** Wall-clock start of the server. */
  readonly startedAt: Date;
  /** The bound client port. */
  readonly port: number;
  readonly clients: ReadonlyMap<number, MonitoredConnection>;
  readonly closedClients: { all(): ClosedClientInfo[] };
  readonly stats: MonitoredTraffic;
  readonly totalConnections: number;
  readonly accounts: ReadonlyMap<string, MonitoredAccount>;
  readonly clock: { nowMs(): number };
  authRequired(): boolean;
  /** The config file's digest and when it was last loaded (absent: no file, start time). */
  readonly configDigest?: string;
  readonly configLoadedAt?: Date;
  /** The system account, when there is one (/varz `system_account`). */
  readonly systemAccount?: { readonly name: string } | null;
  /** JetStream's numbers for /jsz; absent or null while JetStream is off. */
  readonly jetstream?: JetStreamUsageView | null;
}

/** What /jsz reads from a running JetStream. */
export interface JetStreamUsageView {
  readonly storeRoot: string;
  readonly maxMemoryBytes: number;
  readonly maxStoreBytes: number;
  readonly domain: string;
  usage(): { memory: number; storage: number };
  reserved(storage: "file" | "memory"): number;
  /** Each JetStream account, read through jetstream/jsz_detail.ts. */
  readonly accounts: ReadonlyMap<string, JsAccount>;
}
