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
  const subjectBytes = encoder.encode(subject);
  const replyBytes = encoder.encode(reply);
  const argBuf = new Uint8Array(subjectBytes.length + replyBytes.length);
  argBuf.set(subjectBytes);
  argBuf.set(replyBytes, subjectBytes.length);
  args.argBuf = argBuf;
  args.subjectStart = 0;
  args.subjectEnd = subjectBytes.length;
  args.replyStart = subjectBytes.length;
  args.replyEnd = argBuf.length;
  args.headerBytes = headerBytes;
  args.totalBytes = totalBytes;
  return args;
}
