/**
 * The `$JS.ACK` reply subject every consumer-delivered message carries, and the `$JS.FC` flow
 * control subject (nats-server consumer.go: ackReply, ackReplyInfo, fcReply; ADR-15).
 *
 * v1 (9 tokens):  `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>`
 * v2 (11+ tokens): `$JS.ACK.<domain or _>.<account hash>.<stream>.<consumer>.<delivered>.<sseq>.
 *   <dseq>.<ts>.<pending>[.<more>]` — the server accepts both and sends v1 unless told otherwise.
 * @module
 */
import { createHash } from "node:crypto";

const ACK_PREFIX = "$JS.ACK.";
const FC_PREFIX = "$JS.FC.";
const V1_TOKENS = 9;
const V2_TOKENS_MIN = 11;
/** Base-62 digits nats-server uses for hashes and random suffixes. */
export const HASH_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ACCOUNT_HASH_CHARS = 8;
const FC_SUFFIX_CHARS = 4;

/** The numbers an ack reply subject encodes. */
export interface AckReplyInfo {
  /** How many times the message has been delivered, this delivery included. */
  delivered: number;
  streamSeq: number;
  consumerSeq: number;
  /** The message's stream time, unix nanoseconds. */
  tsNs: bigint;
  /** Messages left for the consumer after this one. */
  pending: number;
}

/** nats-server's 8-character account hash (getHash: sha256, each byte mod 62). */
export function accountHash(account: string): string {
  const digest = createHash("sha256").update(account, "utf8").digest();
  let out = "";
  for (let i = 0; i < ACCOUNT_HASH_CHARS; i++) out += HASH_DIGITS[digest[i] % 62];
  return out;
}

export interface AckSubjectNames {
  stream: string;
  consumer: string;
  /** The JetStream domain; "" becomes "_" in v2 subjects. */
  domain?: string;
  /** The account name, hashed into v2 subjects. */
  account?: string;
  /** Send v2 reply subjects (nats-server feature flag js_ack_fc_v2). */
  v2?: boolean;
}

/** Builds the reply and subscription subjects of one consumer. */
export class AckSubjects {
  readonly #prefix: string;
  readonly #fcPrefix: string;
  /** The wildcard subscriptions that receive this consumer's acks (v1 and v2). */
  readonly ackSubscriptions: readonly string[];
  /** The wildcard subscriptions that receive flow control replies (v1 and v2). */
  readonly fcSubscriptions: readonly string[];

  constructor(names: AckSubjectNames) {
    const domain = names.domain ? names.domain : "_";
    const hash = accountHash(names.account ?? "$G");
    const v1 = `${names.stream}.${names.consumer}`;
    const v2 = `${domain}.${hash}.${names.stream}.${names.consumer}`;
    this.#prefix = `${ACK_PREFIX}${names.v2 ? v2 : v1}.`;
    this.#fcPrefix = `${FC_PREFIX}${names.v2 ? v2 : v1}.`;
    this.ackSubscriptions = [`${ACK_PREFIX}${v1}.*.*.*.*.*`, `${ACK_PREFIX}${v2}.*.*.*.*.>`];
    this.fcSubscriptions = [`${FC_PREFIX}${v1}.*`, `${FC_PREFIX}${v2}.*`];
  }

  /** The reply subject for one delivery. */
  reply(delivered: number, streamSeq: number, consumerSeq: number, tsNs: bigint, pending: number):
    string {
    return this.#prefix + delivered + "." + streamSeq + "." + consumerSeq + "." +
      this.#tsText.format(tsNs) + "." + pending;
  }

  readonly #tsText = new TimestampText();

  /** A flow control reply subject; `random` gives [0, 1) numbers for the 4-character suffix. */
  flowControlReply(random: () => number): string {
    let suffix = "";
    for (let i = 0; i < FC_SUFFIX_CHARS; i++) suffix += HASH_DIGITS[Math.floor(random() * 62)];
    return this.#fcPrefix + suffix;
  }
}

const NS_PER_SECOND = 1_000_000_000;
const NS_PER_SECOND_BIG = 1_000_000_000n;
const ZEROS = "000000000";

/**
 * Decimal text of unix-nanosecond timestamps, fast for runs of messages stored within the same
 * second: BigInt to string costs a few hundred nanoseconds in Bun, so the seconds are converted
 * once per second and only the nanoseconds within it per message (every delivery's ack reply
 * carries its message's timestamp).
 */
export class TimestampText {
  #second = -1;
  #secondNs = 0n;
  #secondText = "";

  format(tsNs: bigint): string {
    // A double is within a microsecond of the exact value: its second is right or one off,
    // and the exact remainder below tells which.
    const second = Math.floor(Number(tsNs) / NS_PER_SECOND);
    if (second !== this.#second) {
      if (second <= 0 || !Number.isSafeInteger(second)) return tsNs.toString();
      this.#second = second;
      this.#secondNs = BigInt(second) * NS_PER_SECOND_BIG;
      this.#secondText = String(second);
    }
    const within = Number(tsNs - this.#secondNs);
    if (within < 0 || within >= NS_PER_SECOND) return tsNs.toString();
    const digits = String(within);
    return this.#secondText + ZEROS.slice(digits.length) + digits;
  }
}

function parseDecimal(token: string): number {
  if (token.length === 0 || token.length > 16) return -1;
  let n = 0;
  for (let i = 0; i < token.length; i++) {
    const d = token.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return Number.isSafeInteger(n) ? n : -1;
}

function parseTs(token: string): bigint | null {
  if (!/^[0-9]{1,19}$/.test(token)) return null;
  const ts = BigInt(token);
  return ts <= (1n << 63n) - 1n ? ts : null;
}

/**
 * The numbers in an ack reply subject, or null when it is not one (wrong prefix, token count or
 * a token that is not a decimal number). Like nats-server, the stream and consumer tokens are not
 * checked here: the subscription already routed the ack to its consumer.
 */
export function parseAckReply(subject: string): AckReplyInfo | null {
  if (!subject.startsWith(ACK_PREFIX)) return null;
  const tokens = subject.split(".");
  if (tokens.length !== V1_TOKENS && tokens.length < V2_TOKENS_MIN) return null;
  const offset = tokens.length >= V2_TOKENS_MIN ? 4 : 2;
  const delivered = parseDecimal(tokens[offset + 2]);
  const streamSeq = parseDecimal(tokens[offset + 3]);
  const consumerSeq = parseDecimal(tokens[offset + 4]);
  const tsNs = parseTs(tokens[offset + 5]);
  const pending = parseDecimal(tokens[offset + 6]);
  if (delivered < 0 || streamSeq < 0 || consumerSeq < 0 || pending < 0 || tsNs === null) {
    return null;
  }
  return { delivered, streamSeq, consumerSeq, tsNs, pending };
}
