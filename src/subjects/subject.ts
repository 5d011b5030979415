/**
 * Subject rules as nats-server applies them (reference section 1.7, `server/sublist.go`, ADR-6).
 *
 * A subject is a list of tokens separated by `.`. No token may be empty. `*` (one token) and `>`
 * (one or more trailing tokens) are wildcards only when they are a whole token, so `foo*` and
 * `>bar` are literal tokens, and `>` may only be the last token.
 * @module
 */

const DOT = 46;
const STAR = 42;
const GREATER = 62;
const REPLACEMENT_CHARACTER = 0xfffd;

/** The whitespace nats-server rejects inside a token: space, \t, \n, \r, \f. */
function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12;
}

/** Index of the `.` ending the token that starts at `start`, or `subject.length`. */
function tokenEnd(subject: string, start: number): number {
  const dot = subject.indexOf(".", start);
  return dot < 0 ? subject.length : dot;
}

function isWildcardToken(subject: string, start: number, end: number, code: number): boolean {
  return end - start === 1 && subject.charCodeAt(start) === code;
}

/**
 * The structural rules the subject index itself enforces (Go's `Sublist.Insert`): non-empty tokens
 * and `>` only as the last token. Whitespace is not checked here, as in Go.
 */
export function isWellFormedSubject(subject: string): boolean {
  if (subject.length === 0) return false;
  let start = 0;
  for (;;) {
    const end = tokenEnd(subject, start);
    if (end === start) return false;
    if (end === subject.length) return true;
    if (isWildcardToken(subject, start, end, GREATER)) return false;
    start = end + 1;
  }
}

/** Options of {@linkcode isValidSubject}. */
export interface SubjectCheckOptions {
  /** Also reject NUL and U+FFFD (what invalid UTF-8 decodes to), like Go's `checkRunes`. */
  checkRunes?: boolean;
}

/**
 * Go's `IsValidSubject`: well formed (wildcards allowed) and no whitespace in any token.
 * @example isValidSubject("foo.*.>") === true; isValidSubject("foo.>.bar") === false
 */
export function isValidSubject(subject: string, options?: SubjectCheckOptions): boolean {
  if (!isWellFormedSubject(subject)) return false;
  const checkRunes = options?.checkRunes === true;
  for (let i = 0; i < subject.length; i++) {
    const code = subject.charCodeAt(i);
    if (isWhitespace(code)) return false;
    if (checkRunes && (code === 0 || code === REPLACEMENT_CHARACTER)) return false;
  }
  return true;
}

/** Go's `subjectIsLiteral`: no `*` or `>` token. Does not check validity. */
export function isLiteralSubject(subject: string): boolean {
  let start = 0;
  for (;;) {
    const end = tokenEnd(subject, start);
    if (isWildcardToken(subject, start, end, STAR)) return false;
    if (isWildcardToken(subject, start, end, GREATER)) return false;
    if (end === subject.length) return true;
    start = end + 1;
  }
}

/** Go's `IsValidLiteralSubject` (what `pedantic` checks on PUB): non-empty tokens, no wildcards. */
export function isValidLiteralSubject(subject: string): boolean {
  return isWellFormedSubject(subject) && isLiteralSubject(subject);
}

/** Go's `IsValidPublishSubject`: a valid subject without wildcards. */
export function isValidPublishSubject(subject: string): boolean {
  return isValidSubject(subject) && isLiteralSubject(subject);
}

/** A queue group name: non-empty, no whitespace. */
export function isValidQueueName(queue: string): boolean {
  if (queue.length === 0) return false;
  for (let i = 0; i < queue.length; i++) if (isWhitespace(queue.charCodeAt(i))) return false;
  return true;
}

/** Number of tokens; 0 for the empty string (Go's `numTokens`). */
export function tokenCount(subject: string): number {
  if (subject.length === 0) return 0;
  let count = 1;
  for (let i = 0; i < subject.length; i++) if (subject.charCodeAt(i) === DOT) count++;
  return count;
}

function sameToken(
  a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number,
): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) {
    if (a.charCodeAt(aStart + i) !== b.charCodeAt(bStart + i)) return false;
  }
  return true;
}

/**
 * True when a message published to `literal` reaches a subscription on `pattern` (Go's
 * `matchLiteral`). Tokens of `literal` are taken verbatim; wildcards count only in `pattern`.
 * Allocation-free: the result cache runs this over every cached subject on a wildcard change.
 * @example subjectMatchesPattern("a.b.c", "a.*.c") === true
 * @example subjectMatchesPattern("a", "a.>") === false
 */
export function subjectMatchesPattern(literal: string, pattern: string): boolean {
  if (literal.length === 0 || pattern.length === 0) return false;
  let literalStart = 0;
  let patternStart = 0;
  for (;;) {
    // literalStart past the end: every literal token was consumed but the pattern goes on.
    if (literalStart > literal.length) return false;
    const patternEnd = tokenEnd(pattern, patternStart);
    const literalEnd = tokenEnd(literal, literalStart);
    const patternLast = patternEnd === pattern.length;
    if (patternLast && isWildcardToken(pattern, patternStart, patternEnd, GREATER)) return true;
    if (
      !isWildcardToken(pattern, patternStart, patternEnd, STAR) &&
      !sameToken(literal, literalStart, literalEnd, pattern, patternStart, patternEnd)
    ) return false;
    if (patternLast) return literalEnd === literal.length;
    patternStart = patternEnd + 1;
    literalStart = literalEnd + 1;
  }
}

/**
 * True when every subject matched by pattern `a` is also matched by pattern `b` (Go's
 * `subjectIsSubsetMatch`), e.g. `foo.*` is covered by `foo.>`, `*.*` and `>` but not by `foo.bar`.
 * False when either subject is not well formed.
 */
export function subjectIsSubsetOf(a: string, b: string): boolean {
  if (!isWellFormedSubject(a) || !isWellFormedSubject(b)) return false;
  let aStart = 0;
  let bStart = 0;
  for (;;) {
    if (aStart > a.length) return false;
    const bEnd = tokenEnd(b, bStart);
    if (isWildcardToken(b, bStart, bEnd, GREATER)) return true;
    const aEnd = tokenEnd(a, aStart);
    if (isWildcardToken(a, aStart, aEnd, GREATER)) return false;
    if (!isWildcardToken(b, bStart, bEnd, STAR)) {
      if (isWildcardToken(a, aStart, aEnd, STAR)) return false;
      if (!sameToken(a, aStart, aEnd, b, bStart, bEnd)) return false;
    }
    if (bEnd === b.length) return aEnd === a.length;
    aStart = aEnd + 1;
    bStart = bEnd + 1;
  }
}
