/**
 * Query-parameter decoding with nats-server's rules and its exact 400 texts (which embed Go's
 * strconv error messages). Each decoder throws BadQueryError, which the router turns into a
 * `400 Bad Request` with the message as the plain-text body.
 * @module
 */
import { goQuote } from "./go_format.ts";

/** A request the endpoint refuses; `message` is the response body, as Go writes it. */
export class BadQueryError extends Error {
  override name = "BadQueryError";
}

const TRUE_WORDS = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE_WORDS = new Set(["0", "f", "F", "FALSE", "false", "False"]);

/** Largest value of Go's int (64-bit) and uint64, as decimal strings for range checks. */
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
const UINT64_MAX = 18446744073709551615n;

export class Query {
  constructor(readonly params: URLSearchParams) {}

  /** The first value of `name`, or "" (Go's url.Values.Get). */
  get(name: string): string {
    return this.params.get(name) ?? "";
  }

  bool(name: string): boolean {
    const text = this.get(name);
    if (text === "") return false;
    if (TRUE_WORDS.has(text)) return true;
    if (FALSE_WORDS.has(text)) return false;
    throw new BadQueryError(`Error decoding boolean for '${name}': ` +
      `strconv.ParseBool: parsing ${goQuote(text)}: invalid syntax`);
  }

  int(name: string): number {
    const text = this.get(name);
    if (text === "") return 0;
    const problem = integerProblem(text, true, INT64_MIN, INT64_MAX);
    if (problem) {
      throw new BadQueryError(`Error decoding int for '${name}': ` +
        `strconv.Atoi: parsing ${goQuote(text)}: ${problem}`);
    }
    return Number(text);
  }

  uint64(name: string): number {
    const text = this.get(name);
    if (text === "") return 0;
    const problem = integerProblem(text, false, 0n, UINT64_MAX);
    if (problem) {
      throw new BadQueryError(`Error decoding uint64 for '${name}': ` +
        `strconv.ParseUint: parsing ${goQuote(text)}: ${problem}`);
    }
    return Number(text);
  }

  /** `subs=detail` selects detail; otherwise `subs` is a boolean. */
  subs(): { subs: boolean; detail: boolean } {
    if (this.get("subs").toLowerCase() === "detail") return { subs: false, detail: true };
    return { subs: this.bool("subs"), detail: false };
  }
}

/** Why strconv would refuse `text` as a base-10 integer, or null when it parses. */
function integerProblem(text: string, signed: boolean, min: bigint, max: bigint): string | null {
  const pattern = signed ? /^[+-]?[0-9]+$/ : /^[0-9]+$/;
  if (!pattern.test(text)) return "invalid syntax";
  const value = BigInt(text.startsWith("+") ? text.slice(1) : text);
  return value < min || value > max ? "value out of range" : null;
}

/** Which connections /connz lists. */
export const ConnState = { open: "open", closed: "closed", all: "all" } as const;
export type ConnState = (typeof ConnState)[keyof typeof ConnState];

export function decodeState(query: Query): ConnState {
  const text = query.get("state");
  if (text === "") return ConnState.open;
  switch (text.toLowerCase()) {
    case "open":
      return ConnState.open;
    case "closed":
      return ConnState.closed;
    case "any":
    case "all":
      return ConnState.all;
  }
  throw new BadQueryError(`Error decoding state for ${text}`);
}
