/**
 * Subject transforms, as nats-server's subject_transform.go defines them: a source pattern
 * and a destination template whose tokens are literals, `$N` / `{{wildcard(N)}}` (the N-th
 * `*` of the source), or functions of source tokens: `partition(n, i…)`, `split(i, sep)`,
 * `splitFromLeft|Right(i, pos)`, `sliceFromLeft|Right(i, size)`, `left|right(i, len)` and
 * `random(n)`. Used by subject mappings and by stream and service imports.
 * Error texts are nats-server's (mappingDestinationErr).
 * @module
 */
import { isValidSubject, subjectMatchesPattern } from "../subjects/subject.ts";

export const TransformKind = {
  none: 0, wildcard: 1, partition: 2, splitFromLeft: 3, splitFromRight: 4, sliceFromLeft: 5,
  sliceFromRight: 6, split: 7, left: 8, right: 9, random: 10,
} as const;
export type TransformKind = (typeof TransformKind)[keyof typeof TransformKind];

const INVALID = "invalid mapping destination";
export const TransformErrorText = {
  badSubject: "invalid subject",
  invalidTransform: `${INVALID}: invalid transform`,
  notUsingAllWildcards: `${INVALID}: not using all of the token wildcard(s)`,
  unknownFunction: `${INVALID}: unknown function`,
  indexOutOfRange: `${INVALID}: wildcard index out of range`,
  notEnoughArgs: `${INVALID}: not enough arguments passed to the function`,
  invalidArg: `${INVALID}: function argument is invalid or in the wrong format`,
  tooManyArgs: `${INVALID}: too many arguments passed to the function`,
  importOnlyWildcard: `${INVALID}: the only mapping function allowed for import transforms ` +
    "is {{Wildcard()}}",
} as const;

/** A transform that cannot be built; the message is nats-server's text. */
export class TransformError extends Error {
  override name = "TransformError";
  constructor(reason: string, token = "") {
    super(token === "" ? reason : `${reason} in ${token}`);
  }
}

interface DestinationToken {
  kind: TransformKind;
  literal: string;
  /** Indexes into the source subject's tokens. */
  sourceIndexes: number[];
  intArg: number;
  stringArg: string;
}

const fn = (name: string) => new RegExp(`\\{\\{\\s*${name}\\s*\\((.*)\\)\\s*\\}\\}`);
const FUNCTIONS: [TransformKind, RegExp][] = [
  [TransformKind.wildcard, fn("[wW]ildcard")],
  [TransformKind.partition, fn("[pP]artition")],
  [TransformKind.splitFromLeft, fn("[sS]plit[fF]rom[lL]eft")],
  [TransformKind.splitFromRight, fn("[sS]plit[fF]rom[rR]ight")],
  [TransformKind.sliceFromLeft, fn("[sS]lice[fF]rom[lL]eft")],
  [TransformKind.sliceFromRight, fn("[sS]lice[fF]rom[rR]ight")],
  [TransformKind.right, fn("[rR]ight")],
  [TransformKind.left, fn("[lL]eft")],
  [TransformKind.split, fn("[sS]plit")],
  [TransformKind.random, fn("[rR]andom")],
];
/** The functions ValidateMapping recognizes (nats-server leaves out left and right there). */
const VALIDATED_FUNCTIONS = new Set<TransformKind>([TransformKind.wildcard,
  TransformKind.partition, TransformKind.splitFromLeft, TransformKind.splitFromRight,
  TransformKind.sliceFromLeft, TransformKind.sliceFromRight, TransformKind.split,
  TransformKind.random]);
const INT32_MAX = 2 ** 31 - 1;

/** Go's strconv.Atoi: optional sign, decimal digits, within the safe range. */
function atoi(text: string): number | null {
  const t = text.replace(/^ +| +$/g, "");
  return /^[+-]?\d+$/.test(t) && Math.abs(Number(t)) <= Number.MAX_SAFE_INTEGER ? Number(t) : null;
}

function isMustache(token: string): boolean {
  return token.length > 4 && token.startsWith("{{") && token.endsWith("}}");
}

interface Placeholder {
  kind: TransformKind;
  /** Wildcard positions (1-based `*` numbers) the function reads. */
  wildcards: number[];
  intArg: number;
  stringArg: string;
}

const literal = (): Placeholder => ({ kind: TransformKind.none, wildcards: [-1], intArg: -1,
  stringArg: "" });

