/**
 * Stream features natsd does not run yet, refused at create and update with a clear error
 * instead of being accepted and ignored, and the API level a configuration requires (ADR-44:
 * stored as `_nats.req.level` metadata).
 * @module
 */
import { type ApiError, apiError } from "./api_error.ts";
import { JSStreamInvalidConfigF } from "./errors_generated.ts";
import type { StreamConfig } from "../stream/config.ts";

/** The feature of `cfg` natsd cannot run, as an error, or null. */
export function unsupportedFeature(cfg: StreamConfig): ApiError | null {
  const missing = (what: string) =>
    apiError(JSStreamInvalidConfigF, { err: `${what} not supported by natsd yet` });
  // Durable sourcing (2.14's `consumer` on a mirror or source) needs flow_control acks.
  const origins = cfg.mirror === undefined ? cfg.sources ?? [] : [cfg.mirror];
  if (origins.some((o) => o.consumer !== undefined)) return missing("durable sourcing is");
  if (cfg.allow_msg_counter) return missing("message counters are");
  if (cfg.allow_atomic) return missing("atomic batch publishing is");
  if (cfg.allow_batched) return missing("fast batch publishing is");
  if (cfg.allow_msg_schedules) return missing("message schedules are");
  return null;
}

/** Sets `_nats.req.level` as nats-server's setStaticStreamMetadata does. */
export function setRequiredApiLevel(cfg: StreamConfig): void {
  let level = 0;
  if (cfg.allow_msg_ttl || (cfg.subject_delete_marker_ttl ?? 0n) > 0n) level = Math.max(level, 1);
  if (cfg.allow_msg_counter || cfg.allow_atomic || cfg.allow_msg_schedules ||
    cfg.persist_mode === "async") {
    level = Math.max(level, 2);
  }
  if (cfg.allow_batched) level = Math.max(level, 4);
  const metadata = { ...cfg.metadata };
  delete metadata["_nats.ver"];
  delete metadata["_nats.level"];
  metadata["_nats.req.level"] = String(level);
  cfg.metadata = metadata;
}
