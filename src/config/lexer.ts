/**
 * Lexer for the nats-server configuration format (Go's `conf` package grammar).
 *
 * A pushdown automaton: `state` says what may come next (a key, a value, the end of a value
 * in a given container), and `resumeStack` says where to continue when a map, array or
 * top-level `{ … }` wrapper closes. Scalars are scanned in one go. There is no recursion;
 * nesting is bounded by `treeDepthMax`. Every problem is thrown as a ConfigError naming
 * the file, line and column and what was expected.
 *
 * Deliberate differences from Go (all on input Go mishandles): an integer directly followed
 * by `]` ends the integer (Go turns `[1]` into the string "1]" and fails), a `)` block end
 * may be followed by `\r\n`, and a few inputs Go silently accepts as garbage are errors
 * (unterminated quoted key, empty include path).
 * @module
 */
import { ConfigError, type Position } from "./errors.ts";
import { keyLengthMax, treeDepthMax } from "./limits.ts";

export type TokenKind =
  | "key" | "string" | "bool" | "int" | "float" | "datetime" | "variable" | "include"
  | "arrayStart" | "arrayEnd" | "mapStart" | "mapEnd" | "eof";

export interface Token {
  kind: TokenKind;
  /** Key name, string contents (escapes applied), number text, variable name, include path. */
  text: string;
  line: number;
  column: number;
}

const State = {
  top: 0, topValueEnd: 1,
  block: 2, blockValueEnd: 3, blockEnd: 4,
  mapKey: 5, mapValueEnd: 6,
  arrayValue: 7, arrayValueEnd: 8,
  keyEndTop: 9, keyEndMap: 10,
} as const;
type State = (typeof State)[keyof typeof State];

const BOOL_WORDS = new Set(["true", "false", "yes", "no", "on", "off"]);
const SIZE_SUFFIX_FIRST = new Set([..."kKmMgGtTpPeE"]);
const SIZE_SUFFIX_REST = new Set([..."bBiI"]);
const DATE_TAIL = "00-00T00:00:00Z"; // after "YYYY-"; '0' stands for a digit

/** Go's unicode.IsSpace: what separates keys and is skipped between entries. */
export function isSpace(c: string): boolean {
  switch (c) {
    case " ": case "\t": case "\n": case "\v": case "\f": case "\r":
    case "\u0085": case "\u00a0": case "\u1680": case "\u2028": case "\u2029":
    case "\u202f": case "\u205f": case "\u3000":
      return true;
  }
  return c >= "\u2000" && c <= "\u200a";
}
const isBlank = (c: string) => c === " " || c === "\t";
const isNewline = (c: string) => c === "\n" || c === "\r";
const isDigit = (c: string) => c >= "0" && c <= "9";
const isHex = (c: string) => /^[0-9a-fA-F]$/.test(c);
const isSeparator = (c: string) => c === "=" || c === ":";
/** What ends an unquoted number (plus end of input). */
const endsNumber = (c: string) =>
  isNewline(c) || isBlank(c) || c === "}" || c === ";" || c === "," || c === "]";
/** What ends a size-suffixed number such as `4KB` (Go also ends it before a digit). */
const endsSuffixedNumber = (c: string) =>
  isNewline(c) || isBlank(c) || c === "}" || c === ";" || c === "," || isDigit(c);
/** What ends an unquoted string (plus end of input; `'` ends it and is consumed). */
const endsBareString = (c: string) =>
  isNewline(c) || isBlank(c) || c === ";" || c === "," || c === "]" || c === "}";

/** Collects string contents; `\xHH` escapes are raw bytes, decoded as UTF-8 at the end. */
class StringBuilder {
  #parts: (string | number)[] = [];
  #hasBytes = false;
  escaped = false;

