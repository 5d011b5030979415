/**
 * /healthz with nats-server's single-server checks: parameter consistency (400),
 * `js-server-only`, JetStream requested in the options but not enabled (503 "unavailable"), and
 * the 2.10+ asset checks `account=`, `stream=`, `consumer=` (404 when missing), each failure
 * either as `error` or, with `details=true`, as typed `errors[]`. The status code is the HTTP
 * status; the JSON is compact, as Go writes it.
 * @module
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { GoJsonValue } from "./go_json.ts";
import type { Query } from "./query.ts";
import { json, type Reply } from "./reply.ts";

/** nats-server's JSNotEnabledErr text with its error code. */
export const JETSTREAM_NOT_ENABLED = "JetStream not enabled (10076)";

export interface HealthOptions {
  jsEnabledOnly: boolean;
  jsServerOnly: boolean;
  jsMetaOnly: boolean;
  details: boolean;
  account: string;
  stream: string;
  consumer: string;
}

/** The JetStream assets /healthz looks up (accounts, their streams and consumers). */
export interface HealthAssets {
  hasAccount(account: string): boolean;
  hasStream(account: string, stream: string): boolean;
  hasConsumer(account: string, stream: string, consumer: string): boolean;
  /**
   * What the store directory holds that is not running, in directory order: account
   * directories of accounts the server does not know (no `stream`), and stream directories
   * whose stream was not recovered.
   */
  unrecovered(): readonly StoredProblem[];
}

export interface StoredProblem {
  account: string;
  /** Absent: the account itself could not be resolved. */
  stream?: string;
}

export interface HealthInputs {
  /** JetStream requested in the options (`-js`, `jetstream {}`). */
  jetStreamConfigured: boolean;
  /** JetStream actually running. */
  jetStreamEnabled: boolean;
  /** The running JetStream's assets; absent: nothing can be found. */
  assets?: HealthAssets;
}

/** What HealthAssets reads from a running JetStream (the monitor's JetStream view). */
export interface AssetView {
  /** The store directory (`<store_dir>/jetstream`); absent: nothing on disk is checked. */
  readonly storeRoot?: string;
  readonly accounts: ReadonlyMap<string, {
    readonly streams: ReadonlyMap<string, { readonly consumers: unknown }>;
  }>;
}

/** Go skips its restore staging directory when walking the store. */
const SNAPSHOT_STAGING_DIR = ".snap-staging";

function sortedDirs(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true }).filter((e) => e.isDirectory())
      .map((e) => e.name).sort();
  } catch {
    return [];
  }
}

/** Go's single-server recovery walk over `<root>/<account>/streams/<stream>`. */
function storedProblems(js: AssetView, knownAccount: (name: string) => boolean):
  StoredProblem[] {
  const root = js.storeRoot;
  if (root === undefined) return [];
  const problems: StoredProblem[] = [];
  for (const account of sortedDirs(root)) {
    if (account === SNAPSHOT_STAGING_DIR) continue;
    if (!knownAccount(account)) {
      problems.push({ account });
      continue;
    }
    const running = js.accounts.get(account)?.streams;
    for (const stream of sortedDirs(join(root, account, "streams"))) {
      if (running?.has(stream) !== true) problems.push({ account, stream });
    }
  }
  return problems;
}

/** Lookups over a JetStream's accounts, streams and (public) consumers, and its store. */
export function healthAssets(js: AssetView | null | undefined,
  knownAccount: (name: string) => boolean = () => true): HealthAssets | undefined {
  if (js === null || js === undefined) return undefined;
  const stream = (account: string, name: string) => js.accounts.get(account)?.streams.get(name);
  return {
    hasAccount: (account) => js.accounts.has(account),
    hasStream: (account, name) => stream(account, name) !== undefined,
    hasConsumer: (account, name, consumer) => {
      const manager = stream(account, name)?.consumers as
        { consumers?: ReadonlyMap<string, unknown> } | undefined;
      return manager?.consumers?.has(consumer) ?? false;
    },
    unrecovered: () => storedProblems(js, knownAccount),
  };
}

export interface HealthResult {
  status: number;
  body: GoJsonValue;
  /** The failure nats-server logs as a warning, if any. */
  warning: string | null;
}