/** A function taking a wildcard index and an integer (split*, slice*, left, right). */
function indexAndInt(token: string, args: string[], kind: TransformKind): Placeholder {
  if (args.length < 2) throw new TransformError(TransformErrorText.notEnoughArgs, token);
  if (args.length > 2) throw new TransformError(TransformErrorText.tooManyArgs, token);
  const index = atoi(args[0]);
  const n = atoi(args[1]);
  if (index === null || n === null || n > INT32_MAX || n < -INT32_MAX - 1) {
    throw new TransformError(TransformErrorText.invalidArg, token);
  }
  return { kind, wildcards: [index], intArg: n, stringArg: "" };
}

/** Go's indexPlaceHolders: what one destination token asks for. */
export function parsePlaceholder(token: string): Placeholder {
  if (token.length > 1 && token[0] === "$") {
    const index = atoi(token.slice(1));
    // Other things use tokens starting with $: not a placeholder unless a number follows.
    return index === null || /\s/.test(token) ? literal()
      : { kind: TransformKind.wildcard, wildcards: [index], intArg: -1, stringArg: "" };
  }
  if (!isMustache(token)) return literal();
  for (const [kind, regex] of FUNCTIONS) {
    const found = regex.exec(token);
    if (found === null) continue;
    return functionPlaceholder(token, kind, found[1].split(/,\s*/));
  }
  throw new TransformError(TransformErrorText.unknownFunction, token);
}

function functionPlaceholder(token: string, kind: TransformKind, args: string[]): Placeholder {
  switch (kind) {
    case TransformKind.wildcard: {
      if (args.length === 1 && args[0] === "") {
        throw new TransformError(TransformErrorText.notEnoughArgs, token);
      }
      if (args.length > 1) throw new TransformError(TransformErrorText.tooManyArgs, token);
      const index = atoi(args[0]);
      if (index === null) throw new TransformError(TransformErrorText.invalidArg, token);
      return { kind, wildcards: [index], intArg: -1, stringArg: "" };
    }
    case TransformKind.partition: {
      const n = atoi(args[0]);
      if (n === null || n > INT32_MAX) {
        throw new TransformError(TransformErrorText.invalidArg, token);
      }
      const wildcards = args.slice(1).map((a) => {
        const i = atoi(a);
        if (i === null) throw new TransformError(TransformErrorText.invalidArg, token);
        return i;
      });
      return { kind, wildcards, intArg: n, stringArg: "" };
    }
    case TransformKind.split: {
      if (args.length < 2) throw new TransformError(TransformErrorText.notEnoughArgs, token);
      if (args.length > 2) throw new TransformError(TransformErrorText.tooManyArgs, token);
      const index = atoi(args[0]);
      if (index === null || args[1].includes(" ") || args[1].includes(".")) {
        throw new TransformError(TransformErrorText.invalidArg, token);
      }
      return { kind, wildcards: [index], intArg: -1, stringArg: args[1] };
    }
    case TransformKind.random: {
      if (args.length !== 1) throw new TransformError(TransformErrorText.notEnoughArgs, token);
      const n = atoi(args[0]);
      if (n === null || n > INT32_MAX) {
        throw new TransformError(TransformErrorText.invalidArg, token);
      }
      return { kind, wildcards: [], intArg: n, stringArg: "" };
    }
    default:
      return indexAndInt(token, args, kind);
  }
}

interface SubjectInfo {
  tokens: string[];
  partialWildcards: number;
  fullWildcard: boolean;
}

/** Go's subjectInfo; null for an invalid subject (empty token, or `>` not last). */
function subjectInfo(subject: string): SubjectInfo | null {
  if (subject === "") return null;
  const tokens = subject.split(".");
  let partialWildcards = 0;
  let fullWildcard = false;
  for (const t of tokens) {
    if (t.length === 0 || fullWildcard) return null;
    if (t === ">") fullWildcard = true;
    else if (t === "*") partialWildcards++;
  }
  return { tokens, partialWildcards, fullWildcard };
}

/** FNV-1a, 32 bits, over UTF-8 bytes (Go's hash/fnv New32a), for partition(). */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export interface TransformOptions {
  /** Imports: only wildcard placeholders, and every source wildcard used (reversible). */
  strict?: boolean;
  /** Random source for random(); defaults to Math.random. */
  random?: () => number;
}

export class SubjectTransform {
  readonly #destTokens: string[];
  readonly #sourceTokens: string[];
  readonly #parts: DestinationToken[];
  readonly #random: () => number;
  readonly #usesSource: boolean;

  private constructor(readonly source: string, readonly destination: string,
    parts: DestinationToken[], random: () => number) {
    this.#destTokens = destination.split(".");
    this.#sourceTokens = source.split(".");
    this.#parts = parts;
    this.#random = random;
    this.#usesSource = parts.some((p) => p.kind !== TransformKind.none) ||
      this.#destTokens.at(-1) === ">";
  }

