/**
 * When a mirror or source asks its origin for a consumer again (nats-server stream.go:
 * calculateRetryBackoff, setupSourceConsumer, scheduleSetupMirrorConsumerRetry). Pure numbers;
 * the follower reads the injected clock.
 * @module
 */

const NS_PER_MS = 1_000_000n;
/** Requests for a new consumer are at least this far apart (sourceConsumerRetryThreshold). */
export const RETRY_THRESHOLD_NS = 2_000n * NS_PER_MS;
/** Each failure adds twice this much (retryBackOff). */
export const RETRY_BACKOFF_NS = 5_000n * NS_PER_MS;
/** The backoff stops growing here (retryMaximum). */
export const RETRY_BACKOFF_NS_MAX = 120_000n * NS_PER_MS;
/** Every schedule adds 100 ms plus up to 100 ms of jitter. */
export const RETRY_JITTER_NS_BASE = 100n * NS_PER_MS;
export const RETRY_JITTER_NS_SPAN = 100n * NS_PER_MS;
/** The origin's consumer heartbeat (sourceHealthHB). */
export const HEARTBEAT_NS = 1_000n * NS_PER_MS;
/** Silence longer than this means the consumer is gone (sourceHealthCheckInterval). */
export const HEALTH_CHECK_NS = 10_000n * NS_PER_MS;
/** How long a consumer create request may go unanswered (srcConsumerWaitTime). */
export const CREATE_WAIT_NS = 30_000n * NS_PER_MS;

/** The backoff after `fails` failed attempts in a row. */
export function retryBackoffNs(fails: number): bigint {
  const backoff = RETRY_BACKOFF_NS * BigInt(fails * 2);
  return backoff > RETRY_BACKOFF_NS_MAX ? RETRY_BACKOFF_NS_MAX : backoff;
}

export interface RetryInput {
  nowNs: bigint;
  /** When the last consumer request went out; null before the first one. */
  lastRequestNs: bigint | null;
  fails: number;
  /** A number in [0, 1) for the jitter. */
  random: number;
}

/** How long to wait before the next consumer request. */
export function retryDelayNs(input: RetryInput): bigint {
  let delay = 0n;
  if (input.lastRequestNs !== null) {
    const since = input.nowNs - input.lastRequestNs;
    if (since < RETRY_THRESHOLD_NS) delay = RETRY_THRESHOLD_NS - since;
    delay += retryBackoffNs(input.fails);
  }
  const jitter = BigInt(Math.floor(input.random * Number(RETRY_JITTER_NS_SPAN)));
  return delay + RETRY_JITTER_NS_BASE + jitter;
}
