/**
 * Subject transforms (ADR-30/36): a source pattern and a destination with placeholders, used by
 * a stream's `subject_transform` (rewrite on ingest) and `republish`. Destinations take `$1`-style
 * and `{{wildcard(1)}}` references to the source's `*` tokens, and the functions `partition`,
 * `split`, `splitFromLeft`, `splitFromRight`, `sliceFromLeft`, `sliceFromRight`, `left`, `right`
 * and `random`. Errors carry nats-server's texts, which the API puts into its err_codes.
 * @module
 */
import { isValidLiteralSubject, subjectMatchesPattern } from "../../subjects/subject.ts";

/** nats-server's mapping error texts (server/errors.go). */
export const MAPPING_ERROR = {
  badSubject: "invalid subject",
  invalidSubject: "invalid mapping destination: invalid transform",
  unknownFunction: "invalid mapping destination: unknown function",
  indexOutOfRange: "invalid mapping destination: wildcard index out of range",
  notEnoughArgs: "invalid mapping destination: not enough arguments passed to the function",
  invalidArg: "invalid mapping destination: function argument is invalid or in the wrong format",
  tooManyArgs: "invalid mapping destination: too many arguments passed to the function",
} as const;

/** A transform that cannot be built; `message` is Go's error text. */
export class TransformError extends Error {
  constructor(message: string, token = "") {
    super(token === "" ? message : `${message} in ${token}`);
    this.name = "TransformError";
  }
}

type Op =
  | { kind: "literal"; token: string }
  | { kind: "wildcard"; index: number }
  | { kind: "partition"; buckets: number; indexes: number[] }
  | { kind: "random"; ceiling: number }
  | { kind: "split"; index: number; sep: string }
  | { kind: "splitFromLeft" | "splitFromRight" | "sliceFromLeft" | "sliceFromRight" | "left" |
    "right"; index: number; n: number };

const FUNCTIONS = [
  "partition", "wildcard", "splitfromleft", "splitfromright", "slicefromleft", "slicefromright",
  "split", "left", "right", "random",
] as const;
const INT32_MAX = 2 ** 31 - 1;

function parseIntArg(text: string, token: string): number {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) throw new TransformError(MAPPING_ERROR.invalidArg, token);
  return Number(t);
}

/** The function call inside `{{ name(args) }}`, or null when the token is not one. */
function functionCall(token: string): { name: string; args: string[] } | null {
  if (token.length <= 4 || !token.startsWith("{{") || !token.endsWith("}}")) return null;
  const m = /^\{\{\s*([A-Za-z]+)\s*\((.*)\)\s*\}\}$/.exec(token);
  const name = m?.[1].toLowerCase() ?? "";
  if (m === null || !(FUNCTIONS as readonly string[]).includes(name)) {
    throw new TransformError(MAPPING_ERROR.unknownFunction, token);
  }
  return { name, args: m[2].split(/,\s*/) };
}

function indexAndInt(token: string, args: string[], kind: Op["kind"]): Op {
  if (args.length < 2) throw new TransformError(MAPPING_ERROR.notEnoughArgs, token);
  if (args.length > 2) throw new TransformError(MAPPING_ERROR.tooManyArgs, token);
  const index = parseIntArg(args[0], token);
  const n = parseIntArg(args[1], token);
  if (n > INT32_MAX || n < -INT32_MAX - 1) {
    throw new TransformError(MAPPING_ERROR.invalidArg, token);
  }
  return { kind, index, n } as Op;
}

