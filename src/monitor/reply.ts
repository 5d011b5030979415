/**
 * What an endpoint answers, before HTTP framing: JSON (written like Go's json.MarshalIndent),
 * plain text (errors), or a page.
 * @module
 */
import type { GoJsonValue } from "./go_json.ts";

export type Reply =
  | { kind: "json"; value: GoJsonValue; status?: number; indent?: string }
  | { kind: "text"; status: number; body: string }
  | { kind: "page"; body: string; contentType: string };

export function json(value: GoJsonValue, status = 200, indent = "  "): Reply {
  return { kind: "json", value, status, indent };
}

export function text(status: number, body: string): Reply {
  return { kind: "text", status, body };
}

/** Go's net/http answer for an unknown path. */
export const NOT_FOUND: Reply = text(404, "404 page not found\n");