export function parseHealthQuery(query: Query): { options: HealthOptions; deprecated: boolean } {
  const deprecated = query.bool("js-enabled");
  const jsEnabledOnly = query.bool("js-enabled-only");
  const jsServerOnly = query.bool("js-server-only");
  const jsMetaOnly = query.bool("js-meta-only");
  const details = query.bool("details");
  return {
    options: {
      jsEnabledOnly: jsEnabledOnly || deprecated, jsServerOnly, jsMetaOnly, details,
      account: query.get("account"), stream: query.get("stream"), consumer: query.get("consumer"),
    },
    deprecated,
  };
}

type ErrorType = "BAD_REQUEST" | "JETSTREAM" | "ACCOUNT" | "STREAM" | "CONSUMER";

/** The asset a HealthzError names (Go's account, stream, consumer fields, each omitempty). */
interface Subject {
  account?: string;
  stream?: string;
  consumer?: string;
}

function failure(status: number, plainStatus: string, type: ErrorType, error: string,
  details: boolean, subject: Subject = {}): HealthResult {
  if (details) {
    const item = { type, ...subject, error };
    return { status, body: { status: "error", errors: [item] }, warning: "1 errors" };
  }
  return { status, body: { status: plainStatus, error }, warning: JSON.stringify(error) };
}

/**
 * Go's single-server recovery check: stored accounts must resolve and stored streams must be
 * running (only the named account/stream when given). Without `details` the first problem
 * answers; with it every problem is listed. Go leaves the status code to its default, 503.
 */
function recoveryFailure(o: HealthOptions, assets: HealthAssets | undefined): HealthResult | null {
  const problems = (assets?.unrecovered() ?? []).filter((p) =>
    (o.account === "" || p.account === o.account) &&
    (o.stream === "" || p.stream === undefined || p.stream === o.stream));
  if (problems.length === 0) return null;
  const describe = (p: StoredProblem) => p.stream === undefined
    ? { type: "ACCOUNT" as const, account: p.account,
      error: `JetStream account '${p.account}' could not be resolved` }
    : { type: "STREAM" as const, account: p.account, stream: p.stream,
      error: `JetStream stream '${p.account} > ${p.stream}' could not be recovered` };
  if (!o.details) {
    const error = describe(problems[0]).error;
    return { status: 503, body: { status: "unavailable", error }, warning: JSON.stringify(error) };
  }
  return { status: 503, body: { status: "error", errors: problems.map(describe) },
    warning: `${problems.length} errors` };
}

/** Go's single-server asset checks: the named account, stream and consumer must exist. */
function assetFailure(o: HealthOptions, assets: HealthAssets | undefined): HealthResult | null {
  const q = (text: string) => JSON.stringify(text);
  const { account, stream, consumer, details } = o;
  if (account === "") return null;
  if (assets?.hasAccount(account) !== true) {
    return failure(404, "unavailable", "ACCOUNT", `JetStream account ${q(account)} not found`,
      details, { account });
  }
  if (stream === "") return null;
  if (!assets.hasStream(account, stream)) {
    return failure(404, "unavailable", "STREAM",
      `JetStream stream ${q(stream)} not found on account ${q(account)}`, details,
      { account, stream });
  }
  if (consumer === "" || assets.hasConsumer(account, stream, consumer)) return null;
  return failure(404, "unavailable", "CONSUMER", `JetStream consumer ${q(consumer)} not ` +
    `found for stream ${q(stream)} on account ${q(account)}`, details,
    { account, stream, consumer });
}

export function health(o: HealthOptions, inputs: HealthInputs): HealthResult {
  if (o.account === "" && o.stream !== "") {
    return failure(400, "error", "BAD_REQUEST",
      `"account" must not be empty when checking stream health`, o.details);
  }
  if (o.stream === "" && o.consumer !== "") {
    return failure(400, "error", "BAD_REQUEST",
      `"stream" must not be empty when checking consumer health`, o.details);
  }
  const ok: HealthResult = { status: 200, body: { status: "ok" }, warning: null };
  if (o.jsServerOnly || !inputs.jetStreamConfigured) return ok;
  if (!inputs.jetStreamEnabled) {
    return failure(503, "unavailable", "JETSTREAM", JETSTREAM_NOT_ENABLED, o.details);
  }
  if (o.jsEnabledOnly) return ok;
  // Go answers the first recovery problem at once; with details a missing asset (404) replaces
  // the list.
  const recovery = recoveryFailure(o, inputs.assets);
  if (recovery !== null && !o.details) return recovery;
  return assetFailure(o, inputs.assets) ?? recovery ?? ok;
}

export function healthReply(result: HealthResult): Reply {
  return json(result.body, result.status, "");
}