/** One destination token as an operation; wildcard indexes are 1-based here. */
function parseToken(token: string): Op {
  if (token.length > 1 && token[0] === "$") {
    return /^\d+$/.test(token.slice(1))
      ? { kind: "wildcard", index: Number(token.slice(1)) }
      : { kind: "literal", token };
  }
  const call = functionCall(token);
  if (call === null) return { kind: "literal", token };
  const { name, args } = call;
  switch (name) {
    case "wildcard":
      if (args.length === 1 && args[0] === "") {
        throw new TransformError(MAPPING_ERROR.notEnoughArgs, token);
      }
      if (args.length > 1) throw new TransformError(MAPPING_ERROR.tooManyArgs, token);
      return { kind: "wildcard", index: parseIntArg(args[0], token) };
    case "partition": {
      const buckets = parseIntArg(args[0], token);
      if (buckets > INT32_MAX) throw new TransformError(MAPPING_ERROR.invalidArg, token);
      const indexes = args.slice(1).map((a) => parseIntArg(a, token));
      return { kind: "partition", buckets, indexes };
    }
    case "random":
      if (args.length !== 1) throw new TransformError(MAPPING_ERROR.notEnoughArgs, token);
      return { kind: "random", ceiling: parseIntArg(args[0], token) };
    case "split":
      if (args.length < 2) throw new TransformError(MAPPING_ERROR.notEnoughArgs, token);
      if (args.length > 2) throw new TransformError(MAPPING_ERROR.tooManyArgs, token);
      if (args[1].includes(" ") || args[1].includes(".")) {
        throw new TransformError(MAPPING_ERROR.invalidArg, token);
      }
      return { kind: "split", index: parseIntArg(args[0], token), sep: args[1] };
    default: {
      const kinds: Record<string, Op["kind"]> = {
        splitfromleft: "splitFromLeft", splitfromright: "splitFromRight",
        slicefromleft: "sliceFromLeft", slicefromright: "sliceFromRight", left: "left",
        right: "right",
      };
      return indexAndInt(token, args, kinds[name]);
    }
  }
}

/** Go's subjectInfo: validity, tokens, number of `*`, whether it ends in `>`. */
interface SubjectInfo {
  ok: boolean;
  tokens: string[];
  pwcs: number;
  fwc: boolean;
}

function subjectInfo(subject: string): SubjectInfo {
  const tokens = subject.split(".");
  let pwcs = 0;
  let fwc = false;
  for (const t of tokens) {
    if (t === "" || fwc) return { ok: false, tokens, pwcs, fwc };
    if (t === ">") fwc = true;
    else if (t === "*") pwcs++;
  }
  return { ok: subject !== "", tokens, pwcs, fwc };
}

/** FNV-1a 32-bit, as Go's hash/fnv New32a. */
function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A compiled transform. */
export class SubjectTransform {
  readonly #srcTokens: string[];
  readonly #destTokens: string[];
  readonly #ops: Op[];
  /** Wildcard position (1-based) to source token index. */
  readonly #wildcardAt: number[];

  private constructor(
    readonly src: string, readonly dest: string, ops: Op[], wildcardAt: number[],
  ) {
    this.#srcTokens = src.split(".");
    this.#destTokens = dest.split(".");
    this.#ops = ops;
    this.#wildcardAt = wildcardAt;
  }

