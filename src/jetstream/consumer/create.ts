/**
 * Adding or updating a consumer on a stream, as nats-server's addConsumerWithAction does: defaults
 * and checks, the create / update action, the existing-consumer rules, max_consumers, the
 * work-queue rules, the name, the store; then the consumer starts.
 * @module
 */
import { ApiError, apiError, apiErrorUnless } from "../api/api_error.ts";
import * as E from "../api/errors_generated.ts";
import { isValidAssetName } from "../subjects.ts";
import { subjectIsSubsetOf } from "../../subjects/subject.ts";
import { randomBytes } from "node:crypto";
import {
  type ConsumerAction,
  type ConsumerConfig,
  type ConsumerConfigInput,
  configFilters,
  sameConsumerConfig,
} from "./config.ts";
import {
  checkConsumerConfig,
  type ConsumerLimits,
  EPHEMERAL_INACTIVE_NS,
  NAME_BYTES_MAX,
  setConsumerDefaults,
} from "./config_check.ts";
import { checkConsumerUpdate } from "./config_update.ts";
import type { Consumer } from "./consumer.ts";
import { accountHash } from "./core/mod.ts";
import { consumerMeta, type ConsumerManager } from "./manager.ts";
import { hasInterest } from "./deliver_as.ts";

/** An ephemeral's generated name (createConsumerName: 8 base-62 characters). */
export function generatedName(): string {
  return accountHash(randomBytes(16).toString("hex"));
}

/** Sets `_nats.req.level` as setStaticConsumerMetadata does (dropping dynamic keys). */
export function setStaticMetadata(cfg: ConsumerConfigInput): void {
  const metadata = { ...(cfg.metadata ?? {}) };
  delete metadata["_nats.ver"];
  delete metadata["_nats.level"];
  let level = 0;
  if (cfg.pause_until !== undefined && cfg.pause_until !== 0n) level = 1;
  const groups = cfg.priority_groups ?? [];
  if ((cfg.priority_policy ?? "none") !== "none" || (cfg.priority_timeout ?? 0n) !== 0n ||
    groups.length > 0) {
    level = 1;
  }
  if (cfg.ack_policy === "flow_control") level = 4;
  metadata["_nats.req.level"] = String(level);
  cfg.metadata = metadata;
}

/**
 * 2.14's sourcing consumer requests (`direct` + `sourcing` + a stable name), before the existing
 * consumer is looked up, as nats-server's consumer create handler does. On an interest or
 * work-queue origin the request becomes a durable with flow_control acks, so the origin keeps
 * what the source has not yet stored; on a limits origin a random suffix keeps the stable name
 * from colliding with an earlier one. A durable sourcing consumer that exists already keeps its
 * deliver policy and start (the source resumes it; addConsumer resets it to its ack floor).
 */
export function prepareSourcingRequest(manager: ConsumerManager, cfg: ConsumerConfigInput):
  void {
  if (cfg.direct === true && cfg.sourcing === true && (cfg.name ?? "") !== "") {
    if (manager.stream.config.retention !== "limits") {
      cfg.direct = false;
      cfg.durable_name = cfg.name;
      cfg.ack_policy = "flow_control";
      cfg.ack_wait = 0n;
      cfg.max_deliver = 0;
      cfg.inactive_threshold = 0n;
    } else {
      cfg.name = `${cfg.name}-${generatedName()}`;
    }
  }
  if (cfg.sourcing !== true || (cfg.durable_name ?? "") === "") return;
  const existing = manager.consumers.get(cfg.durable_name!);
  if (existing === undefined) return;
  cfg.deliver_policy = existing.config.deliver_policy;
  cfg.opt_start_seq = existing.config.opt_start_seq;
  cfg.opt_start_time = existing.config.opt_start_time;
}

/** True when every filter subject of the new consumer is free of the others' (partitionUnique). */
function partitionUnique(manager: ConsumerManager, name: string, filters: string[]): boolean {
  for (const c of manager.consumers.values()) {
    if (c.name === name) continue;
    // Mirrors' and sources' consumers do not take part (nats-server skips them too).
    if (c.config.direct === true || c.config.sourcing === true) continue;
    const theirs = configFilters(c.config);
    if (theirs.length === 0) return false;
    for (const mine of filters) {
      for (const other of theirs) {
        if (subjectIsSubsetOf(mine, other) || subjectIsSubsetOf(other, mine)) return false;
      }
    }
  }
  return true;
}

function workQueueError(manager: ConsumerManager, cfg: ConsumerConfig, name: string):
  ApiError | null {
  if (cfg.direct || cfg.sourcing) return null;
  if (cfg.ack_policy !== "explicit" && cfg.ack_policy !== "flow_control") {
    return apiError(E.JSConsumerWQRequiresExplicitAckErr);
  }
  if (cfg.deliver_policy !== "all") return apiError(E.JSConsumerWQConsumerNotDeliverAllErr);
  if (manager.consumers.size === 0) return null;
  const filters = configFilters(cfg);
  if (filters.length === 0) return apiError(E.JSConsumerWQMultipleUnfilteredErr);
  if (!partitionUnique(manager, name, filters)) return apiError(E.JSConsumerWQConsumerNotUniqueErr);
  return null;
}