  text(s: string): void { if (s !== "") this.#parts.push(s); }
  byte(b: number): void { this.#parts.push(b); this.#hasBytes = true; }

  build(): string {
    if (!this.#hasBytes) return this.#parts.join("");
    const bytes: number[] = [];
    const encoder = new TextEncoder();
    for (const part of this.#parts) {
      if (typeof part === "number") bytes.push(part);
      else for (const b of encoder.encode(part)) bytes.push(b);
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
  }
}

export class Lexer {
  readonly #text: string;
  readonly #file: string;
  #pos = 0;
  #line = 1;
  #lineStart = 0;
  #state: State = State.top;
  #afterValue: State = State.topValueEnd;
  readonly #resumeStack: State[] = [];

  constructor(text: string, file = "") {
    this.#text = text;
    this.#file = file;
  }

  /** The next token; throws ConfigError on malformed input. After "eof", keeps returning it. */
  next(): Token {
    for (;;) {
      const token = this.#step();
      if (token !== null) return token;
    }
  }

  #step(): Token | null {
    switch (this.#state) {
      case State.top: return this.#top();
      case State.topValueEnd: return this.#topValueEnd();
      case State.block: return this.#block();
      case State.blockValueEnd: return this.#blockValueEnd();
      case State.blockEnd: return this.#blockEnd();
      case State.mapKey: return this.#mapKey();
      case State.mapValueEnd: return this.#mapValueEnd();
      case State.arrayValue: return this.#arrayValue();
      case State.arrayValueEnd: return this.#arrayValueEnd();
      case State.keyEndTop: return this.#keyEndTop();
      case State.keyEndMap: return this.#keyEndMap();
    }
  }

  // ---- input helpers -------------------------------------------------------------------

  #eof(): boolean { return this.#pos >= this.#text.length; }
  #peek(offset = 0): string { return this.#text.charAt(this.#pos + offset); }

  #advance(): string {
    const c = this.#text.charAt(this.#pos);
    this.#pos++;
    if (c === "\n") {
      this.#line++;
      this.#lineStart = this.#pos;
    }
    return c;
  }

  #here(): Position {
    return { file: this.#file, line: this.#line, column: this.#pos - this.#lineStart + 1 };
  }

  #fail(reason: string, at: Position = this.#here()): never {
    throw new ConfigError(at, reason);
  }

  #describe(c: string): string {
    if (c === "") return "end of file";
    if (c === "\n") return "a new line";
    if (c === "\r") return "a carriage return";
    return `'${c}'`;
  }

