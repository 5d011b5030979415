/**
 * Permission lists: subject patterns, each optionally qualified by a queue group ("foo v1"),
 * matched the way nats-server matches its permission sublists. A subject being checked may
 * itself hold wildcards (a SUB to `foo.*`); its tokens are then taken verbatim, so `foo.*`
 * is allowed by `foo.*` or `foo.>`, and a deny of `foo.bar` does not stop it (delivery checks
 * that case, see permissions.ts).
 *
 * Lists are scanned linearly: they hold a handful of entries, and every decision is cached
 * per connection.
 * @module
 */
import {
  isLiteralSubject, isValidSubject, subjectIsSubsetOf, subjectMatchesPattern,
} from "../subjects/subject.ts";

export interface PatternEntry {
  readonly subject: string;
  /** Queue group qualifier; null for a plain entry. */
  readonly queue: string | null;
}

/** Why a permission entry was refused: nats-server's config error text. */
export class PermissionSubjectError extends Error {
  override name = "PermissionSubjectError";
}

/**
 * Splits "subject" or "subject queue" (Go's splitSubjectQueue).
 * @throws PermissionSubjectError for more than two fields or an invalid subject or queue.
 */
export function splitSubjectQueue(text: string): PatternEntry {
  const fields = text.trim().split(/\s+/).filter((f) => f !== "");
  if (fields.length === 0 || fields.length > 2) {
    throw new PermissionSubjectError(`invalid subject-queue "${text}"`);
  }
  const [subject, queue = null] = fields;
  if (!isValidSubject(subject) || (queue !== null && !isValidSubject(queue))) {
    throw new PermissionSubjectError(`invalid subject-queue "${text}"`);
  }
  return { subject, queue };
}

/**
 * Go's checkPermSubjectArray: every entry is a valid subject, or (when queues are allowed)
 * exactly "subject queue" with both valid.
 * @throws PermissionSubjectError with nats-server's text.
 */
export function checkPermissionSubjects(list: readonly string[], allowQueue: boolean): void {
  for (const text of list) {
    if (isValidSubject(text)) continue;
    if (!allowQueue) throw new PermissionSubjectError(`subject "${text}" is not a valid subject`);
    const fields = text.split(/[ \t\n\r\f\v]+/).filter((f) => f !== "");
    if (fields.length !== 2) {
      throw new PermissionSubjectError(`subject "${text}" is not a valid subject`);
    }
    if (!isValidSubject(fields[0])) {
      throw new PermissionSubjectError(`subject "${fields[0]}" is not a valid subject`);
    }
    if (!isValidSubject(fields[1])) {
      throw new PermissionSubjectError(`queue "${fields[1]}" is not a valid queue`);
    }
  }
}

/** Go's queueMatches: `queue` is named by (or, for wildcard names, covered by) a matched entry. */
function queueMatches(queue: string, names: readonly string[]): boolean {
  for (const name of names) {
    if (queue === name) return true;
    if (!isLiteralSubject(name) && subjectIsSubsetOf(queue, name)) return true;
  }
  return false;
}

export class PatternList {
  readonly #plain: string[] = [];
  readonly #queued: PatternEntry[] = [];

  constructor(entries: readonly PatternEntry[]) {
    for (const entry of entries) {
      if (entry.queue === null) this.#plain.push(entry.subject);
      else this.#queued.push(entry);
    }
  }

  /** Entries as "subject" or "subject queue", plain ones first. */
  get entries(): string[] {
    return [...this.#plain, ...this.#queued.map((e) => `${e.subject} ${e.queue}`)];
  }

  get size(): number {
    return this.#plain.length + this.#queued.length;
  }

  /** True when a plain entry matches `subject`. */
  hasPlainMatch(subject: string): boolean {
    const plain = this.#plain;
    for (let i = 0; i < plain.length; i++) {
      if (subjectMatchesPattern(subject, plain[i])) return true;
    }
    return false;
  }

  /** True when any entry, plain or queue-qualified, matches (Go's NumInterest > 0). */
  hasAnyMatch(subject: string): boolean {
    if (this.hasPlainMatch(subject)) return true;
    for (const entry of this.#queued) {
      if (subjectMatchesPattern(subject, entry.subject)) return true;
    }
    return false;
  }

  /** Queue names of the queue-qualified entries matching `subject`, deduplicated. */
  matchingQueues(subject: string): string[] {
    const names: string[] = [];
    for (const entry of this.#queued) {
      if (subjectMatchesPattern(subject, entry.subject) && !names.includes(entry.queue!)) {
        names.push(entry.queue!);
      }
    }
    return names;
  }

  /** Allow-list rule: a plain match allows, unless matching queue entries name other queues. */
  allows(subject: string, queue: string | null): boolean {
    let allowed = this.hasPlainMatch(subject);
    if (queue !== null) {
      const names = this.matchingQueues(subject);
      if (names.length > 0) allowed = queueMatches(queue, names);
    }
    return allowed;
  }

  /** Deny-list rule: a plain match denies; a queue subscription is denied by its queue name. */
  denies(subject: string, queue: string | null): boolean {
    if (this.hasPlainMatch(subject)) return true;
    if (queue === null) return false;
    const names = this.matchingQueues(subject);
    return names.length > 0 && queueMatches(queue, names);
  }

  /** True when some entry could match a subject that `subject` (maybe a wildcard) matches. */
  collidesWith(subject: string): boolean {
    for (const s of this.#plain) if (subjectsCollide(s, subject)) return true;
    for (const e of this.#queued) if (subjectsCollide(e.subject, subject)) return true;
    return false;
  }
}

function tokensCanMatch(a: string, b: string): boolean {
  return a === "*" || a === ">" || b === "*" || b === ">" || a === b;
}

/** Go's SubjectsCollide: some literal subject could match both patterns. */
export function subjectsCollide(a: string, b: string): boolean {
  if (a === b) return true;
  const aTokens = a.split(".");
  const bTokens = b.split(".");
  const aLiteral = isLiteralSubject(a);
  const bLiteral = isLiteralSubject(b);
  if (aLiteral && bLiteral) return false;
  if (aLiteral) return subjectMatchesPattern(a, b);
  if (bLiteral) return subjectMatchesPattern(b, a);
  const aFull = aTokens[aTokens.length - 1] === ">";
  const bFull = bTokens[bTokens.length - 1] === ">";
  if (aTokens.length !== bTokens.length) {
    if (!aFull && !bFull) return false;
    if (aTokens.length < bTokens.length && !aFull) return false;
    if (bTokens.length < aTokens.length && !bFull) return false;
  }
  const stop = Math.min(aTokens.length, bTokens.length);
  for (let i = 0; i < stop; i++) if (!tokensCanMatch(aTokens[i], bTokens[i])) return false;
  return true;
}
