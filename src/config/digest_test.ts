import { describe, expect, test } from "bun:test";
import { configDigest, goJson, goJsonString } from "./digest.ts";
import { type ConfigSource, parseConfig, parseConfigFile } from "./parser.ts";

const digestOf = (text: string) => configDigest(parseConfig(text));

describe("configDigest", () => {
  // Expected values are nats-server's own (conf/parse_test.go, TestParseDigest).
  test("matches nats-server for the same config, whatever the syntax", () => {
    const fooBar = "sha256:226e49e13d16e5e8aa0d62e58cd63361bf097d3e2b2444aa3044334628a2e8de";
    expect(digestOf("foo = bar")).toBe(fooBar);
    expect(digestOf("# Comments and whitespace have no effect\n   foo = bar\n")).toBe(fooBar);
    expect(digestOf("'foo': 'bar'")).toBe(fooBar);
    expect(digestOf("{ 'foo': 'bar' }")).toBe(fooBar);
  });

  test("matches nats-server with variables (defining keys stay in the digest)", () => {
    const withVars = `BAR_USERS = { users = [ {user = "bar"} ]}
      hello = 'world'
      accounts {
        QUUX_USERS = [ { user: quux }]
        bar = $BAR_USERS
        quux = { users = $QUUX_USERS }
      }
      very { nested { env { VAR = 'NESTED', quux = $VAR }}}`;
    expect(digestOf(withVars))
      .toBe("sha256:bddb282343249c26d3edcef9bfaa9d2711505fc67210380e871405ba394a9186");
    const inline = `hello = 'world'
      accounts {
        bar  = { users = [ { user = "bar" } ]}
        quux = { users = [ { user: quux   } ]}
      }
      very { nested { env { quux = 'NESTED' }}}`;
    expect(digestOf(inline))
      .toBe("sha256:34f8faf3f269fe7509edc4742f20c8c4a7ad51fe21f8b361764314b533ac3ab5");
    expect(digestOf(`BAR_USERS = { users = [ {user = "foo"} ]}
      bar = $BAR_USERS
      accounts {
        users = $BAR_USERS
      }`)).toBe("sha256:b0e2ba0b8ec2cb75681b5c5d61789cda0c9942c2f9fe16cdb7f6703364485360");
  });

  test("matches nats-server with includes", () => {
    const files: Record<string, string> = {
      "d/nats.conf": `accounts {
        foo { include 'foo.conf'}
        bar { users = [{user = "bar"}] }
        quux { include 'quux.conf'}
      }`,
      "d/foo.conf": ` users = [{user = "foo"}]`,
      "d/quux.conf": ` users = [{user = "quux"}]`,
    };
    const source: ConfigSource = { readFile: (p) => files[p], env: () => undefined };
    expect(configDigest(parseConfigFile("d/nats.conf", source)))
      .toBe("sha256:e72d70c91b64b0f880f86decb95ec2600cbdcf8bdcd2355fce5ebc54a84a77e9");
  });

  test("changes when a value changes", () => {
    expect(digestOf("port = 4222")).not.toBe(digestOf("port = 4223"));
  });
});

describe("goJson", () => {
  test("escapes strings as Go's encoding/json does", () => {
    expect(goJsonString("a\"b\\c\n\t<>&\u2028\u0001")).toBe(
      '"a\\"b\\\\c\\n\\t\\u003c\\u003e\\u0026\\u2028\\u0001"');
    expect(goJsonString("h\u00e9\u20ac")).toBe('"h\u00e9\u20ac"');
  });

  test("sorts keys by bytes and prints numbers, booleans, datetimes", () => {
    const root = parseConfig("b = 1\na = [true, 2.5, -0.0, 1.0]\nZ = 2016-05-04T18:53:41Z\n" +
      "c = 1e\nd = 0.0000001");
    expect(goJson(root)).toBe('{"Z":"2016-05-04T18:53:41Z","a":[true,2.5,-0,1],"b":1,' +
      '"c":1000000000000000000,"d":1e-7}');
  });
});