  #token(kind: TokenKind, text: string, at: Position): Token {
    return { kind, text, line: at.line, column: at.column };
  }

  #skipSpaces(): void {
    while (!this.#eof() && isSpace(this.#peek())) this.#advance();
  }

  #skipBlanks(): void {
    while (isBlank(this.#peek())) this.#advance();
  }

  #atComment(): boolean {
    const c = this.#peek();
    return c === "#" || (c === "/" && this.#peek(1) === "/");
  }

  /** Skips to the end of the line, leaving the new line for the caller. */
  #skipComment(): void {
    while (!this.#eof() && !isNewline(this.#peek())) this.#advance();
  }

  #push(resume: State): void {
    if (this.#resumeStack.length >= treeDepthMax) {
      this.#fail(`maps and arrays nested deeper than ${treeDepthMax} levels`);
    }
    this.#resumeStack.push(resume);
  }

  #pop(): State {
    const resume = this.#resumeStack.pop();
    if (resume === undefined) throw new Error("config lexer: resume stack underflow");
    return resume;
  }

  // ---- key positions -------------------------------------------------------------------

  #top(): Token | null {
    this.#skipSpaces();
    if (this.#eof()) return this.#token("eof", "", this.#here());
    const c = this.#peek();
    if (c === "{") {
      this.#push(State.top);
      this.#advance();
      this.#state = State.block;
      return null;
    }
    if (this.#atComment()) {
      this.#skipComment();
      return null;
    }
    if (c === "/") this.#fail("unexpected '/': comments start with '#' or '//'");
    return this.#key("top", State.topValueEnd);
  }

  #block(): Token | null {
    this.#skipSpaces();
    // Go accepts a top-level `{` left open at the end of the file.
    if (this.#eof()) return this.#token("eof", "", this.#here());
    const c = this.#peek();
    if (c === "{") {
      this.#push(State.blockEnd);
      this.#advance();
      return null;
    }
    if (c === "}") {
      this.#advance();
      this.#state = this.#pop();
      return null;
    }
    if (this.#atComment()) {
      this.#skipComment();
      return null;
    }
    if (c === "/") this.#fail("unexpected '/': comments start with '#' or '//'");
    return this.#key("top", State.blockValueEnd);
  }

  #mapKey(): Token | null {
    this.#skipSpaces();
    if (this.#eof()) this.#fail("unexpected end of file in a map: expected a key or '}'");
    const c = this.#peek();
    if (isSeparator(c)) this.#fail(`unexpected key separator '${c}': expected a key`);
    if (c === "]") this.#fail("unexpected ']' in a map: expected a key or '}'");
    if (c === "}") {
      const at = this.#here();
      this.#advance();
      this.#state = this.#pop();
      return this.#token("mapEnd", "", at);
    }
    if (this.#atComment()) {
      this.#skipComment();
      return null;
    }
    return this.#key("map", State.mapValueEnd);
  }

  #key(flavor: "top" | "map", afterValue: State): Token {
    const at = this.#here();
    const c = this.#peek();
    if (isSeparator(c)) this.#fail(`unexpected key separator '${c}': expected a key`);
    let name: string;
    if (c === '"' || c === "'") {
      this.#advance();
      const start = this.#pos;
      while (!this.#eof() && this.#peek() !== c) this.#advance();
      if (this.#eof()) this.#fail(`unterminated quoted key: expected a closing ${c}`, at);
      name = this.#text.slice(start, this.#pos);
      this.#advance();
    } else {
      const start = this.#pos;
      while (!this.#eof() && !isSpace(this.#peek()) && !isSeparator(this.#peek())) this.#advance();
      if (this.#eof() && flavor === "map") {
        this.#fail("unexpected end of file in a map key: expected a value and '}'");
      }
      name = this.#text.slice(start, this.#pos);
      if (!this.#eof() && isSpace(this.#peek()) && name.toLowerCase() === "include") {
        return this.#include(afterValue);
      }
    }
    if (name.length > keyLengthMax) this.#fail(`key longer than ${keyLengthMax} characters`, at);
    this.#afterValue = afterValue;
    this.#state = flavor === "top" ? State.keyEndTop : State.keyEndMap;
    return this.#token("key", name, at);
  }

  #include(afterValue: State): Token {
    this.#skipBlanks();
    const at = this.#here();
    const c = this.#peek();
    const notAPath: Record<string, string> = {
      "[": "the start of an array", "{": "the start of a map", "(": "the start of a block",
      "\\": "an escape sequence", "\n": "a new line", "\r": "a new line", "": "end of file",
    };
    if (c in notAPath || isDigit(c) || c === "-") {
      const found = notAPath[c] ?? "the start of a number";
      this.#fail(`expected an include path but found ${found}`);
    }
    let path: string;
    if (c === '"' || c === "'") {
      this.#advance();
      const start = this.#pos;
      while (!this.#eof() && this.#peek() !== c) this.#advance();
      if (this.#eof()) this.#fail(`unterminated include path: expected a closing ${c}`, at);
      path = this.#text.slice(start, this.#pos);
      this.#advance();
    } else {
      const start = this.#pos;
      while (!this.#eof() && !isNewline(this.#peek()) && !isBlank(this.#peek()) &&
        this.#peek() !== ";" && this.#peek() !== "}" && this.#peek() !== "'") this.#advance();
      path = this.#text.slice(start, this.#pos);
      if (this.#peek() === "'") this.#advance();
    }
    if (path === "") this.#fail("expected an include path", at);
    this.#state = afterValue;
    return this.#token("include", path, at);
  }

  #keyEndTop(): Token {
    this.#skipSpaces();
    // A key with nothing after it: the parser reports it (Go: "config is invalid").
    if (this.#eof()) return this.#token("eof", "", this.#here());
    if (isSeparator(this.#peek())) this.#advance();
    return this.#value(this.#afterValue);
  }

  #keyEndMap(): Token {
    this.#skipSpaces();
    if (isSeparator(this.#peek())) this.#advance();
    // Inside maps, Go lets the value start on a following line.
    this.#skipSpaces();
    const c = this.#peek();
    if (this.#eof()) this.#fail("unexpected end of file in a map: expected a value");
    if (c === "," || c === "}") this.#fail(`expected a value but found '${c}'`);
    return this.#value(State.mapValueEnd);
  }

  // ---- after a value -------------------------------------------------------------------

  #topValueEnd(): Token | null {
    this.#skipBlanks();
    if (this.#atComment()) {
      this.#skipComment();
      return null;
    }
    const c = this.#peek();
    if (c === "/") { // Go treats a lone '/' here as blank space
      this.#advance();
      return null;
    }
    if (this.#eof() || isNewline(c) || c === ";" || c === "," || c === "}") {
      if (!this.#eof()) this.#advance();
      this.#state = State.top;
      return null;
    }
    return this.#fail(`expected a new line, ';', ',' or a comment after a top-level value, ` +
      `but got ${this.#describe(c)}`);
  }

  #blockValueEnd(): Token | null {
    this.#skipBlanks();
    if (this.#atComment()) {
      this.#skipComment();
      return null;
    }
    const c = this.#peek();
    if (c === "/") {
      this.#advance();
      return null;
    }
    if (isNewline(c) || c === ";" || c === ",") {
      this.#advance();
      this.#state = State.block;
      return null;
    }
    if (c === "}") {
      this.#advance();
      this.#state = this.#pop();
      return null;
    }
    return this.#fail(`expected a new line, ';', ',', a comment or '}' after a value, ` +
      `but got ${this.#describe(c)}`);
  }

  #blockEnd(): Token | null {
    const c = this.#peek();
    if (this.#atComment()) {
      this.#skipComment();
      this.#state = State.block;
      return null;
    }
    if (isBlank(c) || isNewline(c) || c === "/") {
      this.#advance();
      return null;
    }
    if (c === ";" || c === ",") {
      this.#advance();
      this.#state = State.block;
      return null;
    }
    if (c === "}") {
      this.#advance();
      this.#state = this.#pop();
      return null;
    }
    return this.#fail(`expected '}' to close the block, but got ${this.#describe(c)}`);
  }

  #mapValueEnd(): Token | null {
    this.#skipBlanks();
    if (this.#atComment()) {
      this.#skipComment();
      return null;
    }
    const c = this.#peek();
    if (c === "/" || isNewline(c) || c === ";" || c === ",") {
      this.#advance();
      this.#state = State.mapKey;
      return null;
    }
    if (c === "}") {
      const at = this.#here();
      this.#advance();
      this.#state = this.#pop();
      return this.#token("mapEnd", "", at);
    }
    return this.#fail(`expected ',', ';', a new line or '}' after a map value, ` +
      `but got ${this.#describe(c)}`);
  }

  #arrayValue(): Token | null {
    this.#skipSpaces();
    if (this.#eof()) this.#fail("unexpected end of file in an array: expected a value or ']'");
    const c = this.#peek();
    if (this.#atComment()) {
      this.#skipComment();
      return null;
    }
    if (c === "/" || c === ",") this.#fail(`unexpected '${c}' in an array: expected a value`);
    if (c === "]") {
      const at = this.#here();
      this.#advance();
      this.#state = this.#pop();
      return this.#token("arrayEnd", "", at);
    }
    return this.#value(State.arrayValueEnd);
  }

  #arrayValueEnd(): Token | null {
    this.#skipBlanks();
    if (this.#atComment()) {
      this.#skipComment();
      return null;
    }
    const c = this.#peek();
    if (c === "/" || c === "," || isNewline(c)) {
      this.#advance();
      this.#state = State.arrayValue;
      return null;
    }
    if (c === "]") {
      const at = this.#here();
      this.#advance();
      this.#state = this.#pop();
      return this.#token("arrayEnd", "", at);
    }
    return this.#fail(`expected ',', a new line or ']' after an array value, ` +
      `but got ${this.#describe(c)}`);
  }

  // ---- values --------------------------------------------------------------------------

  #value(after: State): Token {
    this.#skipBlanks();
    const at = this.#here();
    const c = this.#peek();
    if (c === "[" || c === "{") {
      this.#push(after);
      this.#advance();
      this.#state = c === "[" ? State.arrayValue : State.mapKey;
      return this.#token(c === "[" ? "arrayStart" : "mapStart", "", at);
    }
    if (isNewline(c)) this.#fail("expected a value but found a new line");
    if (c === ".") this.#fail("floats must start with a digit, not '.'");
    this.#state = after;
    if (c === "'") return this.#singleQuoted(at);
    if (c === '"') return this.#doubleQuoted(at);
    if (c === "(") return this.#blockString(at);
    if (c === "-") return this.#negativeNumber(at);
    if (isDigit(c)) return this.#number(at);
    return this.#bareString(at, this.#pos, new StringBuilder());
  }

  #singleQuoted(at: Position): Token {
    this.#advance();
    const start = this.#pos;
    while (!this.#eof() && this.#peek() !== "'") this.#advance();
    if (this.#eof()) this.#fail("unterminated string: expected a closing '", at);
    const text = this.#text.slice(start, this.#pos);
    this.#advance();
    return this.#token("string", text, at);
  }

  #doubleQuoted(at: Position): Token {
    this.#advance();
    const out = new StringBuilder();
    let runStart = this.#pos;
    for (;;) {
      if (this.#eof()) this.#fail('unterminated string: expected a closing "', at);
      const c = this.#peek();
      if (c === '"') break;
      if (c === "\\") {
        out.text(this.#text.slice(runStart, this.#pos));
        this.#advance();
        this.#escape(out);
        runStart = this.#pos;
        continue;
      }
      this.#advance();
    }
    out.text(this.#text.slice(runStart, this.#pos));
    this.#advance();
    return this.#token("string", out.build(), at);
  }

  /** After a consumed backslash: Go's escape set only. */
  #escape(out: StringBuilder): void {
    const at = this.#here();
    const c = this.#advance();
    out.escaped = true;
    const simple: Record<string, string> = { t: "\t", n: "\n", r: "\r", '"': '"', "\\": "\\" };
    if (c in simple) {
      out.text(simple[c]);
      return;
    }
    if (c !== "x") {
      this.#fail(`invalid escape character ${this.#describe(c)}; only \\xXX, \\t, \\n, \\r, ` +
        `\\" and \\\\ are allowed`, { ...at, column: at.column - 1 });
    }
    const hex = this.#text.slice(this.#pos, this.#pos + 2);
    if (hex.length < 2 || [...hex].some(isNewline)) {
      this.#fail("expected two hexadecimal digits after '\\x', but hit the end of the line");
    }
    if (!isHex(hex[0]) || !isHex(hex[1])) {
      this.#fail(`expected two hexadecimal digits after '\\x', but got '${hex}'`);
    }
    this.#advance();
    this.#advance();
    out.byte(parseInt(hex, 16));
  }

  /** An unquoted string from `start`: a string, a boolean word or a `$variable`. */
  #bareString(at: Position, start: number, out: StringBuilder): Token {
    let runStart = start;
    for (;;) {
      if (this.#eof()) break;
      const c = this.#peek();
      if (endsBareString(c)) break;
      if (c === "'") { // Go ends an unquoted string at a quote and drops the quote
        out.text(this.#text.slice(runStart, this.#pos));
        this.#advance();
        return this.#token("string", out.build(), at);
      }
      if (c === "\\") {
        out.text(this.#text.slice(runStart, this.#pos));
        this.#advance();
        this.#escape(out);
        runStart = this.#pos;
        continue;
      }
      this.#advance();
    }
    out.text(this.#text.slice(runStart, this.#pos));
    const text = out.build();
    if (!out.escaped && BOOL_WORDS.has(text.toLowerCase())) return this.#token("bool", text, at);
    if (!out.escaped && text.startsWith("$")) return this.#token("variable", text.slice(1), at);
    return this.#token("string", text, at);
  }

  /** Starts at a digit: an integer, a size, a float, a datetime, an IP address or a string. */
  #number(at: Position): Token {
    const start = this.#pos;
    this.#advance();
    for (;;) {
      const c = this.#peek();
      if (isDigit(c)) {
        this.#advance();
      } else if (c === "-") {
        if (this.#pos - start !== 4) {
          this.#fail("datetimes must be in full Zulu form, e.g. 2006-01-02T15:04:05Z");
        }
        return this.#datetime(at, start);
      } else if (c === ".") {
        return this.#fraction(at, start);
      } else if (SIZE_SUFFIX_FIRST.has(c)) {
        this.#advance();
        return this.#sizeSuffix(at, start);
      } else if (this.#eof() || endsNumber(c)) {
        return this.#token("int", this.#text.slice(start, this.#pos), at);
      } else { // e.g. `3xyz`: a string that starts with digits
        this.#advance();
        return this.#bareString(at, start, new StringBuilder());
      }
    }
  }

  #negativeNumber(at: Position): Token {
    const start = this.#pos;
    this.#advance();
    const first = this.#peek();
    if (first === ".") this.#fail("floats must start with a digit, not '.'");
    if (!isDigit(first)) this.#fail(`expected a digit after '-' but got ${this.#describe(first)}`);
    while (isDigit(this.#peek())) this.#advance();
    const c = this.#peek();
    if (c === ".") return this.#fraction(at, start);
    if (SIZE_SUFFIX_FIRST.has(c)) {
      this.#advance();
      return this.#sizeSuffix(at, start);
    }
    return this.#token("int", this.#text.slice(start, this.#pos), at);
  }

  /** At the '.' after the integer digits of a float (or the first octet of an address). */
  #fraction(at: Position, start: number): Token {
    this.#advance();
    if (!isDigit(this.#peek())) {
      this.#fail(`floats must have a digit after the '.', but got ${this.#describe(this.#peek())}`);
    }
    while (isDigit(this.#peek())) this.#advance();
    if (this.#peek() !== ".") return this.#token("float", this.#text.slice(start, this.#pos), at);
    // A second '.': an address such as 127.0.0.1:4222, kept as a string.
    while (/^[0-9.:-]$/.test(this.#peek())) this.#advance();
    return this.#token("string", this.#text.slice(start, this.#pos), at);
  }

  /** After the first suffix letter of e.g. `64MiB`. */
  #sizeSuffix(at: Position, start: number): Token {
    while (SIZE_SUFFIX_REST.has(this.#peek())) this.#advance();
    const c = this.#peek();
    if (this.#eof() || endsSuffixedNumber(c)) {
      return this.#token("int", this.#text.slice(start, this.#pos), at);
    }
    return this.#bareString(at, start, new StringBuilder()); // e.g. `10ms`, `1gbx`
  }

  #datetime(at: Position, start: number): Token {
    this.#advance(); // the '-' after the year
    for (const expected of DATE_TAIL) {
      const c = this.#peek();
      if (expected === "0" ? !isDigit(c) : c !== expected) {
        const what = expected === "0" ? "a digit" : `'${expected}'`;
        this.#fail(`expected ${what} in ISO8601 datetime, but found ${this.#describe(c)}`);
      }
      this.#advance();
    }
    return this.#token("datetime", this.#text.slice(start, this.#pos), at);
  }

  /** `( … )`: raw text up to a `)` alone on its line; keeps the new lines inside. */
  #blockString(at: Position): Token {
    this.#advance();
    const start = this.#pos;
    let search = start;
    for (;;) {
      const close = this.#text.indexOf("\n)", search);
      if (close < 0) {
        this.#fail("unterminated block string: expected ')' alone on a line", at);
      }
      const after = close + 2;
      const rest = this.#text.charAt(after);
      const lineEnds = after >= this.#text.length || rest === "\n" ||
        (rest === "\r" && this.#text.charAt(after + 1) === "\n");
      if (lineEnds) {
        const text = this.#text.slice(start, close + 1);
        while (this.#pos < after) this.#advance();
        return this.#token("string", text, at);
      }
      search = close + 1;
    }
  }
}

/** All tokens of `text` up to and including "eof" (for tests and tools). */
export function tokenize(text: string, file = ""): Token[] {
  const lexer = new Lexer(text, file);
  const tokens: Token[] = [];
  for (;;) {
    const token = lexer.next();
    tokens.push(token);
    if (token.kind === "eof") return tokens;
  }
}
