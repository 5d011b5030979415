/**
 * /healthz with nats-server's checks that apply while JetStream is not running: parameter
 * consistency (400), `js-server-only`, and JetStream requested in the options but not enabled
 * (503 "unavailable"). The status code is the HTTP status; the JSON is compact, as Go writes it.
 * @module
 */
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

export interface HealthInputs {
  /** JetStream requested in the options (`-js`, `jetstream {}`). */
  jetStreamConfigured: boolean;
  /** JetStream actually running. */
  jetStreamEnabled: boolean;
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

type ErrorType = "BAD_REQUEST" | "JETSTREAM";

function failure(status: number, plainStatus: string, type: ErrorType, error: string,
  details: boolean): HealthResult {
  if (details) {
    return {
      status, body: { status: "error", errors: [{ type, error }] }, warning: "1 errors",
    };
  }
  return { status, body: { status: plainStatus, error }, warning: JSON.stringify(error) };
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
  return ok;
}

export function healthReply(result: HealthResult): Reply {
  return json(result.body, result.status, "");
}
