import { describe, expect, test } from "bun:test";
import { ConfigError } from "./errors.ts";
import { tokenize } from "./lexer.ts";

/** Tokens as compact "kind:text@line:col" strings. */
function lex(text: string): string[] {
  return tokenize(text).map((t) => `${t.kind}:${t.text}@${t.line}:${t.column}`);
}

/** The error a malformed input gives: "line:col reason". */
function lexError(text: string): string {
  try {
    tokenize(text, "f.conf");
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.file).toBe("f.conf");
    return `${error.line}:${error.column} ${error.reason}`;
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

describe("lexer: keys and separators", () => {
  test("'=', ':' and whitespace separate keys from values", () => {
    for (const text of ["foo = bar", "foo: bar", "foo bar", "foo=bar", "foo\t\tbar"]) {
      const [key, value] = tokenize(text);
      expect([key.kind, key.text, value.kind, value.text]).toEqual(["key", "foo", "string", "bar"]);
    }
  });

  test("positions are 1-based lines and columns", () => {
    expect(lex("\n  foo = 1\n")).toEqual(["key:foo@2:3", "int:1@2:9", "eof:@3:1"]);
  });

  test("quoted keys keep spaces and special characters", () => {
    expect(lex(`"foo bar" = 1`)[0]).toBe("key:foo bar@1:1");
    expect(lex(`foo {'bar-1.2.3' {port 4242}}`).slice(0, 4))
      .toEqual(["key:foo@1:1", "mapStart:@1:5", "key:bar-1.2.3@1:6", "mapStart:@1:18"]);
  });

  test("';' and ',' terminate top-level values", () => {
    expect(lex("foo='1'; bar=2.2; baz=true;").map((t) => t.split("@")[0]))
      .toEqual(["key:foo", "string:1", "key:bar", "float:2.2", "key:baz", "bool:true", "eof:"]);
    expect(lex("a=1,b=2").map((t) => t.split("@")[0]))
      .toEqual(["key:a", "int:1", "key:b", "int:2", "eof:"]);
  });

  test("a key followed by a value on the next line (top level)", () => {
    expect(lex("foo\n\n  42").slice(0, 2)).toEqual(["key:foo@1:1", "int:42@3:3"]);
  });

  test("a key separator where a key is expected is an error", () => {
    expect(lexError("= 1")).toBe("1:1 unexpected key separator '=': expected a key");
    expect(lexError("m { : 1 }")).toBe("1:5 unexpected key separator ':': expected a key");
  });

  test("a value missing after a separator at the end of a line", () => {
    expect(lexError("foo =\nbar = 1")).toBe("1:6 expected a value but found a new line");
  });

  test("an unterminated quoted key", () => {
    expect(lexError(`"foo = 1`)).toBe(`1:1 unterminated quoted key: expected a closing "`);
  });
});

describe("lexer: comments", () => {
  test("# and // comments anywhere a line may end", () => {
    const text = "# top\n// also\nfoo = 1 # trailing\nbar = [1, # in array\n 2] // end\n" +
      "m { a: 1 // in map\n }";
    expect(lex(text).map((t) => t.split("@")[0])).toEqual([
      "key:foo", "int:1", "key:bar", "arrayStart:", "int:1", "int:2", "arrayEnd:",
      "key:m", "mapStart:", "key:a", "int:1", "mapEnd:", "eof:",
    ]);
  });

  test("'#' inside an unquoted value is part of it", () => {
    expect(lex("a = foo#bar")[1]).toBe("string:foo#bar@1:5");
  });

  test("a lone '/' at the start of a line is an error", () => {
    expect(lexError("/foo = 1")).toBe("1:1 unexpected '/': comments start with '#' or '//'");
  });
});

describe("lexer: strings", () => {
  test("unquoted, single-quoted and double-quoted strings", () => {
    expect(lex("a = hello\nb = 'it'\nc = \"x y\"").filter((t) => t.startsWith("string")))
      .toEqual(["string:hello@1:5", "string:it@2:5", "string:x y@3:5"]);
  });

  test("single quotes are raw: backslashes stay", () => {
    expect(tokenize("foo = 'bar\\r\\n  \\t'")[1].text).toBe("bar\\r\\n  \\t");
  });

  test("double quotes apply Go's escapes \\t \\n \\r \\\" \\\\ \\xHH", () => {
    expect(tokenize(`a = "t\\tn\\nr\\rq\\"b\\\\"`)[1].text).toBe("t\tn\nr\rq\"b\\");
    expect(tokenize(`a = "\\x41\\xe2\\x82\\xac"`)[1].text).toBe("A\u20ac");
  });

  test("any other escape is an error at the backslash", () => {
    expect(lexError(`a = "\\q"`)).toMatch(/^1:6 invalid escape character 'q'; only \\xXX/);
    expect(lexError(`a = "ok\\u0041"`)).toMatch(/^1:8 invalid escape character 'u'/);
  });

  test("\\x needs two hexadecimal digits on the same line", () => {
    expect(lexError(`a = "\\x4"`)).toBe("1:8 expected two hexadecimal digits after '\\x', " +
      `but got '4"'`);
    expect(lexError(`a = "\\x\n1"`)).toBe("1:8 expected two hexadecimal digits after '\\x', " +
      "but hit the end of the line");
  });

  test("quoted strings may span lines", () => {
    expect(tokenize("a = 'one\ntwo'")[1].text).toBe("one\ntwo");
  });

  test("unterminated strings are errors at their start", () => {
    expect(lexError(`\nlisten: "localhost:4242\n\nhttp: x\n`))
      .toBe(`2:9 unterminated string: expected a closing "`);
    expect(lexError("a = 'x")).toBe("1:5 unterminated string: expected a closing '");
  });

  test("unquoted strings end at blanks, new lines, ; , ] } and a quote", () => {
    const strings = lex("a = x;b = y,c = [z]").filter((t) => t.startsWith("string"));
    expect(strings.map((t) => t.slice(7, 8)))
      .toEqual(["x", "y", "z"]);
    expect(tokenize("a = abc'\nb = 1")[1].text).toBe("abc");
    expect(lexError("a = abc'def")).toMatch(/^1:9 expected a new line/);
  });

  test("addresses and URLs stay strings", () => {
    for (const v of ["127.0.0.1:4222", "127.0.0.1", "apcera.me:80", "nats.io:-1", ":-1", ":80",
      "nats-route://foo:bar@apcera.me:4245", "0.0.0.0:4222"]) {
      expect(tokenize(`listen: ${v}`)[1]).toMatchObject({ kind: "string", text: v });
    }
  });

  test("strings starting with digits", () => {
    expect(tokenize("foo = 3xyz")[1]).toMatchObject({ kind: "string", text: "3xyz" });
    expect(tokenize("foo = 10ms")[1]).toMatchObject({ kind: "string", text: "10ms" });
    expect(tokenize("map {\n  foo = 3xyz}")[3]).toMatchObject({ kind: "string", text: "3xyz" });
  });

  test("empty strings", () => {
    expect(tokenize(`a = ""`)[1]).toMatchObject({ kind: "string", text: "" });
    expect(tokenize(`a = ''`)[1]).toMatchObject({ kind: "string", text: "" });
    // Go gives a separator with nothing after it at the end of the file an empty string.
    expect(tokenize("a =")[1]).toMatchObject({ kind: "string", text: "" });
  });
});

describe("lexer: block strings", () => {
  test("( … ) keeps everything up to a ')' alone on a line", () => {
    expect(tokenize("numbers (\n1234567890\n)\n")[1])
      .toMatchObject({ kind: "string", text: "\n1234567890\n", line: 1, column: 9 });
    expect(tokenize("numbers (\n  12(34)56\n  (\n    7890\n  )\n)\n")[1].text)
      .toBe("\n  12(34)56\n  (\n    7890\n  )\n");
  });

  test("the closing ')' may end the file or a CRLF line", () => {
    expect(tokenize("b (\nx\n)")[1].text).toBe("\nx\n");
    expect(tokenize("b (\r\nx\r\n)\r\nc = 1")[1].text).toBe("\r\nx\r\n");
  });

  test("an unclosed block is an error at its '('", () => {
    expect(lexError("listen = 4222\n\nquote = (\n\n  foo = bar\n\n"))
      .toBe("3:9 unterminated block string: expected ')' alone on a line");
  });
});

describe("lexer: numbers, booleans, datetimes", () => {
  test("integers, negatives and floats", () => {
    expect(lex("a = 42\nb = -17\nc = 2.5\nd = -0.5").filter((t) => !t.startsWith("key")))
      .toEqual(["int:42@1:5", "int:-17@2:5", "float:2.5@3:5", "float:-0.5@4:5", "eof:@4:9"]);
  });

  test("size suffixes are part of the integer token", () => {
    for (const v of ["8k", "4kb", "3ki", "4KiB", "1m", "2MB", "64MiB", "2g", "22GB", "1T",
      "22PiB", "1e", "1EB"]) {
      expect(tokenize(`a = ${v}`)[1]).toMatchObject({ kind: "int", text: v });
    }
  });

  test("an integer directly before ']' ends there (Go would read \"1]\")", () => {
    expect(lex("a = [1,2]").map((t) => t.split("@")[0]))
      .toEqual(["key:a", "arrayStart:", "int:1", "int:2", "arrayEnd:", "eof:"]);
  });

  test("a suffixed number before ']' is a string, as in Go", () => {
    expect(tokenize("a = [1k]")[2]).toMatchObject({ kind: "string", text: "1k" });
  });

  test("floats must start with a digit and have one after the '.'", () => {
    expect(lexError("a = .5")).toBe("1:5 floats must start with a digit, not '.'");
    expect(lexError("a = -.5")).toBe("1:6 floats must start with a digit, not '.'");
    expect(lexError("a = 1.x")).toBe("1:7 floats must have a digit after the '.', but got 'x'");
    expect(lexError("a = -x")).toBe("1:6 expected a digit after '-' but got 'x'");
  });

  test("booleans in any case; quoted ones are strings", () => {
    for (const v of ["true", "TRUE", "yes", "on", "false", "No", "off"]) {
      expect(tokenize(`a = ${v}`)[1]).toMatchObject({ kind: "bool", text: v });
    }
    expect(tokenize(`a = "true"`)[1].kind).toBe("string");
    expect(tokenize("a = truth")[1].kind).toBe("string");
  });

  test("datetimes in full Zulu form", () => {
    expect(tokenize("now = 2016-05-04T18:53:41Z")[1])
      .toMatchObject({ kind: "datetime", text: "2016-05-04T18:53:41Z" });
    expect(lexError("a = 12-3")).toBe(
      "1:7 datetimes must be in full Zulu form, e.g. 2006-01-02T15:04:05Z");
    expect(lexError("a = 2016-05-04 18:53")).toBe(
      "1:15 expected 'T' in ISO8601 datetime, but found ' '");
    expect(lexError("a = 2016-05-0xT")).toBe(
      "1:14 expected a digit in ISO8601 datetime, but found 'x'");
  });
});

describe("lexer: variables and includes", () => {
  test("$name is a variable token without the '$'", () => {
    expect(tokenize("foo = $bar")[1]).toMatchObject({ kind: "variable", text: "bar" });
    expect(tokenize(`foo = "$bar"`)[1]).toMatchObject({ kind: "string", text: "$bar" });
    expect(tokenize("foo = 'x$bar'")[1].kind).toBe("string");
  });

  test("include with quoted and bare paths, at top level and in maps", () => {
    for (const text of [`include "users.conf"`, "include 'users.conf'", "include users.conf",
      "INCLUDE users.conf"]) {
      expect(tokenize(text)[0]).toMatchObject({ kind: "include", text: "users.conf" });
    }
    expect(lex("foo { include users.conf }").map((t) => t.split("@")[0]))
      .toEqual(["key:foo", "mapStart:", "include:users.conf", "mapEnd:", "eof:"]);
  });

  test("include needs a path", () => {
    expect(lexError("include [a]")).toBe("1:9 expected an include path but found the start " +
      "of an array");
    expect(lexError("include 5.conf")).toBe("1:9 expected an include path but found the " +
      "start of a number");
    expect(lexError("include \nfoo")).toBe("1:9 expected an include path but found a new line");
  });

  test("'include:' with a separator is an ordinary key", () => {
    expect(tokenize("include: 1")[0]).toMatchObject({ kind: "key", text: "include" });
  });
});

describe("lexer: maps and arrays", () => {
  test("nested maps and arrays with mixed types", () => {
    const text = "a { b { c: [1, \"two\", 3.0, true, {d: e}, [f]] } }";
    expect(lex(text).map((t) => t.split("@")[0])).toEqual([
      "key:a", "mapStart:", "key:b", "mapStart:", "key:c", "arrayStart:", "int:1",
      "string:two", "float:3.0", "bool:true", "mapStart:", "key:d", "string:e", "mapEnd:",
      "arrayStart:", "string:f", "arrayEnd:", "arrayEnd:", "mapEnd:", "mapEnd:", "eof:",
    ]);
  });

  test("array values separated by new lines, trailing comma allowed", () => {
    expect(lex("a [\n  x\n  y,\n]").map((t) => t.split("@")[0]))
      .toEqual(["key:a", "arrayStart:", "string:x", "string:y", "arrayEnd:", "eof:"]);
  });

  test("map values may start on the line after their key", () => {
    expect(lex("m {\n a =\n  1\n}").map((t) => t.split("@")[0]))
      .toEqual(["key:m", "mapStart:", "key:a", "int:1", "mapEnd:", "eof:"]);
  });

  test("a top-level { … } wrapper (JSON style) is transparent", () => {
    const json = `{"http_port": 8227,"port": 4227,"cluster": {"port": 6222,` +
      `"routes": ["nats://127.0.0.1:4222"]}}`;
    expect(lex(json).map((t) => t.split("@")[0])).toEqual([
      "key:http_port", "int:8227", "key:port", "int:4227", "key:cluster", "mapStart:",
      "key:port", "int:6222", "key:routes", "arrayStart:", "string:nats://127.0.0.1:4222",
      "arrayEnd:", "mapEnd:", "eof:",
    ]);
  });

  test("malformed containers report what was expected, where", () => {
    expect(lexError("a = [1,,2]")).toBe("1:8 unexpected ',' in an array: expected a value");
    expect(lexError("a = [1 2]")).toBe("1:8 expected ',', a new line or ']' after an array " +
      "value, but got '2'");
    expect(lexError("a = [1")).toBe("1:7 expected ',', a new line or ']' after an array value, " +
      "but got end of file");
    expect(lexError("listen = 4222\n\ncluster = {\n\n  foo = bar\n\n"))
      .toBe("7:1 unexpected end of file in a map: expected a key or '}'");
    expect(lexError("m { a: 1 b: 2 }")).toBe("1:10 expected ',', ';', a new line or '}' after " +
      "a map value, but got 'b'");
    expect(lexError("m { a }")).toBe("1:7 expected a value but found '}'");
    expect(lexError("m { ] }")).toBe("1:5 unexpected ']' in a map: expected a key or '}'");
    expect(lexError("a = 1 2")).toBe("1:7 expected a new line, ';', ',' or a comment after a " +
      "top-level value, but got '2'");
  });

  test("nesting deeper than the limit is an error, not a stack overflow", () => {
    expect(lexError(`a = ${"[".repeat(100_000)}`)).toBe(
      "1:69 maps and arrays nested deeper than 64 levels");
    expect(lexError(`a ${"{b ".repeat(100)}`)).toMatch(/nested deeper than 64 levels$/);
  });
});
