/**
 * Subject rules as nats-server applies them (reference section 1.7).
 * @module
 */

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12;
}

/** Valid for SUB: non-empty tokens, wildcards only as whole tokens, `>` only last. */
export function isValidSubject(subject: string): boolean {
  if (subject.length === 0) return false;
  let tokenStart = 0;
  for (let i = 0; i <= subject.length; i++) {
    if (i < subject.length && subject.charCodeAt(i) !== 46) {
      if (isWhitespace(subject.charCodeAt(i))) return false;
      continue;
    }
    const length = i - tokenStart;
    if (length === 0) return false;
    if (length === 1 && subject.charCodeAt(tokenStart) === 62 && i !== subject.length) return false;
    tokenStart = i + 1;
  }
  return true;
}

export function isLiteralSubject(subject: string): boolean {
  let tokenStart = 0;
  for (let i = 0; i <= subject.length; i++) {
    if (i < subject.length && subject.charCodeAt(i) !== 46) continue;
    if (i - tokenStart === 1) {
      const c = subject.charCodeAt(tokenStart);
      if (c === 42 || c === 62) return false;
    }
    tokenStart = i + 1;
  }
  return true;
}

export function isValidPublishSubject(subject: string): boolean {
  return isValidSubject(subject) && isLiteralSubject(subject);
}

export function isValidQueueName(queue: string): boolean {
  if (queue.length === 0) return false;
  for (let i = 0; i < queue.length; i++) if (isWhitespace(queue.charCodeAt(i))) return false;
  return true;
}

export function tokenCount(subject: string): number {
  let count = 1;
  for (let i = 0; i < subject.length; i++) if (subject.charCodeAt(i) === 46) count++;
  return count;
}

/** True when the literal subject matches the (possibly wildcard) pattern. */
export function subjectMatchesPattern(literal: string, pattern: string): boolean {
  const subjectTokens = literal.split(".");
  const patternTokens = pattern.split(".");
  for (let i = 0; i < patternTokens.length; i++) {
    const token = patternTokens[i];
    if (token === ">") return i < subjectTokens.length;
    if (i >= subjectTokens.length) return false;
    if (token !== "*" && token !== subjectTokens[i]) return false;
  }
  return subjectTokens.length === patternTokens.length;
}

/** True when every subject matched by pattern `a` is also matched by pattern `b`. */
export function subjectIsSubsetOf(a: string, b: string): boolean {
  const aTokens = a.split(".");
  const bTokens = b.split(".");
  for (let i = 0; i < bTokens.length; i++) {
    const token = bTokens[i];
    if (token === ">") return i < aTokens.length;
    if (i >= aTokens.length) return false;
    const aToken = aTokens[i];
    if (aToken === ">") return false;
    if (token === "*") continue;
    if (aToken === "*" || aToken !== token) return false;
  }
  return aTokens.length === bTokens.length;
}
