import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "./errors.ts";
import { type ConfigSource, parseConfig, parseConfigFile } from "./parser.ts";
import { type MapNode, toPlain } from "./values.ts";

/** An in-memory file system and environment. */
function memory(files: Record<string, string> = {}, env: Record<string, string> = {}):
  ConfigSource {
  return {
    readFile(path) {
      const text = files[path];
      if (text === undefined) throw new Error(`open ${path}: no such file or directory`);
      return text;
    },
    env: (name) => env[name],
  };
}

function plain(text: string, source: ConfigSource = memory()): unknown {
  return toPlain(parseConfig(text, { source }));
}

function parseError(text: string, source: ConfigSource = memory(), file = "main.conf"): string {
  try {
    parseConfig(text, { source, file });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return `${error.file}:${error.line}:${error.column} ${error.reason}`;
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

describe("parser: values", () => {
  test("scalars have Go's types", () => {
    expect(plain("foo='1'; bar=2.2; baz=true; boo=22; neg=-5; off=no"))
      .toEqual({ foo: "1", bar: 2.2, baz: true, boo: 22, neg: -5, off: false });
  });

  test("size suffixes: 1000 for k/m/g/…, 1024 for kb/ki/kib/…", () => {
    const text = "k = 8k\nkb = 4kb\nki = 3ki\nkib = 4KiB\nm = 1m\nmb = 2MB\nmi = 2Mi\n" +
      "g = 2g\ngb = 22GB\ntb = 1TB\npb = 1PB\neb = 1EB\ne = 1e";
    expect(plain(text)).toEqual({
      k: 8000, kb: 4096, ki: 3072, kib: 4096, m: 1_000_000, mb: 2 * 1024 ** 2,
      mi: 2 * 1024 ** 2, g: 2e9, gb: 22 * 1024 ** 3, tb: 1024 ** 4, pb: 1024 ** 5,
      eb: 1n << 60n, e: 10n ** 18n,
    });
  });

  test("integers keep int64 precision (bigint beyond 2^53)", () => {
    const root = parseConfig("big = 9223372036854775807");
    const node = root.entries.get("big")!.value;
    expect(node.kind === "int" && node.value).toBe(9223372036854775807n);
  });

  test("integers out of int64 range and unknown suffixes are errors", () => {
    expect(parseError("a = 9223372036854775808"))
      .toBe("main.conf:1:5 integer '9223372036854775808' is out of range");
    expect(parseError("a = 16EB")).toBe("main.conf:1:5 integer '16EB' is out of range");
    expect(parseError("a = 1kbbb")).toMatch(/^main.conf:1:5 invalid size suffix 'kbbb'/);
  });

  test("datetimes become Dates; impossible ones are errors", () => {
    expect(plain("now = 2016-05-04T18:53:41Z\ngmt = false"))
      .toEqual({ now: new Date("2016-05-04T18:53:41Z"), gmt: false });
    expect(parseError("d = 2016-02-30T00:00:00Z"))
      .toBe("main.conf:1:5 expected Zulu formatted DateTime, but got '2016-02-30T00:00:00Z'");
  });

  test("nested maps and arrays", () => {
    const text = "foo {\n host {\n  ip = '127.0.0.1'\n  port = 4242\n }\n" +
      " servers = [ \"a.com\", \"b.com\"]\n}\narray [\n { abc: 123 }\n { xyz: \"word\" }\n]";
    expect(plain(text)).toEqual({
      foo: { host: { ip: "127.0.0.1", port: 4242 }, servers: ["a.com", "b.com"] },
      array: [{ abc: 123 }, { xyz: "word" }],
    });
  });

  test("CRLF line endings (Windows files) parse like LF", () => {
    const text = "port: 4222\r\n# c\r\nm {\r\n  a = [1,\r\n 2]\r\n}\r\nb = (\r\nx\r\n)\r\n";
    expect(plain(text)).toEqual({ port: 4222, m: { a: [1, 2] }, b: "\r\nx\r\n" });
  });

  test("a repeated key keeps the last value", () => {
    expect(plain("a = 1\na = 2")).toEqual({ a: 2 });
  });

  test("__proto__ is an ordinary key", () => {
    const value = plain("__proto__ = 1") as Record<string, unknown>;
    expect(Object.hasOwn(value, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  test("empty and comment-only configs are empty maps; JSON-style braces are accepted", () => {
    expect(plain("")).toEqual({});
    expect(plain("# just comments\n\n")).toEqual({});
    expect(plain("{}")).toEqual({});
    expect(plain("\naccounts { users = [{}]}\n}\n")).toEqual({ accounts: { users: [{}] } });
    expect(plain(`{\n "jetstream": {\n "store_dir": "/tmp/nats"\n "max_mem": 1000000,\n },\n` +
      ` "port": 4222\n}`)).toEqual({ jetstream: { store_dir: "/tmp/nats", max_mem: 1000000 },
      port: 4222 });
  });

  test("a key without a value is an error at the key", () => {
    expect(parseError("aaaaaaaa")).toBe("main.conf:1:1 key 'aaaaaaaa' has no value");
    expect(parseError("\n   # comment\n   bbb  \n")).toBe("main.conf:3:4 key 'bbb' has no value");
  });

  test("every value and key carries its file, line and column", () => {
    const root = parseConfig("a = 1\nm {\n  b = [x, 'y']\n}", { file: "p.conf" });
    const m = root.entries.get("m")!;
    expect(m.keyPos).toEqual({ file: "p.conf", line: 2, column: 1 });
    expect(m.value.pos).toEqual({ file: "p.conf", line: 2, column: 3 });
    const b = (m.value as MapNode).entries.get("b")!;
    expect(b.keyPos).toEqual({ file: "p.conf", line: 3, column: 3 });
    expect(b.value.kind === "array" && b.value.items.map((i) => i.pos.column)).toEqual([8, 11]);
  });
});

describe("parser: variables", () => {
  test("a variable takes the value of an earlier key in the same or an enclosing map", () => {
    const text = "index = 22\nnest {\n  index = 11\n  foo = $index\n}\nbar = $index";
    expect(plain(text)).toEqual({ index: 22, nest: { index: 11, foo: 11 }, bar: 22 });
  });

  test("variables can hold maps and arrays; arrays are not scopes", () => {
    const text = "USERS = [{user: a}]\nauth { users = $USERS }\nlist = [ {x = 1}, $USERS ]";
    expect(plain(text)).toEqual({
      USERS: [{ user: "a" }], auth: { users: [{ user: "a" }] }, list: [{ x: 1 }, [{ user: "a" }]],
    });
  });

  test("a variable takes the position of its reference", () => {
    const root = parseConfig("a = 1\nb = $a", { file: "v.conf" });
    expect(root.entries.get("b")!.value.pos).toEqual({ file: "v.conf", line: 2, column: 5 });
  });

  test("a referenced key is marked as used (so it is not an unknown field)", () => {
    const root = parseConfig("a = 1\nb = $a\nc = 2");
    expect(root.entries.get("a")!.usedAsVariable).toBe(true);
    expect(root.entries.get("c")!.usedAsVariable).toBe(false);
  });

  test("a later key is not visible, the environment is the fallback", () => {
    expect(plain("a = $b\nb = 1", memory({}, { b: "env" }))).toEqual({ a: "env", b: 1 });
    expect(parseError("a = $b\nb = 1")).toBe("main.conf:1:5 variable reference for 'b' can " +
      "not be found");
  });

  test("environment values are parsed as config values", () => {
    const env = { N: "22", S: "xyz", Q: "'3xyz'", SZ: "3Gyz", M: "{ a: 1, b: [x] }", E: "" };
    const source = memory({}, env);
    expect(plain("n = $N\ns = $S\nq = $Q\nsz = $SZ\nm = $M\ne = $E", source))
      .toEqual({ n: 22, s: "xyz", q: "3xyz", sz: "3Gyz", m: { a: 1, b: ["x"] }, e: "" });
  });

  test("an environment value that does not parse is an error at the reference", () => {
    expect(parseError("a = 1\nfoo = $BAD", memory({}, { BAD: "[1, " })))
      .toMatch(/^main.conf:2:7 variable reference for 'BAD' could not be parsed: unexpected end/);
  });

  test("environment variables may reference others; cycles are errors", () => {
    const source = memory({}, { A: "$B", B: "42", X: "$Y", Y: "$X", SELF: "$SELF" });
    expect(plain("a = $A", source)).toEqual({ a: 42 });
    expect(parseError("x = $X", source)).toMatch(/variable reference cycle for 'X'$/);
    expect(parseError("s = $SELF", source)).toMatch(/variable reference cycle for 'SELF'$/);
  });

  test("long chains of environment references stop at the depth limit", () => {
    const env: Record<string, string> = {};
    for (let i = 0; i < 40; i++) env[`V${i}`] = `$V${i + 1}`;
    env.V40 = "1";
    expect(parseError("a = $V0", memory({}, env))).toMatch(/more than 16 levels deep/);
  });

  test("bcrypt hashes ($2a$…) are strings, not variables", () => {
    expect(plain("password: $2a$11$ooo")).toEqual({ password: "$2a$11$ooo" });
  });

  test("variable amplification is bounded", () => {
    const lines = ["a0 = [1, 2, 3, 4]"];
    for (let i = 1; i <= 40; i++) lines.push(`a${i} = [$a${i - 1}, $a${i - 1}]`);
    expect(parseError(lines.join("\n"))).toMatch(/expands to more than 1000000 values/);
    const deep = ["d0 = 1"];
    for (let i = 1; i <= 70; i++) deep.push(`d${i} = [$d${i - 1}]`);
    expect(parseError(deep.join("\n"))).toMatch(/values nested deeper than 64 levels$/);
  });
});

describe("parser: includes", () => {
  test("included keys merge into the including map, relative to the including file", () => {
    const source = memory({
      "conf/main.conf": "port = 4222\nauthorization {\n  include 'auth/users.conf'\n}\n",
      "conf/auth/users.conf": "include ../pw.conf\nusers = [{user: alice, password: $PW}]",
      "conf/pw.conf": "PW = secret",
    });
    expect(toPlain(parseConfigFile("conf/main.conf", source))).toEqual({
      port: 4222, authorization: { PW: "secret", users: [{ user: "alice", password: "secret" }] },
    });
  });

  test("keys from an include keep their own file and position", () => {
    const source = memory({ "a.conf": "include b.conf", "b.conf": "\n  x = 1" });
    const root = parseConfigFile("a.conf", source);
    expect(root.entries.get("x")!.keyPos).toEqual({ file: "b.conf", line: 2, column: 3 });
  });

  test("the includer sees the included keys as variables; later keys override", () => {
    const source = memory({ "m.conf": "include v.conf\na = $V\nV = 2\nb = $V", "v.conf": "V = 1" });
    expect(toPlain(parseConfigFile("m.conf", source))).toEqual({ V: 2, a: 1, b: 2 });
  });

  test("a missing include is an error at the include", () => {
    expect(parseError("\ninclude nope.conf")).toBe("main.conf:2:9 error parsing include file " +
      "'nope.conf': open nope.conf: no such file or directory");
  });

  test("an error inside an included file names that file", () => {
    const source = memory({ "main.conf": "include bad.conf", "bad.conf": "a = [1,,2]" });
    expect(parseError("include bad.conf", source))
      .toBe("bad.conf:1:8 unexpected ',' in an array: expected a value");
  });

  test("include cycles are errors", () => {
    const source = memory({ "a.conf": "include b.conf", "b.conf": "include a.conf" });
    expect(() => parseConfigFile("a.conf", source))
      .toThrow(/include cycle: .*a.conf -> .*b.conf -> .*a.conf/);
    const self = memory({ "s.conf": "x = 1\ninclude s.conf" });
    expect(() => parseConfigFile("s.conf", self)).toThrow(/include cycle/);
  });

  test("include depth is bounded", () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`f${i}.conf`] = `include f${i + 1}.conf`;
    files["f30.conf"] = "x = 1";
    expect(() => parseConfigFile("f0.conf", memory(files)))
      .toThrow(/includes nested more than 16 levels deep/);
  });

  test("real files: includes resolve against the including file's directory", () => {
    const dir = mkdtempSync(join(tmpdir(), "natsd-config-"));
    writeFileSync(join(dir, "main.conf"), "include 'sub.conf'\nport: $P");
    writeFileSync(join(dir, "sub.conf"), "P = 4333");
    expect(toPlain(parseConfigFile(join(dir, "main.conf")))).toEqual({ P: 4333, port: 4333 });
    expect(() => parseConfigFile(join(dir, "missing.conf"))).toThrow(/error opening config file/);
  });
});
