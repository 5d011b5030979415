/**
 * Bounded fuzzing of the config reader: random and mutated configs (seeded, so a failure
 * reproduces) must each finish with a value or a ConfigError — never another exception, a
 * stack overflow or a hang. Mapping onto Options and the digest run on whatever parses.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { configDigest } from "./digest.ts";
import { ConfigError, ConfigErrors } from "./errors.ts";
import { loadConfigText } from "./options_from_config.ts";
import { type ConfigSource, parseConfig } from "./parser.ts";

/** Iterations per fuzz test; sized to stay well under a second each on a loaded machine. */
const iterationsPerTest = 3000;
/** Longest generated or mutated input, in characters. */
const inputLengthMax = 4096;

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CORPUS_DIR = join(import.meta.dir, "..", "..", "test", "config", "corpus");
const SNIPPETS = [
  "port: 4222\nhost = 127.0.0.1\n",
  "a { b: [1, 2.5, -3, \"x\\ty\", 'z', true, 2016-05-04T18:53:41Z] }\n",
  "v = 22\nm { v = 11, w = $v }\nx = $v\n",
  "include 'inc.conf'\nk: $K\n",
  "blk (\nraw text\n)\n",
  "{ \"json\": { \"a\": [1, 2] } }",
  "authorization { users = [ {user: a, password: $2a$11$abc} ] }\n",
  "cluster { routes = [\n nats://a:1\n nats://b:2\n ] } # c\n// d\n",
  "sizes: [1k, 2KB, 3MiB, 4g]; dur: \"2m\"; neg: -1.5",
];
const ALPHABET = "{}[]()=:;,#/\"'\\$ \t\n\rabcxyz019-._kKmMgGbBiI\u00e9\u2028\ufeff\0";

function seeds(): string[] {
  let files: string[] = [];
  try {
    files = readdirSync(CORPUS_DIR).filter((f) => f.endsWith(".conf"));
  } catch {
    files = [];
  }
  return [...SNIPPETS, ...files.map((f) => readFileSync(join(CORPUS_DIR, f), "utf8"))];
}

function mutate(text: string, rand: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * (out.length + 1));
    const op = Math.floor(rand() * 5);
    const char = ALPHABET[Math.floor(rand() * ALPHABET.length)];
    if (op === 0) out = out.slice(0, at) + char + out.slice(at);
    else if (op === 1) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(rand() * 8));
    else if (op === 2) out = out.slice(0, at) + char + out.slice(at + 1);
    else if (op === 3) out = out.slice(0, at);
    else {
      const copied = out.slice(Math.floor(rand() * out.length)).slice(0, 64);
      out = out.slice(0, at) + copied + out.slice(at);
    }
  }
  return out.slice(0, inputLengthMax);
}

function randomText(rand: () => number): string {
  const length = Math.floor(rand() * 200);
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return out;
}

/** Includes resolve to fuzzed texts too (including themselves); env values are fuzzed. */
function fuzzSource(rand: () => number, texts: string[]): ConfigSource {
  return {
    readFile: (path) => {
      if (path.endsWith("missing.conf")) throw new Error("no such file");
      return mutate(texts[Math.floor(rand() * texts.length)], rand);
    },
    env: (name) => (name === "UNSET" ? undefined : mutate(`$${name}x 1k`, rand)),
  };
}

/** Parses, maps and digests; only ConfigError/ConfigErrors may escape. */
function exercise(text: string, source: ConfigSource): "ok" | "error" {
  try {
    const root = parseConfig(text, { file: "fuzz.conf", source });
    configDigest(root);
    loadConfigText(text, { file: "fuzz.conf", source, checkMode: true });
    return "ok";
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ConfigErrors) return "error";
    throw new Error(`unexpected ${(error as Error).name} for ${JSON.stringify(text)}: ` +
      (error as Error).message);
  }
}

describe("config reader fuzz", () => {
  test("mutated realistic configs give a value or a ConfigError", () => {
    const rand = prng(0x5eed);
    const texts = seeds();
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < iterationsPerTest; i++) {
      const text = mutate(texts[i % texts.length], rand);
      outcomes[exercise(text, fuzzSource(rand, texts))]++;
    }
    // Both outcomes occur: the mutations neither leave every input valid nor break every one.
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.error).toBeGreaterThan(0);
  });

  test("random text gives a value or a ConfigError", () => {
    const rand = prng(0xfacade);
    const texts = seeds();
    let errors = 0;
    for (let i = 0; i < iterationsPerTest; i++) {
      if (exercise(randomText(rand), fuzzSource(rand, texts)) === "error") errors++;
    }
    expect(errors).toBeGreaterThan(0);
  });

  test("hostile shapes are errors, not crashes", () => {
    const rand = prng(1);
    const source = fuzzSource(rand, SNIPPETS);
    const hostile = [
      `a = ${"[".repeat(200_000)}`,
      `a ${"{ b ".repeat(50_000)}`,
      `${"{".repeat(100_000)}`,
      `a = "${"\\".repeat(100_001)}`,
      `s = '${"x".repeat(1_000_000)}`,
      Array.from({ length: 60 }, (_, i) => `v${i + 1} = [$v${i}, $v${i}]`)
        .join("\n").replace("$v0, $v0", "1, 2"),
      "include self.conf",
      `k${"x".repeat(10_000)} = 1`,
    ];
    for (const text of hostile) expect(exercise(text, source)).toBe("error");
  });
});