  /**
   * Go's NewSubjectTransformWithStrict. An empty source means `>`.
   * @throws TransformError with nats-server's text.
   */
  static create(source: string, destination: string, options: TransformOptions = {}):
    SubjectTransform {
    const src = source === "" ? ">" : source;
    const s = subjectInfo(src);
    const d = subjectInfo(destination);
    if (s === null || d === null || d.partialWildcards > 0 || s.fullWildcard !== d.fullWildcard) {
      throw new TransformError(TransformErrorText.badSubject);
    }
    const parts = s.partialWildcards > 0 || s.fullWildcard
      ? wildcardParts(s, d.tokens, options.strict === true, destination)
      : literalParts(d.tokens);
    return new SubjectTransform(src, destination, parts, options.random ?? Math.random);
  }

  /** The destination for `subject`, or null when it does not match the source (Go's Match). */
  match(subject: string): string | null {
    if (this.source === ">" && (this.destination === ">" || this.destination === "")) {
      return subject;
    }
    if (!subjectMatchesPattern(subject, this.source)) return null;
    return this.transformTokens(subject.split("."));
  }

  /** Transforms a subject already known to match the source. */
  transform(subject: string): string {
    return this.#usesSource ? this.transformTokens(subject.split(".")) : this.destination;
  }

  /** Go's TransformTokenizedSubject. */
  transformTokens(tokens: string[]): string {
    const parts = this.#parts;
    let out = "";
    const last = parts.length - 1;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (part.kind === TransformKind.none) {
        if (part.literal === ">") break;
        out += part.literal;
      } else {
        out += this.#apply(part, tokens);
      }
      if (i < last) out += ".";
    }
    if (this.#destTokens.at(-1) === ">") {
      const from = this.#sourceTokens.length - 1;
      out += tokens.slice(Math.max(from, 0)).join(".");
    }
    return out;
  }

  /**
   * Go's reverse(): the strict transform mapping destinations back to sources (service
   * imports build theirs this way). Null when it cannot be built.
   */
  reverse(): SubjectTransform | null {
    try {
      if (!this.#parts.some((p) => p.kind !== TransformKind.none)) {
        return SubjectTransform.create(this.destination, this.source, { strict: true });
      }
      const { subject, placeholders } = untokenizeWildcards(this.destination);
      const tokens: string[] = [];
      for (const token of this.#sourceTokens) {
        if (token !== "*") tokens.push(token);
        else if (placeholders.length === 0) return null;
        else tokens.push(placeholders.shift()!);
      }
      return SubjectTransform.create(subject, tokens.join("."), { strict: true });
    } catch (error) {
      if (error instanceof TransformError) return null;
      throw error;
    }
  }

  #apply(part: DestinationToken, tokens: string[]): string {
    const token = tokens[part.sourceIndexes[0]] ?? "";
    const n = part.intArg;
    switch (part.kind) {
      case TransformKind.wildcard:
        return part.sourceIndexes.length > 0 && part.sourceIndexes[0] < tokens.length
          ? tokens[part.sourceIndexes[0]] : "";
      case TransformKind.partition: {
        const key = part.sourceIndexes.length > 0
          ? part.sourceIndexes.map((i) => tokens[i]).join("") : tokens.join(".");
        return n === 0 ? "0" : String(fnv1a32(key) % n);
      }
      case TransformKind.random:
        return n === 0 ? "0" : String(Math.floor(this.#random() * 2 ** 31) % n);
      case TransformKind.split:
        return splitToken(token, part.stringArg);
      default:
        return sliceToken(part.kind, token, n);
    }
  }
}

/** Destination parts when the source has wildcards. */
function wildcardParts(s: SubjectInfo, destTokens: string[], strict: boolean,
  destination: string): DestinationToken[] {
  // The N-th `*` of the source is at this token index.
  const wildcardAt = new Map<number, number>();
  s.tokens.forEach((t, i) => {
    if (t === "*") wildcardAt.set(wildcardAt.size + 1, i);
  });
  let placeholders = 0;
  const parts = destTokens.map((token): DestinationToken => {
    const p = parsePlaceholder(token);
    if (strict && p.kind !== TransformKind.none && p.kind !== TransformKind.wildcard) {
      throw new TransformError(TransformErrorText.importOnlyWildcard, token);
    }
    if (p.kind === TransformKind.none) return { ...p, literal: token, sourceIndexes: [-1] };
    if (p.kind === TransformKind.random) return { ...p, literal: token, sourceIndexes: [] };
    placeholders += p.wildcards.length;
    const sourceIndexes = p.wildcards.map((w) => {
      if (w > s.partialWildcards) {
        throw new TransformError(TransformErrorText.indexOutOfRange, `${token}: [${w}]`);
      }
      return wildcardAt.get(w) ?? 0;
    });
    return { ...p, literal: token, sourceIndexes };
  });
  if (strict && placeholders < s.partialWildcards) {
    throw new TransformError(TransformErrorText.notUsingAllWildcards, destination);
  }
  return parts;
}

