/**
 * Subject filters for store queries: "" and ">" match everything; a filter without wildcard
 * tokens matches one subject; anything else is matched token by token.
 * @module
 */
import { subjectMatchesPattern } from "../../subjects/subject.ts";

export interface Filter {
  readonly all: boolean;
  readonly literal: boolean;
  readonly text: string;
  matches(subject: string): boolean;
}

function hasWildcardToken(filter: string): boolean {
  for (let i = 0; i < filter.length; i++) {
    const c = filter.charCodeAt(i);
    if (c !== 0x2a && c !== 0x3e) continue; // '*' or '>'
    const before = i === 0 || filter.charCodeAt(i - 1) === 0x2e;
    const after = i + 1 === filter.length || filter.charCodeAt(i + 1) === 0x2e;
    if (before && after) return true;
  }
  return false;
}

/** Parses a filter once for many matches. */
export function parseFilter(filter: string): Filter {
  const all = filter === "" || filter === ">";
  const literal = !all && !hasWildcardToken(filter);
  return {
    all,
    literal,
    text: filter,
    matches: all
      ? () => true
      : literal
      ? (subject) => subject === filter
      : (subject) => subjectMatchesPattern(subject, filter),
  };
}
