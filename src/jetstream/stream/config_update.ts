/**
 * What a stream update may change, as nats-server's configUpdateCheck decides: the new
 * configuration is checked like a new one, then compared with the running one (no storage change,
 * no retention change to or from workqueue, no unsealing, no cancelling deny_delete/deny_purge,
 * no mirror change, no disabling of message TTLs, ...). Sealing also fixes the limits that keep a
 * sealed stream sealed. Pure.
 * @module
 */
import { ApiError, apiError } from "../api/api_error.ts";
import {
  JSStreamInvalidConfigF, JSStreamMirrorNotUpdatableErr, JSStreamReplicasNotSupportedErr,
} from "../api/errors_generated.ts";
import type { StreamConfig, StreamConfigInput } from "./config.ts";
import { type CheckContext, checkStreamConfig } from "./config_check.ts";

const invalid = (err: string): ApiError => apiError(JSStreamInvalidConfigF, { err });

/** Deep equality of plain data; a missing field equals an undefined one. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const key of keys) if (!sameJson(ra[key], rb[key])) return false;
  return true;
}

/** The configuration to run after an update, or the error nats-server reports. */
export function checkStreamUpdate(
  old: StreamConfig, input: StreamConfigInput, ctx: CheckContext, pedantic: boolean,
): StreamConfig | ApiError {
  const cfg = checkStreamConfig(input, ctx, pedantic);
  if (cfg instanceof ApiError) return cfg;
  if (cfg.name !== old.name) return invalid("stream configuration name must match original");
  if (cfg.num_replicas > 1) return apiError(JSStreamReplicasNotSupportedErr);
  if (cfg.storage !== old.storage) {
    return invalid("stream configuration update can not change storage type");
  }
  if (cfg.retention !== old.retention &&
    (old.retention === "workqueue" || cfg.retention === "workqueue")) {
    return invalid("stream configuration update can not change retention policy to/from workqueue");
  }
  if (!cfg.sealed && old.sealed) {
    return invalid("stream configuration update can not unseal a sealed stream");
  }
  if (!cfg.deny_delete && old.deny_delete) {
    return invalid("stream configuration update can not cancel deny message deletes");
  }
  if (!cfg.deny_purge && old.deny_purge) {
    return invalid("stream configuration update can not cancel deny purge");
  }
  if (cfg.mirror !== undefined && !sameJson(cfg.mirror, old.mirror)) {
    return apiError(JSStreamMirrorNotUpdatableErr);
  }
  if (old.allow_msg_ttl && !cfg.allow_msg_ttl) {
    return invalid("message TTL status can not be disabled");
  }
  if ((cfg.allow_msg_counter ?? false) !== (old.allow_msg_counter ?? false)) {
    return invalid("stream configuration update can not change message counter setting");
  }
  if (old.allow_msg_schedules && !cfg.allow_msg_schedules) {
    return invalid("message schedules can not be disabled");
  }
  if ((old.persist_mode ?? "default") !== (cfg.persist_mode ?? "default")) {
    return invalid("stream configuration update can not change persist mode");
  }
  if (cfg.sealed) {
    cfg.max_age = 0n;
    cfg.discard = "new";
    cfg.deny_delete = true;
    cfg.deny_purge = true;
    cfg.allow_rollup_hdrs = false;
  }
  return cfg;
}

/** True when two checked configurations are the same (create of an existing stream). */
export function sameStreamConfig(a: StreamConfig, b: StreamConfig): boolean {
  return sameJson(a, b);
}
