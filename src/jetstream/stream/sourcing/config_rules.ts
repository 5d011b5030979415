/**
 * The rules of nats-server's checkStreamCfg about where a mirror or source reaches its origin,
 * run after the per-origin checks of config_check.ts: durable sourcing consumer settings,
 * external delivery and API prefixes (valid, no overlap with the origin's subjects or the local
 * `$JS.API`), and cycles of sources and mirrors among the account's streams.
 * @module
 */
import { type ApiError, apiError } from "../../api/api_error.ts";
import {
  JSMirrorDurableConsumerCfgInvalid, JSSourceDurableConsumerCfgInvalid,
  JSSourceDurableConsumerDuplicateDetected, JSStreamExternalApiOverlapErrF,
  JSStreamExternalDelPrefixOverlapsErrF, JSStreamInvalidConfigF,
  JSStreamInvalidExternalDeliverySubjErrF,
} from "../../api/errors_generated.ts";
import {
  isLiteralSubject, isValidPublishSubject, isValidSubject,
} from "../../../subjects/subject.ts";
import { isValidAssetName, subjectsCollide } from "../../subjects.ts";
import type { StreamConfig, StreamSource } from "../config.ts";
import { goHash } from "./source_header.ts";

const API_PREFIX = "$JS.API";

/** A durable sourcing consumer's settings, as nats-server checks them (null when fine). */
export function durableConsumerError(src: StreamSource, mirror: boolean): ApiError | null {
  const c = src.consumer;
  if (c === undefined) return null;
  const invalid = () => apiError(mirror ? JSMirrorDurableConsumerCfgInvalid
    : JSSourceDurableConsumerCfgInvalid);
  const deliver = c.deliver_subject ?? "";
  if (!isValidAssetName(c.name ?? "")) return invalid();
  if (!isLiteralSubject(deliver) || !isValidSubject(deliver)) return invalid();
  if ((src.opt_start_seq ?? 0) !== 0 || src.opt_start_time !== undefined) return invalid();
  if ((src.filter_subject ?? "") !== "") return invalid();
  return null;
}

/** Two sources of one stream may not share a durable consumer. */
export function durableDuplicateError(sources: readonly StreamSource[]): ApiError | null {
  const seen = new Set<string>();
  for (const src of sources) {
    if (src.consumer === undefined) continue;
    let key = src.name ?? "";
    if (src.external !== undefined) key += `:${goHash(src.external.api ?? "")}`;
    key += ` ${src.consumer.name ?? ""}`;
    if (seen.has(key)) return apiError(JSSourceDurableConsumerDuplicateDetected);
    seen.add(key);
  }
  return null;
}

/**
 * External prefixes: delivery prefixes valid and clear of the local origins' subjects, API
 * prefixes valid and clear of `$JS.API`.
 */
export function externalPrefixError(cfg: StreamConfig,
  streamConfig: (name: string) => StreamConfig | undefined): ApiError | null {
  const origins = cfg.mirror !== undefined ? [cfg.mirror] : cfg.sources ?? [];
  const subjects: string[] = [];
  const deliver: string[] = [];
  const api: string[] = [];
  for (const o of origins) {
    if (o.external === undefined) {
      subjects.push(...streamConfig(o.name ?? "")?.subjects ?? []);
      continue;
    }
    if (o.external.deliver) deliver.push(o.external.deliver);
    if (o.external.api) api.push(o.external.api);
  }
  for (const prefix of deliver) {
    if (!isValidPublishSubject(prefix)) {
      return apiError(JSStreamInvalidExternalDeliverySubjErrF, { prefix });
    }
    for (const subject of subjects) {
      if (subjectsCollide(subject, `${prefix}.${subject}`)) {
        return apiError(JSStreamExternalDelPrefixOverlapsErrF, { prefix, subject });
      }
    }
  }
  for (const prefix of api) {
    if (!isValidPublishSubject(prefix)) {
      return apiError(JSStreamInvalidConfigF, { err:
        `stream external api prefix "${prefix}" must be a valid subject without wildcards` });
    }
    if (subjectsCollide(prefix, API_PREFIX)) {
      return apiError(JSStreamExternalApiOverlapErrF, { prefix, subject: API_PREFIX });
    }
  }
  return null;
}

/** A stream reached again through local sources (whose subjects overlap) or mirrors. */
export function cycleError(cfg: StreamConfig,
  streamConfig: (name: string) => StreamConfig | undefined): ApiError | null {
  const cycle = apiError(JSStreamInvalidConfigF, { err: "detected cycle" });
  const overlaps = (subjects: readonly string[], filter: string) =>
    filter === "" || subjects.some((s) => subjectsCollide(s, filter));
  const toVisit: StreamConfig[] = [cfg];
  const visited = new Set<string>();
  // Every stream is visited at most once per check: the walk is bounded by the account.
  for (let i = 0; i < toVisit.length; i++) {
    const c = toVisit[i];
    visited.add(c.name);
    for (const src of c.sources ?? []) {
      if (src.external !== undefined) continue;
      const name = src.name ?? "";
      if (visited.has(name)) {
        if (overlaps(c.subjects, src.filter_subject ?? "")) return cycle;
        continue;
      }
      const next = streamConfig(name);
      if (next !== undefined && !toVisit.includes(next)) toVisit.push(next);
    }
    const m = c.mirror;
    if (m === undefined || m.external !== undefined) continue;
    if (visited.has(m.name ?? "")) return cycle;
    const next = streamConfig(m.name ?? "");
    if (next !== undefined && !toVisit.includes(next)) toVisit.push(next);
  }
  return null;
}