  /**
   * Builds the transform (an empty source means `>`).
   * @throws TransformError with nats-server's text
   */
  static compile(src: string, dest: string): SubjectTransform {
    const source = src === "" ? ">" : src;
    const s = subjectInfo(source);
    const d = subjectInfo(dest);
    if (!s.ok || !d.ok || d.pwcs > 0 || s.fwc !== d.fwc) {
      throw new TransformError(MAPPING_ERROR.badSubject);
    }
    const wildcardAt: number[] = [];
    s.tokens.forEach((t, i) => {
      if (t === "*") wildcardAt.push(i);
    });
    const ops = d.tokens.map(parseToken);
    const hasWildcards = s.pwcs > 0 || s.fwc;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      if (op.kind === "literal" || op.kind === "random") continue;
      if (!hasWildcards) {
        if (op.kind !== "partition") {
          throw new TransformError(MAPPING_ERROR.indexOutOfRange, d.tokens[i]);
        }
        // Without wildcards a partition hashes the whole subject, whatever it names.
        ops[i] = { ...op, indexes: [] };
        continue;
      }
      const used = op.kind === "partition" ? op.indexes : [op.index];
      for (const index of used) {
        if (index > s.pwcs) {
          throw new TransformError(MAPPING_ERROR.indexOutOfRange, `${d.tokens[i]}: [${index}]`);
        }
      }
    }
    return new SubjectTransform(source, dest, ops, wildcardAt);
  }

  /** The destination for a literal subject matching the source, or null when it does not. */
  match(subject: string): string | null {
    if (this.src === ">" && this.dest === ">") return subject;
    if (!isValidLiteralSubject(subject)) return null;
    if (this.src !== ">" && !subjectMatchesPattern(subject, this.src)) return null;
    return this.apply(subject.split("."));
  }

  #source(tokens: string[], index: number): string {
    return tokens[this.#wildcardAt[index - 1] ?? -1] ?? "";
  }

  /** The destination for the tokens of a matching subject. */
  apply(tokens: string[]): string {
    const out: string[] = [];
    for (const op of this.#ops) {
      if (op.kind === "literal") {
        if (op.token === ">") break;
        out.push(op.token);
        continue;
      }
      out.push(this.#applyOp(op, tokens));
    }
    if (this.#destTokens[this.#destTokens.length - 1] === ">") {
      out.push(...tokens.slice(this.#srcTokens.length - 1));
    }
    return out.join(".");
  }

  #applyOp(op: Exclude<Op, { kind: "literal" }>, tokens: string[]): string {
    switch (op.kind) {
      case "wildcard":
        return this.#source(tokens, op.index);
      case "partition": {
        const key = op.indexes.length > 0
          ? op.indexes.map((i) => this.#source(tokens, i)).join("")
          : tokens.join(".");
        return op.buckets === 0 ? "0" : String(fnv32a(key) % op.buckets);
      }
      case "random":
        return op.ceiling <= 0 ? "0" : String(Math.floor(Math.random() * INT32_MAX) % op.ceiling);
      case "split":
        return this.#source(tokens, op.index).split(op.sep).filter((p) => p !== "").join(".");
      default:
        return sliceToken(op.kind, this.#source(tokens, op.index), op.n);
    }
  }
}

function sliceToken(kind: string, token: string, n: number): string {
  const len = token.length;
  if (n <= 0 || n >= len) return token;
  switch (kind) {
    case "splitFromLeft":
      return `${token.slice(0, n)}.${token.slice(n)}`;
    case "splitFromRight":
      return `${token.slice(0, len - n)}.${token.slice(len - n)}`;
    case "left":
      return token.slice(0, n);
    case "right":
      return token.slice(len - n);
    case "sliceFromLeft": {
      const parts: string[] = [];
      for (let i = 0; i < len; i += n) parts.push(token.slice(i, i + n));
      return parts.join(".");
    }
    default: {
      const parts: string[] = [];
      const rem = len % n;
      if (rem > 0) parts.push(token.slice(0, rem));
      for (let i = rem; i < len; i += n) parts.push(token.slice(i, i + n));
      return parts.join(".");
    }
  }
}

/**
 * Go's ValidateMapping: null when `dest` is a usable destination for `src`, else the error text.
 */
export function validateMapping(src: string, dest: string): string | null {
  if (dest === "") return null;
  let fwc = false;
  for (const t of dest.split(".")) {
    if (t === "" || fwc) return new TransformError(MAPPING_ERROR.invalidSubject, t).message;
    if (t.length > 4 && t.startsWith("{{") && t.endsWith("}}")) {
      // nats-server's check knows every function but left and right (they still work in
      // account mappings); streams refuse them the same way.
      const name = /^\{\{\s*([A-Za-z]+)\s*\(.*\)\s*\}\}$/.exec(t)?.[1].toLowerCase() ?? "";
      if (!(FUNCTIONS as readonly string[]).includes(name) || name === "left" || name === "right") {
        return new TransformError(MAPPING_ERROR.unknownFunction, t).message;
      }
      continue;
    }
    if (t === ">") fwc = true;
    else if (/[\t\n\f\r ]/.test(t)) return MAPPING_ERROR.invalidSubject;
  }
  try {
    SubjectTransform.compile(src, dest);
    return null;
  } catch (error) {
    if (error instanceof TransformError) return error.message;
    throw error;
  }
}
