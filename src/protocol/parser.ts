/**
 * The client protocol parser: one byte-level state machine that turns a stream of chunks into
 * operations (reference section 1.1). It keeps its state across `parse()` calls, takes arguments
 * as offsets into the chunk, and copies only when an operation straddles two chunks. Everything
 * else (authentication, permissions, delivery) belongs to the handler.
 * @module
 */

import { parseSize } from "./size.ts";

/** How parsing stopped, when it did not consume the whole chunk normally. */
export const ParseStatus = {
  ok: 0,
  /** Unknown verb or malformed framing: Go answers `-ERR 'Unknown Protocol Operation'`. */
  unknownOperation: 1,
  /** Bad arguments (sizes, counts): Go closes without any `-ERR`. */
  protocolViolation: 2,
  /** A control line longer than `max_control_line`. */
  maxControlLine: 3,
  /** A PUB/HPUB announcing more than `max_payload` bytes. */
  maxPayload: 4,
  /** HPUB from a client that did not negotiate headers: closed without `-ERR`. */
  headersNotSupported: 5,
  /** The handler refused the operation (e.g. not authenticated); it has answered already. */
  refused: 6,
  /** The handler closed the connection while processing an operation. */
  stopped: 7,
} as const;
export type ParseStatus = (typeof ParseStatus)[keyof typeof ParseStatus];

/** Arguments of the PUB or HPUB being parsed; offsets point into `argBuf`. */
export class PubArgs {
  argBuf: Uint8Array = EMPTY;
  subjectStart = 0;
  subjectEnd = 0;
  replyStart = 0;
  replyEnd = 0;
  /** Header block size for HPUB, -1 for PUB. */
  headerBytes = -1;
  /** Payload size including headers. */
  totalBytes = 0;
}

/** What the parser calls; every method returns false when the connection must stop. */
export interface ParserHandler {
  /** Called at the first byte of every operation; false refuses it (the handler answered). */
  allowOperation(isConnect: boolean): boolean;
  onPub(args: PubArgs, payload: Uint8Array, start: number, end: number): boolean;
  onSub(subject: string, queue: string | null, sid: string): boolean;
  onUnsub(sid: string, maxMsgs: number): boolean;
  onConnect(json: string): boolean;
  onInfo(json: string): boolean;
  onPing(): boolean;
  onPong(): boolean;
  onErr(text: string): boolean;
  /** Pedantic clients get `-ERR 'Invalid Publish Subject'`; the message is still processed. */
  checkPublishSubject(args: PubArgs): void;
}

export interface ParserLimits {
  maxControlLineBytes: number;
  maxPayloadBytes: number;
  headersSupported: boolean;
}

const EMPTY = new Uint8Array(0);
/** First allocation for a control line split across reads. */
const ARG_BUF_BYTES_MIN = 128;
const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;

/** Parser states. Verb states match one letter each, as Go's parser does. */
const enum S {
  Start,
  Verb, // matching the letters of `verb`
  VerbSpace, // after an argument verb: at least one space or tab
  ArgSpace, // skipping spaces and tabs before the argument
  Arg, // collecting the argument line until LF
  IgnoreLine, // PING, PONG, +OK: anything until LF
  Payload,
  PayloadCr,
  PayloadLf,
}

const enum Op { None, Pub, Hpub, Sub, Unsub, Connect, Info, Ping, Pong, Ok, Err }

const VERB_TEXT: Record<number, string> = {
  [Op.Pub]: "PUB", [Op.Hpub]: "HPUB", [Op.Sub]: "SUB", [Op.Unsub]: "UNSUB",
  [Op.Connect]: "CONNECT", [Op.Info]: "INFO", [Op.Ping]: "PING", [Op.Pong]: "PONG",
  [Op.Ok]: "+OK", [Op.Err]: "-ERR",
};
const VERB_BYTES: Record<number, Uint8Array> = Object.fromEntries(
  Object.entries(VERB_TEXT).map(([op, text]) => [op, new TextEncoder().encode(text)]),
);

/** Operations whose verb must be followed by a space or tab (CONNECT and INFO need not). */
function needsSpaceAfterVerb(op: Op): boolean {
  return op === Op.Pub || op === Op.Hpub || op === Op.Sub || op === Op.Unsub || op === Op.Err;
}

