/**
 * Helpers every API handler shares: the API level gate, "is there a JSON request at all" (Go's
 * isJSONObjectOrArray and isEmptyRequest), and strict decoding into `invalid JSON: <err>`.
 * @module
 */
import { type ApiError, apiError } from "./api_error.ts";
import { JSInvalidJSONErr, JSRequiredApiLevelErr } from "./errors_generated.ts";
import { decodeRequest, type Schema } from "./json_decode.ts";
import type { ApiRequest } from "./router.ts";
import { requiresHigherApiLevel } from "../stream/direct_get.ts";

/** The 412 error when the request needs a newer API level. */
export function apiLevelError(req: ApiRequest): ApiError | null {
  return requiresHigherApiLevel(req.hdr) ? apiError(JSRequiredApiLevelErr) : null;
}

/** Go's isJSONObjectOrArray: after leading whitespace, `{` or `[`. */
export function isJsonObjectOrArray(body: Uint8Array): boolean {
  for (const byte of body) {
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    return byte === 0x7b || byte === 0x5b;
  }
  return false;
}

/** Go's isEmptyRequest: no bytes, or a JSON object without fields. */
export function isEmptyRequest(body: Uint8Array): boolean {
  if (body.length === 0) return true;
  try {
    const value = JSON.parse(new TextDecoder().decode(body)) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value) &&
      Object.keys(value).length === 0;
  } catch {
    return false;
  }
}

/**
 * Strict decoding, or the `invalid JSON` error nats-server answers. With `strict` off
 * (`jetstream { strict: false }`) a request that fails strict decoding is decoded again ignoring
 * unknown fields, as nats-server's lenient retry does.
 */
export function decodeStrict<T>(body: Uint8Array, schema: Schema, strict = true): T | ApiError {
  let decoded = decodeRequest<T>(body, schema);
  if (!decoded.ok && !strict) decoded = decodeRequest<T>(body, schema, { lenient: true });
  return decoded.ok ? decoded.value : apiError(JSInvalidJSONErr, { err: decoded.error });
}