/** The existing consumer's update path. */
function updateExisting(
  manager: ConsumerManager,
  existing: Consumer,
  cfg: ConsumerConfig,
  action: ConsumerAction,
): Consumer | ApiError {
  if (action === "create" && !sameConsumerConfig(cfg, existing.config)) {
    return apiError(E.JSConsumerAlreadyExists);
  }
  if (manager.stream.config.retention === "workqueue" &&
    !partitionUnique(manager, existing.name, configFilters(cfg))) {
    return apiError(E.JSConsumerWQConsumerNotUniqueErr);
  }
  const account = manager.host.account;
  const refused = checkConsumerUpdate(existing.config, cfg,
    (subject) => hasInterest(account, subject));
  if (refused !== null) return apiErrorUnless(E.JSConsumerCreateErrF, refused);
  existing.updateConfig(cfg, consumerMeta(existing.name, existing.createdNs, cfg));
  // A source coming back resumes from what it acknowledged (resetStartingSeq).
  if (cfg.sourcing === true) resetToAckFloor(existing);
  return existing;
}

function consumerName(manager: ConsumerManager, cfg: ConsumerConfig): string | ApiError {
  const durable = cfg.durable_name ?? "";
  let name: string;
  if (durable !== "") {
    if (new TextEncoder().encode(durable).length > NAME_BYTES_MAX) {
      return apiError(E.JSConsumerNameTooLongErrF, { max: NAME_BYTES_MAX });
    }
    name = durable;
  } else if ((cfg.name ?? "") !== "") {
    name = cfg.name!;
  } else {
    do name = generatedName(); while (manager.consumers.has(name));
    cfg.name = name;
  }
  if (!isValidAssetName(name)) return apiError(E.JSConsumerBadDurableNameErr);
  return name;
}

/**
 * Adds (or updates) a consumer; `input` is the request's config, changed in place with defaults.
 * Returns the consumer and whether it is new.
 */
export async function addConsumer(
  manager: ConsumerManager,
  input: ConsumerConfigInput,
  options: { action: ConsumerAction; pedantic: boolean; limits: ConsumerLimits },
): Promise<{ consumer: Consumer; created: boolean } | ApiError> {
  const streamCfg = manager.stream.config;
  if (manager.stream.closed) return apiError(E.JSStreamInvalidErr);
  const defaulted = setConsumerDefaults(input, streamCfg, options.limits, options.pedantic);
  if (defaulted instanceof ApiError) return defaulted;
  const cfg = defaulted;
  const checked = checkConsumerConfig(cfg, streamCfg, options.limits);
  if (checked !== null) return checked;
  const wanted = (cfg.durable_name ?? "") !== "" ? cfg.durable_name! : cfg.name ?? "";
  const existing = wanted !== "" ? manager.consumers.get(wanted) : undefined;
  if (existing !== undefined) {
    const updated = updateExisting(manager, existing, cfg, options.action);
    return updated instanceof ApiError ? updated : { consumer: updated, created: false };
  }
  if (options.action === "update") return apiError(E.JSConsumerDoesNotExist);
  const limit = maxConsumers(streamCfg.max_consumers, manager.host.limits.max_consumers);
  if (limit > 0 && manager.count >= limit) return apiError(E.JSMaximumConsumersLimitErr);
  if (streamCfg.retention === "workqueue") {
    const wq = workQueueError(manager, cfg, wanted);
    if (wq !== null) return wq;
  }
  const name = consumerName(manager, cfg);
  if (name instanceof ApiError) return name;
  if ((cfg.durable_name ?? "") === "" && (cfg.inactive_threshold ?? 0n) <= 0n) {
    // Ephemerals are stamped with the default threshold (updateInactiveThreshold).
    cfg.inactive_threshold = EPHEMERAL_INACTIVE_NS;
  }
  const createdNs = manager.host.clock.nowNs();
  let store;
  try {
    store = await manager.openStore(name, cfg, createdNs);
  } catch (error) {
    return apiError(E.JSConsumerStoreFailedErrF, { err: (error as Error).message });
  }
  if (manager.consumers.has(name)) {
    await store.stop();
    return apiError(E.JSConsumerNameExistErr);
  }
  const consumer = manager.add(name, cfg, createdNs, store);
  if (cfg.sourcing === true) resetToAckFloor(consumer);
  return { consumer, created: true };
}

function resetToAckFloor(consumer: Consumer): void {
  consumer.core.reset(0);
  consumer.schedule();
}

/** The stream's max_consumers unless the account's is lower. */
function maxConsumers(stream: number, account: number): number {
  if (stream <= 0 || (account > 0 && account < stream)) return account;
  return stream;
}