export class Parser {
  readonly pubArgs = new PubArgs();
  #state: S = S.Start;
  #op: Op = Op.None;
  #verbIndex = 0;
  /** Start of the argument in the current chunk, or -1 when it is being copied to argBuf. */
  #argStart = 0;
  #drop = 0;
  /** Holds a control line split across chunks. */
  #argBuf: Uint8Array;
  #argLength = 0;
  #argSplit = false;
  /** Holds a payload split across chunks (null while the payload is in the current chunk). */
  #msgBuf: Uint8Array | null = null;
  #msgLength = 0;
  #payloadStart = 0;
  readonly #handler: ParserHandler;
  readonly #limits: ParserLimits;

  constructor(handler: ParserHandler, limits: ParserLimits) {
    this.#handler = handler;
    this.#limits = limits;
    // Allocated on the first control line split across reads: idle connections cost nothing.
    this.#argBuf = EMPTY;
  }

  /** True between operations (no partial operation is buffered). */
  get idle(): boolean {
    return this.#state === S.Start;
  }

  /** Updates limits that a config reload may change. */
  setLimits(limits: Partial<ParserLimits>): void {
    Object.assign(this.#limits, limits);
  }

  parse(buf: Uint8Array): ParseStatus {
    const length = buf.length;
    let i = 0;
    for (; i < length; i++) {
      const b = buf[i];
      switch (this.#state) {
        case S.Start: {
          // Fast path for the most common operation: "PUB " whole in this chunk.
          if ((b | 0x20) === 0x70 && i + 3 < length && (buf[i + 1] | 0x20) === 0x75 &&
            (buf[i + 2] | 0x20) === 0x62 && (buf[i + 3] === SPACE || buf[i + 3] === TAB)) {
            if (!this.#handler.allowOperation(false)) return ParseStatus.refused;
            this.#op = Op.Pub;
            this.#state = S.ArgSpace;
            i += 3;
            break;
          }
          const op = opForFirstByte(b);
          if (!this.#handler.allowOperation(op === Op.Connect)) return ParseStatus.refused;
          if (op === Op.None) return ParseStatus.unknownOperation;
          this.#op = op;
          this.#verbIndex = 1;
          this.#state = S.Verb;
          break;
        }
        case S.Verb: {
          if (this.#op === Op.Ping && this.#verbIndex === 1) {
            // 'P' starts PUB, PING and PONG: the second letter decides.
            this.#op = opForSecondP(b);
            if (this.#op === Op.None) return ParseStatus.unknownOperation;
          }
          const verb = VERB_BYTES[this.#op];
          if (this.#verbIndex < verb.length) {
            if ((b & 0xdf) !== verb[this.#verbIndex] && b !== verb[this.#verbIndex]) {
              return ParseStatus.unknownOperation;
            }
            this.#verbIndex++;
            if (this.#verbIndex === verb.length) this.#afterVerb();
            break;
          }
          break;
        }
        case S.VerbSpace:
          if (b !== SPACE && b !== TAB) return ParseStatus.unknownOperation;
          this.#state = S.ArgSpace;
          break;
        case S.ArgSpace: {
          if (b === SPACE || b === TAB) break;
          this.#state = S.Arg;
          this.#argStart = i;
          this.#argSplit = false;
          // Find the line end in one tight scan; like Go, a CR anywhere in the line drops the
          // byte before the LF.
          // (A plain loop beats indexOf's native call for control lines of typical length.)
          let lineEnd = i;
          let drop = 0;
          for (; lineEnd < length; lineEnd++) {
            const c = buf[lineEnd];
            if (c === LF) break;
            if (c === CR) drop = 1;
          }
          this.#drop = drop;
          i = lineEnd - 1; // the next iteration reads the LF in the Arg state
          break;
        }
        case S.Arg:
          if (b === CR) {
            this.#drop = 1;
          } else if (b === LF) {
            const status = this.#dispatchArg(buf, i);
            if (status !== ParseStatus.ok) return status;
            if ((this.#state as S) === S.Payload) {
              this.#payloadStart = i + 1;
              // Jump over the payload when it is all in this chunk.
              const end = i + 1 + this.pubArgs.totalBytes;
              if (end <= length) {
                i = end - 1;
                this.#state = S.PayloadCr;
              } else {
                // The payload runs past this chunk: collect it in its own buffer.
                this.#copyArgsOutOf(buf);
                this.#msgBuf = new Uint8Array(this.pubArgs.totalBytes);
                this.#msgLength = 0;
              }
            }
          } else if (this.#argSplit) {
            if (this.#argLength >= this.#limits.maxControlLineBytes) {
              return ParseStatus.maxControlLine;
            }
            this.#appendArgByte(b);
          }
          break;
        case S.IgnoreLine:
          if (b === LF) {
            const status = this.#dispatchLine();
            if (status !== ParseStatus.ok) return status;
          }
          break;
        case S.Payload: {
          // Only reached when the payload started in an earlier chunk or runs past this one.
          const msgBuf = this.#msgBuf!;
          const wanted = this.pubArgs.totalBytes - this.#msgLength;
          const available = length - i;
          const copied = wanted < available ? wanted : available;
          msgBuf.set(buf.subarray(i, i + copied), this.#msgLength);
          this.#msgLength += copied;
          i += copied - 1;
          if (this.#msgLength === this.pubArgs.totalBytes) this.#state = S.PayloadCr;
          break;
        }
        case S.PayloadCr:
          if (b !== CR) return ParseStatus.unknownOperation;
          this.#state = S.PayloadLf;
          break;
        case S.PayloadLf: {
          if (b !== LF) return ParseStatus.unknownOperation;
          this.#state = S.Start;
          const status = this.#dispatchPayload(buf);
          if (status !== ParseStatus.ok) return status;
          break;
        }
      }
    }
    return this.#saveSplitState(buf);
  }

  #afterVerb(): void {
    const op = this.#op;
    if (op === Op.Ping || op === Op.Pong || op === Op.Ok) {
      this.#state = S.IgnoreLine;
    } else if (needsSpaceAfterVerb(op)) {
      this.#state = S.VerbSpace;
    } else {
      this.#state = S.ArgSpace;
    }
  }

  #appendArgByte(b: number): void {
    if (this.#argLength === this.#argBuf.length) {
      const grown = new Uint8Array(Math.max(ARG_BUF_BYTES_MIN, this.#argBuf.length * 2));
      grown.set(this.#argBuf);
      this.#argBuf = grown;
    }
    this.#argBuf[this.#argLength++] = b;
  }

  /** At the end of a chunk: copy whatever operation is still open so the next chunk can finish it. */
  #saveSplitState(buf: Uint8Array): ParseStatus {
    if (this.#state === S.Arg && !this.#argSplit) {
      const end = buf.length - this.#drop;
      const size = end - this.#argStart;
      if (size > this.#limits.maxControlLineBytes) return ParseStatus.maxControlLine;
      if (this.#argBuf.length < size) this.#argBuf = new Uint8Array(Math.max(size, 64) * 2);
      this.#argBuf.set(buf.subarray(this.#argStart, end));
      this.#argLength = size;
      this.#argSplit = true;
    } else if (
      (this.#state === S.PayloadCr || this.#state === S.PayloadLf) && this.#msgBuf === null
    ) {
      // The payload is complete in this chunk but its CR/LF is not: keep a copy of both.
      this.#copyArgsOutOf(buf);
      const total = this.pubArgs.totalBytes;
      this.#msgBuf = buf.slice(this.#payloadStart, this.#payloadStart + total);
      this.#msgLength = total;
    }
    return ParseStatus.ok;
  }

  /** The PUB arguments still point into a chunk that will be gone: give them their own bytes. */
  #copyArgsOutOf(buf: Uint8Array): void {
    const args = this.pubArgs;
    if (args.argBuf !== buf) return;
    const start = args.subjectStart;
    const end = args.replyEnd > args.subjectEnd ? args.replyEnd : args.subjectEnd;
    const copy = new Uint8Array(end - start);
    copy.set(buf.subarray(start, end));
    args.argBuf = copy;
    args.subjectEnd -= start;
    args.replyStart = args.replyStart > 0 ? args.replyStart - start : 0;
    args.replyEnd = args.replyEnd > 0 ? args.replyEnd - start : 0;
    args.subjectStart = 0;
  }

  #dispatchArg(buf: Uint8Array, lfIndex: number): ParseStatus {
    let argBuf: Uint8Array;
    let start: number;
    let end: number;
    if (this.#argSplit) {
      argBuf = this.#argBuf;
      start = 0;
      end = this.#argLength; // a CR is never appended to argBuf, so nothing to drop
    } else {
      argBuf = buf;
      start = this.#argStart;
      end = lfIndex - this.#drop;
    }
    this.#argSplit = false;
    this.#drop = 0;
    if (end - start > this.#limits.maxControlLineBytes) return ParseStatus.maxControlLine;
    const handler = this.#handler;
    switch (this.#op) {
      case Op.Pub:
      case Op.Hpub:
        return this.#parsePubArgs(argBuf, start, end);
      case Op.Sub:
        this.#state = S.Start;
        return this.#parseSub(argBuf, start, end);
      case Op.Unsub:
        this.#state = S.Start;
        return this.#parseUnsub(argBuf, start, end);
      case Op.Connect:
        this.#state = S.Start;
        return handler.onConnect(decode(argBuf, start, end)) ? ParseStatus.ok : ParseStatus.stopped;
      case Op.Info:
        this.#state = S.Start;
        return handler.onInfo(decode(argBuf, start, end)) ? ParseStatus.ok : ParseStatus.stopped;
      case Op.Err:
        this.#state = S.Start;
        return handler.onErr(decode(argBuf, start, end)) ? ParseStatus.ok : ParseStatus.stopped;
    }
    return ParseStatus.unknownOperation;
  }

  #dispatchLine(): ParseStatus {
    this.#state = S.Start;
    const handler = this.#handler;
    if (this.#op === Op.Ping) return handler.onPing() ? ParseStatus.ok : ParseStatus.stopped;
    if (this.#op === Op.Pong) return handler.onPong() ? ParseStatus.ok : ParseStatus.stopped;
    return ParseStatus.ok; // +OK from a client is ignored, as in Go
  }

  #dispatchPayload(buf: Uint8Array): ParseStatus {
    const msgBuf = this.#msgBuf;
    let ok: boolean;
    if (msgBuf !== null) {
      this.#msgBuf = null;
      ok = this.#handler.onPub(this.pubArgs, msgBuf, 0, this.pubArgs.totalBytes);
    } else {
      const start = this.#payloadStart;
      ok = this.#handler.onPub(this.pubArgs, buf, start, start + this.pubArgs.totalBytes);
    }
    return ok ? ParseStatus.ok : ParseStatus.stopped;
  }

  #parsePubArgs(argBuf: Uint8Array, start: number, end: number): ParseStatus {
    const isHpub = this.#op === Op.Hpub;
    if (isHpub && !this.#limits.headersSupported) return ParseStatus.headersNotSupported;
    const fields = splitFields(argBuf, start, end, FIELDS);
    const args = this.pubArgs;
    const expected = isHpub ? 3 : 2;
    if (fields !== expected && fields !== expected + 1) return ParseStatus.protocolViolation;
    const hasReply = fields === expected + 1;
    args.argBuf = argBuf;
    args.subjectStart = FIELDS[0];
    args.subjectEnd = FIELDS[1];
    args.replyStart = hasReply ? FIELDS[2] : 0;
    args.replyEnd = hasReply ? FIELDS[3] : 0;
    const sizeField = (fields - 1) * 2;
    args.totalBytes = parseSize(argBuf, FIELDS[sizeField], FIELDS[sizeField + 1]);
    args.headerBytes = -1;
    if (isHpub) {
      args.headerBytes = parseSize(argBuf, FIELDS[sizeField - 2], FIELDS[sizeField - 1]);
      if (args.headerBytes < 0 || args.totalBytes < 0) return ParseStatus.protocolViolation;
      if (args.headerBytes > args.totalBytes) return ParseStatus.protocolViolation;
    } else if (args.totalBytes < 0) {
      return ParseStatus.protocolViolation;
    }
    if (args.totalBytes > this.#limits.maxPayloadBytes) return ParseStatus.maxPayload;
    this.#handler.checkPublishSubject(args);
    if (this.#argSplit === false && argBuf === this.#argBuf) {
      // Arguments live in the reusable split buffer: give them their own copy.
      args.argBuf = argBuf.slice(start, end);
      shiftArgs(args, start);
    }
    this.#state = S.Payload;
    return ParseStatus.ok;
  }

  #parseSub(argBuf: Uint8Array, start: number, end: number): ParseStatus {
    const fields = splitFields(argBuf, start, end, FIELDS, true);
    if (fields !== 2 && fields !== 3) return ParseStatus.protocolViolation;
    const subject = decode(argBuf, FIELDS[0], FIELDS[1]);
    const queue = fields === 3 ? decode(argBuf, FIELDS[2], FIELDS[3]) : null;
    const sidField = (fields - 1) * 2;
    const sid = decode(argBuf, FIELDS[sidField], FIELDS[sidField + 1]);
    return this.#handler.onSub(subject, queue, sid) ? ParseStatus.ok : ParseStatus.stopped;
  }

  #parseUnsub(argBuf: Uint8Array, start: number, end: number): ParseStatus {
    const fields = splitFields(argBuf, start, end, FIELDS, true);
    if (fields !== 1 && fields !== 2) return ParseStatus.protocolViolation;
    const sid = decode(argBuf, FIELDS[0], FIELDS[1]);
    const maxMsgs = fields === 2 ? parseSize(argBuf, FIELDS[2], FIELDS[3]) : -1;
    return this.#handler.onUnsub(sid, maxMsgs) ? ParseStatus.ok : ParseStatus.stopped;
  }
}

/** Field offsets of the line being split: [start0, end0, start1, end1, ...]. */
const FIELDS_MAX = 5;
const FIELDS = new Int32Array(FIELDS_MAX * 2);

/**
 * Splits `buf[start, end)` on spaces and tabs (and CR/LF for SUB/UNSUB, as Go's splitArg does)
 * into FIELDS; returns the field count, or FIELDS_MAX + 1 when there are too many.
 */
function splitFields(
  buf: Uint8Array, start: number, end: number, out: Int32Array, lineBreaksSplit = false,
): number {
  let count = 0;
  let fieldStart = -1;
  for (let i = start; i < end; i++) {
    const b = buf[i];
    const isSeparator = b === SPACE || b === TAB || (lineBreaksSplit && (b === CR || b === LF));
    if (isSeparator) {
      if (fieldStart >= 0) {
        if (count === FIELDS_MAX) return FIELDS_MAX + 1;
        out[count * 2] = fieldStart;
        out[count * 2 + 1] = i;
        count++;
        fieldStart = -1;
      }
    } else if (fieldStart < 0) {
      fieldStart = i;
    }
  }
  if (fieldStart >= 0) {
    if (count === FIELDS_MAX) return FIELDS_MAX + 1;
    out[count * 2] = fieldStart;
    out[count * 2 + 1] = end;
    count++;
  }
  return count;
}

function shiftArgs(args: PubArgs, by: number): void {
  args.subjectStart -= by;
  args.subjectEnd -= by;
  if (args.replyEnd > 0) {
    args.replyStart -= by;
    args.replyEnd -= by;
  }
}

function opForFirstByte(b: number): Op {
  switch (b | 0x20) {
    case 0x70: return Op.Ping; // 'p': PUB, PING or PONG, decided by the next letter
    case 0x68: return Op.Hpub; // 'h'
    case 0x73: return Op.Sub; // 's'
    case 0x75: return Op.Unsub; // 'u'
    case 0x63: return Op.Connect; // 'c'
    case 0x69: return Op.Info; // 'i'
  }
  if (b === 0x2b) return Op.Ok; // '+'
  if (b === 0x2d) return Op.Err; // '-'
  return Op.None;
}

function opForSecondP(b: number): Op {
  switch (b | 0x20) {
    case 0x75: return Op.Pub; // 'u'
    case 0x69: return Op.Ping; // 'i'
    case 0x6f: return Op.Pong; // 'o'
  }
  return Op.None;
}

const utf8 = new TextDecoder();
/** Strings up to this many bytes are checked for ASCII and sliced directly. */
const ASCII_FAST_BYTES_MAX = 256;
type Slice = (this: Uint8Array, start: number, end: number) => string;
const latin1Slice = Buffer.prototype.latin1Slice as Slice;

/** Decodes protocol text (subjects, sids, JSON) from the wire. */
export function decode(buf: Uint8Array, start: number, end: number): string {
  // Short ASCII strings (subjects, sids) are the common case: Buffer's latin1 slice builds them
  // without a subarray view or the decoder's fixed cost (~6x faster than fromCharCode.apply).
  if (end - start <= ASCII_FAST_BYTES_MAX) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (buf[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return latin1Slice.call(buf, start, end);
  }
  return utf8.decode(buf.subarray(start, end));
}
