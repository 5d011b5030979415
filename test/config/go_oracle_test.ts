/**
 * Go nats-server (2.9.10, /usr/sbin/nats-server) as an oracle: `nats-server -t -c file`
 * must agree with natsd on which inputs are syntactically valid, and must accept the corpus.
 * Where natsd deliberately differs (inputs Go mishandles), the case says so and checks the
 * documented direction instead.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../src/config/errors.ts";
import { loadConfigFile } from "../../src/config/options_from_config.ts";
import { parseConfigFile, systemSource } from "../../src/config/parser.ts";
import { CORPUS, CORPUS_ENV } from "./corpus.ts";

const GO_SERVER = ["/usr/sbin/nats-server", "/usr/bin/nats-server"].find((p) => existsSync(p));
/** Go processes run at once (the machine has 2 cores). */
const goConcurrencyMax = 4;
const dir = mkdtempSync(join(tmpdir(), "natsd-oracle-"));

interface GoVerdict { code: number; stderr: string }

async function goCheck(path: string, env: Record<string, string> = {}): Promise<GoVerdict> {
  const proc = Bun.spawn([GO_SERVER!, "-t", "-c", path], {
    stdout: "ignore", stderr: "pipe", env: { ...process.env, ...env },
  });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  return { code, stderr };
}

async function inBatches<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += goConcurrencyMax) {
    results.push(...await Promise.all(items.slice(i, i + goConcurrencyMax).map(work)));
  }
  return results;
}

/** Go rejected the input itself (lexer, parser, variables, includes), not its meaning. */
function goSyntaxError(v: GoVerdict): boolean {
  const syntax =
    /Parse error|variable reference|error parsing include|config is invalid|Unexpected EOF/;
  return v.code !== 0 && syntax.test(v.stderr);
}

/**
 * Inputs as `x = <value>` lines etc.; unknown keys are fine (Go reports them after parsing).
 * Not here: an environment variable referencing itself, which overflows Go 2.9.10's stack
 * (later versions and natsd report a cycle; see parser_test.ts).
 */
const SYNTAX_CASES: { text: string; env?: Record<string, string> }[] = [
  { text: "port: 4222" }, { text: "port = 4222" }, { text: "port 4222" },
  { text: "port: 4222;" }, { text: "a = 1, b = 2" }, { text: "a = 'single'" },
  { text: `a = "tab\\there"` }, { text: `a = "\\x41"` }, { text: `a = "\\q"` },
  { text: `a = "\\x4"` }, { text: "a = bare_string" }, { text: "a = 1.5" }, { text: "a = -7" },
  { text: "a = .5" }, { text: "a = 1." }, { text: "a = 64MiB" }, { text: "a = 10ms" },
  { text: "a = true\nb = off" }, { text: "a = 2016-05-04T18:53:41Z" }, { text: "a = 12-3" },
  { text: "a = 2016-05-04X" }, { text: "a = [x, y, z]" }, { text: "a = [\n x\n y\n]" },
  { text: "a = [x,,y]" }, { text: "a = [x y]" }, { text: "a = [x," }, { text: "m { a: 1 }" },
  { text: "m { a: 1 b: 2 }" }, { text: "m {\n a: 1\n" },
  { text: "m { n { o { p: [ {q: r} ] } } }" },
  { text: "a = 1 # c\n// d\nb = 2" }, { text: "/x = 1" }, { text: "a = (\nblock\n)\n" },
  { text: "a = (\nunterminated\n" }, { text: "include 'none.conf'" }, { text: "x = $nope" },
  { text: "x = 1\ny = $x" }, { text: "m { x = 1 }\ny = $x" }, { text: "p: $2a$11$abc" },
  { text: "x = $NATSD_ORACLE_V", env: { NATSD_ORACLE_V: "[1, 2" } },
  { text: "x = $NATSD_ORACLE_V", env: { NATSD_ORACLE_V: "{a: b}" } },
  { text: "{ \"a\": 1, \"b\": [\"c\"] }" }, { text: "a { b = 1 }\n}\n" }, { text: "justakey" },
  { text: "= 1" }, { text: "'quoted key' = 1" }, { text: "a = 'unterminated" },
  { text: "a = \"x\ny\"" }, { text: "a = 1 2" }, { text: "m { a }" }, { text: "a = $" },
];

