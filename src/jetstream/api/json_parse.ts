/**
 * A JSON parser that reports syntax errors in the words of Go's encoding/json scanner
 * ("invalid character 'x' looking for beginning of object key string"), keeps number literals
 * as text (so int64 and nanosecond values stay exact) and remembers where each value came from
 * (custom Go unmarshalers quote the raw text in their errors). Used by json_decode.ts.
 * @module
 */

/** A parsed JSON value with its source range [start, end). */
export type JsonNode =
  | { t: "obj"; entries: [string, JsonNode][]; start: number; end: number }
  | { t: "arr"; items: JsonNode[]; start: number; end: number }
  | { t: "str"; v: string; start: number; end: number }
  | { t: "num"; raw: string; start: number; end: number }
  | { t: "bool"; v: boolean; start: number; end: number }
  | { t: "null"; start: number; end: number };

/** A syntax error: Go's message and its offset (bytes read when it was found). */
export class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = "JsonSyntaxError";
  }
}

/** Input ended inside a value (Go's io.ErrUnexpectedEOF: no offset). */
export class JsonEofError extends Error {
  constructor() {
    super("unexpected EOF");
    this.name = "JsonEofError";
  }
}

/** Nesting deeper than this is refused (Go's limit is 10000). */
const NESTING_DEPTH_MAX = 10_000;

/** Go's quoteChar: how the scanner names a character in its errors. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const quoted = JSON.stringify(c);
  return `'${quoted.slice(1, -1)}'`;
}

const isSpace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\r";
const isDigit = (c: string) => c >= "0" && c <= "9";

class Parser {
  pos = 0;
  depth = 0;
  constructor(readonly text: string) {}

  fail(context: string): never {
    if (this.pos >= this.text.length) throw new JsonEofError();
    throw new JsonSyntaxError(`invalid character ${quoteChar(this.text[this.pos])} ${context}`,
      this.pos + 1);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && isSpace(this.text[this.pos])) this.pos++;
  }

  value(): JsonNode {
    this.skipSpace();
    const c = this.text[this.pos];
    const start = this.pos;
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return { t: "str", v: this.string(), start, end: this.pos };
    if (c === "-" || isDigit(c ?? "")) {
      return { t: "num", raw: this.number(), start, end: this.pos };
    }
    if (c === "t") return this.literal("true", { t: "bool", v: true, start, end: 0 });
    if (c === "f") return this.literal("false", { t: "bool", v: false, start, end: 0 });
    if (c === "n") return this.literal("null", { t: "null", start, end: 0 });
    return this.fail("looking for beginning of value");
  }

  literal(word: string, node: JsonNode): JsonNode {
    for (let i = 1; i < word.length; i++) {
      this.pos++;
      if (this.text[this.pos] !== word[i]) {
        this.fail(`in literal ${word} (expecting ${quoteChar(word[i])})`);
      }
    }
    this.pos++;
    node.end = this.pos;
    return node;
  }

  enter(): void {
    if (++this.depth > NESTING_DEPTH_MAX) {
      throw new JsonSyntaxError("exceeded max depth", this.pos + 1);
    }
  }

  object(): JsonNode {
    const start = this.pos++;
    this.enter();
    const entries: [string, JsonNode][] = [];
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      this.depth--;
      return { t: "obj", entries, start, end: this.pos };
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail("looking for beginning of object key string");
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ":") this.fail("after object key");
      this.pos++;
      entries.push([key, this.value()]);
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ",") {
        this.pos++;
        continue;
      }
      if (c === "}") {
        this.pos++;
        this.depth--;
        return { t: "obj", entries, start, end: this.pos };
      }
      this.fail("after object key:value pair");
    }
  }

  array(): JsonNode {
    const start = this.pos++;
    this.enter();
    const items: JsonNode[] = [];
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      this.depth--;
      return { t: "arr", items, start, end: this.pos };
    }
    for (;;) {
      items.push(this.value());
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ",") {
        this.pos++;
        continue;
      }
      if (c === "]") {
        this.pos++;
        this.depth--;
        return { t: "arr", items, start, end: this.pos };
      }
      this.fail("after array element");
    }
  }

  string(): string {
    this.pos++; // opening quote
    let out = "";
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) throw new JsonEofError();
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c < " ") this.fail("in string literal");
      if (c !== "\\") {
        out += c;
        this.pos++;
        continue;
      }
      this.pos++;
      out += this.escape();
    }
  }

  escape(): string {
    const c = this.text[this.pos];
    const simple: Record<string, string> = {
      '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t",
    };
    if (c !== undefined && c in simple) {
      this.pos++;
      return simple[c];
    }
    if (c !== "u") this.fail("in string escape code");
    this.pos++;
    let code = 0;
    for (let i = 0; i < 4; i++) {
      const h = this.text[this.pos];
      if (h === undefined || !/[0-9a-fA-F]/.test(h)) {
        this.fail("in \\u hexadecimal character escape");
      }
      code = code * 16 + parseInt(h, 16);
      this.pos++;
    }
    return String.fromCharCode(code);
  }

  number(): string {
    const start = this.pos;
    if (this.text[this.pos] === "-") {
      this.pos++;
      if (!isDigit(this.text[this.pos] ?? "")) this.fail("in numeric literal");
    }
    if (this.text[this.pos] === "0") this.pos++;
    else while (isDigit(this.text[this.pos] ?? "")) this.pos++;
    if (this.text[this.pos] === ".") {
      this.pos++;
      if (!isDigit(this.text[this.pos] ?? "")) this.fail("after decimal point in numeric literal");
      while (isDigit(this.text[this.pos] ?? "")) this.pos++;
    }
    if (this.text[this.pos] === "e" || this.text[this.pos] === "E") {
      this.pos++;
      if (this.text[this.pos] === "+" || this.text[this.pos] === "-") this.pos++;
      if (!isDigit(this.text[this.pos] ?? "")) this.fail("in exponent of numeric literal");
      while (isDigit(this.text[this.pos] ?? "")) this.pos++;
    }
    return this.text.slice(start, this.pos);
  }
}

/**
 * Parses the whitespace-separated JSON values of `text`, as Go's json.Decoder reads a request
 * in a loop. An empty text gives no values.
 * @throws JsonSyntaxError, JsonEofError
 */
export function parseJsonValues(text: string): JsonNode[] {
  const parser = new Parser(text);
  const values: JsonNode[] = [];
  for (;;) {
    parser.skipSpace();
    if (parser.pos >= text.length) return values;
    values.push(parser.value());
  }
}