/** Destination parts when the source is literal: only partition() and random() apply. */
function literalParts(destTokens: string[]): DestinationToken[] {
  return destTokens.map((token) => {
    const p = parsePlaceholder(token);
    if (p.kind === TransformKind.none) return { ...p, literal: token, sourceIndexes: [-1] };
    if (p.kind === TransformKind.random || p.kind === TransformKind.partition) {
      return { ...p, literal: token, sourceIndexes: [] };
    }
    throw new TransformError(TransformErrorText.indexOutOfRange, token);
  });
}

/** Go's Split transform: separators dropped, empty pieces skipped. */
function splitToken(token: string, separator: string): string {
  const pieces = token.split(separator);
  let out = "";
  for (let j = 0; j < pieces.length; j++) {
    if (pieces[j] !== "") out += pieces[j];
    if (j < pieces.length - 1 && pieces[j + 1] !== "" && !(j === 0 && pieces[j] === "")) {
      out += ".";
    }
  }
  return out;
}

function sliceToken(kind: TransformKind, token: string, n: number): string {
  const length = token.length;
  if (!(n > 0 && n < length)) return token;
  switch (kind) {
    case TransformKind.splitFromLeft:
      return `${token.slice(0, n)}.${token.slice(n)}`;
    case TransformKind.splitFromRight:
      return `${token.slice(0, length - n)}.${token.slice(length - n)}`;
    case TransformKind.left:
      return token.slice(0, n);
    case TransformKind.right:
      return token.slice(length - n);
    case TransformKind.sliceFromLeft: {
      const pieces: string[] = [];
      for (let i = 0; i < length; i += n) pieces.push(token.slice(i, i + n));
      return pieces.join(".");
    }
    default: {
      const pieces: string[] = [];
      const remainder = length % n;
      if (remainder > 0) pieces.push(token.slice(0, remainder));
      for (let i = remainder; i < length; i += n) pieces.push(token.slice(i, i + n));
      return pieces.join(".");
    }
  }
}

/**
 * Go's ValidateMapping for a `mappings` entry: destination tokens are well formed, function
 * tokens name a known function, then the transform must build.
 * @throws TransformError with nats-server's text.
 */
export function validateMapping(source: string, destination: string): void {
  if (destination === "") return;
  let fullWildcard = false;
  for (const t of destination.split(".")) {
    if (t.length === 0 || fullWildcard) {
      throw new TransformError(TransformErrorText.invalidTransform, t);
    }
    if (isMustache(t)) {
      const known = FUNCTIONS.some(([kind, regex]) => VALIDATED_FUNCTIONS.has(kind) &&
        regex.test(t));
      if (!known) throw new TransformError(TransformErrorText.unknownFunction, t);
      continue;
    }
    if (t === ">") fullWildcard = true;
    else if (/[\t\n\f\r ]/.test(t)) throw new TransformError(TransformErrorText.invalidTransform);
  }
  SubjectTransform.create(source, destination);
}

/** Go's transformTokenize: `foo.*.*` becomes `foo.$1.$2`. */
export function tokenizeWildcards(subject: string): string {
  let n = 0;
  return subject.split(".").map((t) => (t === "*" ? `$${++n}` : t)).join(".");
}

/** Go's transformUntokenize: `foo.$2.$1` becomes `foo.*.*` and its placeholders in order. */
export function untokenizeWildcards(subject: string): { subject: string; placeholders: string[] } {
  const placeholders: string[] = [];
  const tokens = subject.split(".").map((t) => {
    const wildcardFn = /\{\{\s*[wW]ildcard\s*\((.*)\)\s*\}\}/.exec(t);
    const isDollar = t.length > 1 && t[0] === "$" && t[1] >= "1" && t[1] <= "9";
    if (isDollar || (wildcardFn !== null && wildcardFn[1] !== "" && !wildcardFn[1].includes(","))) {
      placeholders.push(t);
      return "*";
    }
    return t;
  });
  return { subject: tokens.join("."), placeholders };
}

/** True when `subject` is a valid subject for a transform source (Go's IsValidSubject). */
export function isTransformSource(subject: string): boolean {
  return isValidSubject(subject);
}
