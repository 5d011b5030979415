/**
 * The body of a pull request (`$JS.API.CONSUMER.MSG.NEXT.<stream>.<consumer>`, or after `+NXT`),
 * read as nats-server's nextReqFromMsg does: empty means one message, a plain integer is the
 * batch size, JSON is a JSApiConsumerGetNextRequest. Anything else is also one message.
 * @module
 */

/** Priority group fields of a pull request (ADR-42). */
export interface PullPriority {
  group: string;
  minPending: number;
  minAckPending: number;
  id: string;
  priority: number;
}

/** A decoded pull request; durations are relative nanoseconds, 0n meaning none. */
export interface PullRequest {
  /** Go keeps the number as sent: 0 or less still delivers one message. */
  batch: number;
  maxBytes: number;
  noWait: boolean;
  expiresNs: bigint;
  heartbeatNs: bigint;
  /** Present only for a JSON request. */
  priority: PullPriority | null;
}

export type PullRequestResult = { ok: true; request: PullRequest } | { ok: false; error: string };

type FieldKind = "duration" | "int" | "bool" | "string" | "int64";

const FIELDS: Readonly<Record<string, { key: string; kind: FieldKind }>> = {
  expires: { key: "expires", kind: "duration" },
  batch: { key: "batch", kind: "int" },
  max_bytes: { key: "max_bytes", kind: "int" },
  no_wait: { key: "no_wait", kind: "bool" },
  idle_heartbeat: { key: "idle_heartbeat", kind: "duration" },
  group: { key: "group", kind: "string" },
  min_pending: { key: "min_pending", kind: "int64" },
  min_ack_pending: { key: "min_ack_pending", kind: "int64" },
  id: { key: "id", kind: "string" },
  priority: { key: "priority", kind: "int" },
};
const GO_TYPE: Readonly<Record<FieldKind, string>> = {
  duration: "time.Duration",
  int: "int",
  int64: "int64",
  bool: "bool",
  string: "string",
};
const STRUCT = "JSApiConsumerGetNextRequest";
const decoder = new TextDecoder();

function jsonKind(value: unknown): string {
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return "array";
  return "object";
}

function typeError(name: string, kind: FieldKind, value: unknown): string {
  const what = typeof value === "number" ? `number ${value}` : jsonKind(value);
  return `json: cannot unmarshal ${what} into Go struct field ${STRUCT}.${name} of type ` +
    GO_TYPE[kind];
}

/** Checks one JSON value against its Go field type; returns an error text or null. */
function checkField(name: string, kind: FieldKind, value: unknown): string | null {
  if (value === null) return null;
  if (kind === "bool") return typeof value === "boolean" ? null : typeError(name, kind, value);
  if (kind === "string") return typeof value === "string" ? null : typeError(name, kind, value);
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    return typeError(name, kind, value);
  }
  return null;
}

function emptyPriority(): PullPriority {
  return { group: "", minPending: 0, minAckPending: 0, id: "", priority: 0 };
}

type Fields = {
  expires?: number;
  batch?: number;
  max_bytes?: number;
  no_wait?: boolean;
  idle_heartbeat?: number;
  group?: string;
  min_pending?: number;
  min_ack_pending?: number;
  id?: string;
  priority?: number;
};

function decodeJson(text: string): { fields: Fields } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { error: syntaxErrorText(text) };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { error: `json: cannot unmarshal ${jsonKind(parsed)} into Go value of type ${STRUCT}` };
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    // encoding/json matches field names case-insensitively.
    const field = FIELDS[key.toLowerCase()];
    if (field === undefined) continue;
    const error = checkField(field.key, field.kind, value);
    if (error !== null) return { error };
    if (value !== null) fields[field.key] = value;
  }
  return { fields: fields as Fields };
}

/** Go's text for the usual JSON syntax errors. */
function syntaxErrorText(text: string): string {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
  }
  if (inString || depth > 0) return "unexpected end of JSON input";
  return "invalid character in JSON request";
}

function fromJson(text: string): PullRequestResult {
  const decoded = decodeJson(text);
  if ("error" in decoded) return { ok: false, error: decoded.error };
  const f = decoded.fields;
  const expiresNs = BigInt(f.expires ?? 0);
  const heartbeatNs = BigInt(f.idle_heartbeat ?? 0);
  if (heartbeatNs > 0n && heartbeatNs * 2n > expiresNs) {
    return { ok: false, error: "heartbeat value too large" };
  }
  const priority = emptyPriority();
  priority.group = f.group ?? "";
  priority.minPending = f.min_pending ?? 0;
  priority.minAckPending = f.min_ack_pending ?? 0;
  priority.id = f.id ?? "";
  priority.priority = f.priority ?? 0;
  return {
    ok: true,
    request: {
      batch: f.batch ?? 0,
      maxBytes: f.max_bytes ?? 0,
      noWait: f.no_wait ?? false,
      expiresNs,
      heartbeatNs,
      priority,
    },
  };
}

const ONE: PullRequest = {
  batch: 1, maxBytes: 0, noWait: false, expiresNs: 0n, heartbeatNs: 0n, priority: null,
};

/** Decodes a pull request body. */
export function parsePullRequest(body: Uint8Array): PullRequestResult {
  const text = decoder.decode(body).replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, "");
  if (text.length === 0) return { ok: true, request: { ...ONE } };
  if (text[0] === "{") return fromJson(text);
  // strconv.Atoi: an optional sign and decimal digits.
  if (/^[+-]?[0-9]{1,15}$/.test(text)) {
    return { ok: true, request: { ...ONE, batch: Number.parseInt(text, 10) } };
  }
  return { ok: true, request: { ...ONE } };
}
