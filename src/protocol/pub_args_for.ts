/**
 * Publish arguments for an in-process publish or a rewritten subject: PubArgs whose subject
 * and reply are encoded into a fresh buffer (so a publish made while another is being
 * delivered never shares one).
 * @module
 */
import { PubArgs } from "./parser.ts";

const encoder = new TextEncoder();

export function pubArgsFor(
  subject: string, reply: string, headerBytes: number, totalBytes: number,
): PubArgs {
  const args = new PubArgs();
  // One encode for both: byte length equals character length only when both are ASCII.
  const argBuf = encoder.encode(subject + reply);
  const subjectBytes = argBuf.length === subject.length + reply.length
    ? subject.length : encoder.encode(subject).length;
  args.argBuf = argBuf;
  args.subjectStart = 0;
  args.subjectEnd = subjectBytes;
  args.replyStart = subjectBytes;
  args.replyEnd = argBuf.length;
  args.headerBytes = headerBytes;
  args.totalBytes = totalBytes;
  return args;
}
