/** Invariant checks: a failure is a bug in natsd, never a problem with the user's input. */
export class AssertionError extends Error {
  override name = "AssertionError";
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(`config: ${message}`);
}