/** Where natsd differs on purpose; `natsdValid` is natsd's answer. */
const DELIBERATE: Record<string, { natsdValid: boolean; why: string }> = {
  "m { a }": { natsdValid: false, why: "Go pops the map with a dangling key; natsd reports it" },
  justakey: { natsdValid: false,
    why: "a key without a value: an error since nats-server 2.10 (config is invalid)" },
};

const skipReason = "Go nats-server is not installed";
describe.skipIf(GO_SERVER === undefined)(`Go nats-server as oracle (skip: ${skipReason})`, () => {
  test("agrees on which inputs are syntactically valid", async () => {
    const cases = SYNTAX_CASES.map((c, i) => {
      const path = join(dir, `case${i}.conf`);
      writeFileSync(path, c.text);
      return { ...c, path };
    });
    const verdicts = await inBatches(cases, (c) => goCheck(c.path, c.env));
    const disagreements: string[] = [];
    cases.forEach((c, i) => {
      const goValid = !goSyntaxError(verdicts[i]);
      const natsdValid = natsdParses(c.path, c.env ?? {});
      const expected = DELIBERATE[c.text]?.natsdValid ?? goValid;
      if (natsdValid !== expected) {
        disagreements.push(`${JSON.stringify(c.text)}: go=${goValid} natsd=${natsdValid} ` +
          verdicts[i].stderr.trim());
      }
    });
    expect(disagreements).toEqual([]);
  });

  test("accepts the corpus files natsd accepts", async () => {
    // Not for Go 2.9.10: logging.conf and limits.conf use 2.10/2.11 keys (logtime_utc,
    // logfile_max_num, max_closed_clients); tls.conf names certificate files Go opens.
    const files = ["simple.conf", "auth_simple.conf", "auth_token.conf", "auth_users.conf",
      "accounts.conf", "cluster.conf", "jetstream.conf", "leafnodes.conf", "gateway.conf",
      "websocket.conf", "mqtt.conf", "variables.conf", "json.conf", "mappings.conf",
      "includes/main.conf", "full.conf"];
    const verdicts = await inBatches(files, (f) => goCheck(join(CORPUS, f), CORPUS_ENV));
    expect(files.map((f, i) => [f, verdicts[i].code, verdicts[i].stderr.trim()]))
      .toEqual(files.map((f) => [f, 0, `nats-server: configuration file ${join(CORPUS, f)} ` +
        "is valid"]));
  });

  test("rejects what natsd's check rejects: wrong types and ranges", async () => {
    const bad = ["port: \"abc\"", "max_payload: 3GB", "lame_duck_duration: \"10s\"",
      "max_sub_tokens: 300", "authorization { user: a, token: b }", "bogus_key: 1",
      "ping_interval: 60", "cluster { port: \"x\" }", "jetstream { store_dir: /a }\nstore_dir: /b",
      "listen: \"localhost\""];
    const paths = bad.map((text, i) => {
      const path = join(dir, `bad${i}.conf`);
      writeFileSync(path, text);
      return path;
    });
    const verdicts = await inBatches(paths, (p) => goCheck(p));
    expect(verdicts.map((v) => v.code)).toEqual(bad.map(() => 1));
    for (const path of paths) {
      expect(() => loadConfigFile(path, { checkMode: true })).toThrow();
    }
  });
});

function natsdParses(path: string, env: Record<string, string>): boolean {
  try {
    parseConfigFile(path, { readFile: systemSource.readFile, env: (n) => env[n] });
    return true;
  } catch (error) {
    if (error instanceof ConfigError) return false;
    throw error;
  }
}
