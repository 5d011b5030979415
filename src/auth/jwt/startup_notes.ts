/**
 * What nats-server logs about operator mode at start: the trusted operators (system account
 * audience, name, issue and expiry times), a warning without a system account, and the
 * preloaded account JWTs that are invalid or have validation issues (expired).
 * @module
 */
import { type AccountClaims, decodeClaims, type OperatorClaims, timeProblem } from "./claims.ts";

export interface StartupNotes {
  info: string[];
  warn: string[];
  error: string[];
}

/** Go's `%v` of a time.Time in UTC: "2006-01-02 15:04:05 +0000 UTC". */
function goTime(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}

export function operatorStartupNotes(operators: readonly OperatorClaims[],
  systemAccount: string, preload: Readonly<Record<string, string>>, nowSec: number):
  StartupNotes {
  const notes: StartupNotes = { info: [], warn: [], error: [] };
  if (operators.length === 0) return notes;
  notes.info.push("Trusted Operators");
  for (const op of operators) {
    const audience = (op as { aud?: string }).aud ?? "";
    notes.info.push(`  System  : ${JSON.stringify(audience)}`,
      `  Operator: ${JSON.stringify(op.name ?? "")}`, `  Issued  : ${goTime(op.iat ?? 0)}`,
      `  Expires : ${op.exp ? goTime(op.exp) : "Never"}`);
  }
  if (systemAccount === "") notes.warn.push("Trusted Operators should utilize a System Account");
  for (const [key, jwt] of Object.entries(preload)) {
    let claims: AccountClaims;
    try {
      claims = decodeClaims(jwt, "account");
    } catch {
      notes.error.push(`Preloaded account [${key}] not valid`);
      continue;
    }
    const problem = timeProblem(claims, nowSec);
    if (problem !== null) {
      notes.warn.push(`Account [${key}] has validation issues:`, `  - ${problem}`);
    }
  }
  return notes;
}
