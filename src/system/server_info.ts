/**
 * The `server` object of every system message (nats-server's ServerInfo): identity, version,
 * capabilities, and a sequence number and time stamped per message, in Go's field order.
 * @module
 */
import { rfc3339 } from "../monitor/go_format.ts";
import type { GoJsonValue } from "../monitor/go_json.ts";
import type { WallClock } from "../monitor/wall_clock.ts";
import { NATS_SERVER_VERSION } from "../server/version.ts";

/** Go's ServerCapability bits. */
export const ServerCapability = {
  jetStreamEnabled: 1,
  binaryStreamSnapshot: 2,
  accountNrg: 4,
} as const;

export interface ServerIdentity {
  readonly id: string;
  readonly name: string;
  readonly options: {
    readonly host: string;
    readonly serverTags: readonly string[];
    readonly serverMetadata: Readonly<Record<string, string>>;
    readonly featureFlags: Readonly<Record<string, boolean>>;
  };
  /** True while JetStream runs on this server. */
  jetStreamEnabled(): boolean;
}

function nonEmptyMap<V extends GoJsonValue>(record: Readonly<Record<string, V>>):
  Map<string, GoJsonValue> | undefined {
  const entries = Object.entries(record);
  return entries.length === 0 ? undefined : new Map(entries);
}

/** Stamps ServerInfo objects: each call takes the next sequence number and the time now. */
export class ServerInfoStamp {
  #seq = 0;

  constructor(readonly server: ServerIdentity, readonly clock: WallClock) {}

  next(): GoJsonValue {
    const s = this.server;
    const o = s.options;
    const js = s.jetStreamEnabled();
    return {
      name: s.name,
      host: o.host,
      id: s.id,
      ver: NATS_SERVER_VERSION,
      tags: o.serverTags.length > 0 ? [...o.serverTags] : undefined,
      metadata: nonEmptyMap(o.serverMetadata),
      feature_flags: nonEmptyMap(o.featureFlags),
      jetstream: js,
      flags: js ? ServerCapability.jetStreamEnabled | ServerCapability.binaryStreamSnapshot : 0,
      seq: ++this.#seq,
      time: rfc3339(this.clock.wall(this.clock.nowMono())),
    };
  }
}
