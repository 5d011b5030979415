/**
 * What the crash test's writer stores at each sequence, so the parent can check every byte.
 * @module
 */
export function crashSubject(seq: number): string {
  return `crash.${seq % 10}`;
}

/** A payload only `seq` has: its number, then a run of bytes derived from it. */
export function crashPayload(seq: number): Uint8Array {
  const head = new TextEncoder().encode(`seq-${seq}-`);
  const out = new Uint8Array(head.length + ((seq * 37) % 500));
  out.set(head);
  for (let i = head.length; i < out.length; i++) out[i] = (seq * 31 + i * 17) & 0xff;
  return out;
}

/** The writer removes these sequences (one after each batch), so deletes are crash-tested too. */
export function isDeletedByWriter(seq: number): boolean {
  return seq % 13 === 5;
}
