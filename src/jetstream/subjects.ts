/**
 * Subject and name rules JetStream adds to the core ones (src/subjects/subject.ts): whether two
 * subject patterns can match a common subject (stream subject overlap), and what a stream or
 * consumer name may contain.
 * @module
 */
import { isLiteralSubject, subjectIsSubsetOf } from "../subjects/subject.ts";

/** Characters nats-server refuses in stream and consumer names (isValidAssetName). */
const ASSET_NAME_FORBIDDEN = /[ \t\r\n\f.*>\\/]/;

/** Go's isValidAssetName: non-empty, no whitespace, `.`, `*`, `>`, `\` or `/`. */
export function isValidAssetName(name: string): boolean {
  return name !== "" && !ASSET_NAME_FORBIDDEN.test(name);
}

function tokensCanMatch(a: string, b: string): boolean {
  return a === "*" || b === "*" || a === ">" || b === ">" || a === b;
}

/**
 * True when some literal subject matches both patterns (Go's SubjectsCollide): `a.*` and `*.b`
 * collide on `a.b`; `a.*` and `a.b.c` do not.
 */
export function subjectsCollide(a: string, b: string): boolean {
  if (a === b) return true;
  const ta = a.split(".");
  const tb = b.split(".");
  const literalA = isLiteralSubject(a);
  const literalB = isLiteralSubject(b);
  if (literalA && literalB) return false;
  if (literalA) return subjectIsSubsetOf(a, b);
  if (literalB) return subjectIsSubsetOf(b, a);
  const fwcA = ta[ta.length - 1] === ">";
  const fwcB = tb[tb.length - 1] === ">";
  if (ta.length !== tb.length) {
    // The shorter one must end in `>` to reach the other's extra tokens.
    if ((ta.length < tb.length && !fwcA) || (tb.length < ta.length && !fwcB)) return false;
  }
  const stop = Math.min(ta.length, tb.length);
  for (let i = 0; i < stop; i++) if (!tokensCanMatch(ta[i], tb[i])) return false;
  return true;
}

/** True when the subject has a `*` or `>` token. */
export function hasWildcard(subject: string): boolean {
  return !isLiteralSubject(subject);
}
