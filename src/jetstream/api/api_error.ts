/**
 * ApiError: the `{code, err_code, description}` value every JetStream API failure carries, built
 * from an entry of the generated table (errors_generated.ts) with its `{tag}` placeholders filled.
 * Handlers return (or throw) these; responses never build error JSON by hand.
 * @module
 */
import type { ApiErrorDef } from "./errors_generated.ts";

/** A JetStream API error as sent in `"error": {...}`. */
export class ApiError extends Error {
  readonly code: number;
  readonly err_code: number;
  readonly description: string;

  constructor(code: number, errCode: number, description: string) {
    super(`${description} (${errCode})`);
    this.name = "ApiError";
    this.code = code;
    this.err_code = errCode;
    this.description = description;
  }

  /** Go's JSON: err_code and description are omitted when empty. */
  toJSON(): { code: number; err_code?: number; description?: string } {
    return {
      code: this.code,
      ...(this.err_code !== 0 ? { err_code: this.err_code } : {}),
      ...(this.description !== "" ? { description: this.description } : {}),
    };
  }

  /** True when this error is the table entry `def` (whatever its filled-in text). */
  is(def: ApiErrorDef): boolean {
    return this.err_code === def.err_code;
  }
}

/** Values a placeholder can take; errors contribute their message. */
export type TagValue = string | number | bigint | boolean | Error;

/**
 * The error of table entry `def` with its `{tag}` placeholders replaced.
 * @example
 * apiError(JSStreamWrongLastSequenceErrF, { seq: 4 }).description; // "wrong last sequence: 4"
 */
export function apiError(def: ApiErrorDef, tags: Readonly<Record<string, TagValue>> = {}):
  ApiError {
  const description = def.description.replace(/\{(.+?)\}/g, (whole, tag: string) => {
    const value = tags[tag];
    if (value === undefined) return whole;
    return value instanceof Error ? value.message : String(value);
  });
  return new ApiError(def.code, def.err_code, description);
}

/**
 * Go's `Unless(err)` option: an ApiError passes through unchanged, anything else becomes `def`
 * with `{err}` set to its message.
 */
export function apiErrorUnless(def: ApiErrorDef, cause: unknown): ApiError {
  if (cause instanceof ApiError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  return apiError(def, { err: message });
}
