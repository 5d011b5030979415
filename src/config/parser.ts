/**
 * Parser for the nats-server configuration format: turns the lexer's tokens into a tree of
 * positioned values, resolving `$VAR` references (earlier keys of the current and enclosing
 * maps, then environment variables re-parsed as values) and `include` files (relative to the
 * including file, merged into the current map).
 *
 * Bounded: containers are an explicit stack (no recursion over the input), included files and
 * environment references nest to named limits, include cycles and variable amplification are
 * errors. File and environment access go through a ConfigSource so tests can substitute them.
 * @module
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { assert } from "./assert.ts";
import { ConfigError, type Position } from "./errors.ts";
import { Lexer, type Token } from "./lexer.ts";
import {
  configFileBytesMax, envReferenceDepthMax, includeDepthMax, treeDepthMax, treeNodeCountMax,
} from "./limits.ts";
import {
  type ConfigEntry, type ConfigNode, type MapNode, relocate, scalar,
} from "./values.ts";

/** Where the parser reads included files and environment variables. */
export interface ConfigSource {
  /** Contents of a file; throws (any error) when it cannot be read. */
  readFile(path: string): string;
  env(name: string): string | undefined;
}

export const systemSource: ConfigSource = {
  readFile(path: string): string {
    const size = statSync(path).size;
    if (size > configFileBytesMax) {
      throw new Error(`file is ${size} bytes, more than the ${configFileBytesMax} allowed`);
    }
    return readFileSync(path, "utf8");
  },
  env: (name: string) => process.env[name],
};

export interface ParseOptions {
  /** Name used in positions and as the base for relative includes ("" = none, use cwd). */
  file?: string;
  source?: ConfigSource;
}

/** Parses config text into its top-level map. Throws ConfigError. */
export function parseConfig(text: string, options: ParseOptions = {}): MapNode {
  const file = options.file ?? "";
  const chain = file === "" ? [] : [resolve(file)];
  const context: ParseContext = {
    source: options.source ?? systemSource, envReferences: new Set(), envDepth: 0,
    includeChain: chain,
  };
  return new Parser(text, file, context).parse();
}

/** Reads and parses a config file. Throws ConfigError (also for an unreadable file). */
export function parseConfigFile(path: string, source: ConfigSource = systemSource): MapNode {
  let text: string;
  try {
    text = source.readFile(path);
  } catch (error) {
    throw new ConfigError({ file: path, line: 0, column: 0 },
      `error opening config file: ${(error as Error).message}`);
  }
  return parseConfig(text, { file: path, source });
}

interface ParseContext {
  source: ConfigSource;
  /** Environment variables being expanded right now (a repeat is a cycle). */
  envReferences: Set<string>;
  envDepth: number;
  /** Resolved paths of the files being parsed, outermost first. */
  includeChain: string[];
}

interface MapFrame {
  kind: "map";
  pos: Position;
  entries: Map<string, ConfigEntry>;
  pendingKey: { name: string; pos: Position } | null;
  size: number;
}
interface ArrayFrame { kind: "array"; pos: Position; items: ConfigNode[]; size: number }
type Frame = MapFrame | ArrayFrame;

const SIZE_MULTIPLIERS: Record<string, bigint> = (() => {
  const table: Record<string, bigint> = { "": 1n };
  const letters = ["k", "m", "g", "t", "p", "e"];
  letters.forEach((letter, i) => {
    const power = BigInt(i + 1);
    table[letter] = 1000n ** power;
    for (const binary of ["b", "i", "ib"]) table[letter + binary] = 1024n ** power;
  });
  return table;
})();
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

class Parser {
  readonly #lexer: Lexer;
  readonly #file: string;
  readonly #context: ParseContext;
  readonly #frames: Frame[] = [];

  constructor(text: string, file: string, context: ParseContext) {
    // Go keeps a byte-order mark as part of the first key; dropping it is kinder.
    this.#lexer = new Lexer(text.startsWith("\ufeff") ? text.slice(1) : text, file);
    this.#file = file;
    this.#context = context;
  }

  parse(): MapNode {
    const rootPos = this.#pos({ line: 1, column: 1 });
    const root: MapFrame = {
      kind: "map", pos: rootPos, entries: new Map(), pendingKey: null, size: 1,
    };
    this.#frames.push(root);
    for (;;) {
      const token = this.#lexer.next();
      if (token.kind === "eof") break;
      this.#process(token);
    }
    assert(this.#frames.length === 1, "parser: only the root frame is open at the end");
    // Go accepts a stray '}' after the last value (JSON-style files); any other key is bare.
    if (root.pendingKey?.name === "}") root.pendingKey = null;
    return this.#close(root) as MapNode;
  }

  #pos(token: { line: number; column: number }): Position {
    return { file: this.#file, line: token.line, column: token.column };
  }

  #top(): Frame {
    const frame = this.#frames.at(-1);
    assert(frame !== undefined, "parser: a frame is open");
    return frame;
  }

  #process(token: Token): void {
    const pos = this.#pos(token);
    switch (token.kind) {
      case "key": {
        const frame = this.#top();
        assert(frame.kind === "map", "parser: keys appear in maps");
        frame.pendingKey = { name: token.text, pos };
        return;
      }
      case "mapStart":
        this.#frames.push({ kind: "map", pos, entries: new Map(), pendingKey: null, size: 1 });
        return;
      case "arrayStart":
        this.#frames.push({ kind: "array", pos, items: [], size: 1 });
        return;
      case "mapEnd": case "arrayEnd": {
        const frame = this.#frames.pop();
        assert(frame !== undefined && frame.kind === (token.kind === "mapEnd" ? "map" : "array"),
          "parser: container ends match their starts");
        this.#set(this.#close(frame));
        return;
      }
      case "variable":
        this.#set(relocate(this.#lookup(token.text, pos), pos));
        return;
      case "include":
        this.#include(token.text, pos);
        return;
      default:
        this.#set(this.#scalar(token, pos));
    }
  }

  #close(frame: Frame): ConfigNode {
    if (frame.kind === "array") {
      const depth = 1 + Math.max(0, ...frame.items.map((n) => n.depth));
      this.#checkShape(frame.pos, depth);
      const size = 1 + frame.items.reduce((sum, n) => sum + n.size, 0);
      return { kind: "array", items: frame.items, pos: frame.pos, size, depth };
    }
    if (frame.pendingKey !== null) {
      throw new ConfigError(frame.pendingKey.pos, `key '${frame.pendingKey.name}' has no value`);
    }
    const values = [...frame.entries.values()].map((e) => e.value);
    const depth = 1 + Math.max(0, ...values.map((n) => n.depth));
    this.#checkShape(frame.pos, depth);
    const size = 1 + values.reduce((sum, n) => sum + n.size, 0);
    return { kind: "map", entries: frame.entries, pos: frame.pos, size, depth };
  }

  #checkShape(pos: Position, depth: number): void {
    if (depth > treeDepthMax) {
      throw new ConfigError(pos, `values nested deeper than ${treeDepthMax} levels`);
    }
  }

  /** Adds a finished value to the open container. */
  #set(node: ConfigNode): void {
    const frame = this.#top();
    frame.size += node.size;
    if (frame.size > treeNodeCountMax) {
      throw new ConfigError(node.pos, `config expands to more than ${treeNodeCountMax} values ` +
        `(variables referencing variables?)`);
    }
    if (frame.kind === "array") {
      frame.items.push(node);
      return;
    }
    const key = frame.pendingKey;
    assert(key !== null, "parser: a map value follows its key");
    frame.entries.set(key.name,
      { key: key.name, keyPos: key.pos, value: node, usedAsVariable: false });
    frame.pendingKey = null;
  }

  #scalar(token: Token, pos: Position): ConfigNode {
    switch (token.kind) {
      case "string": return scalar("string", token.text, pos);
      case "bool":
        return scalar("bool", ["true", "yes", "on"].includes(token.text.toLowerCase()), pos);
      case "int": return scalar("int", parseInteger(token.text, pos), pos);
      case "float": {
        const value = Number(token.text);
        if (!Number.isFinite(value)) {
          throw new ConfigError(pos, `float '${token.text}' is out of range`);
        }
        return scalar("float", value, pos);
      }
      case "datetime":
        return { kind: "datetime", value: parseDatetime(token.text, pos), text: token.text,
          pos, size: 1, depth: 1 };
      default:
        throw new Error(`config parser: unexpected token ${token.kind}`);
    }
  }

  /** `$name`: a raw bcrypt hash, an earlier key in an enclosing map, or the environment. */
  #lookup(name: string, pos: Position): ConfigNode {
    if (name.startsWith("2a$")) return scalar("string", `$${name}`, pos);
    for (let i = this.#frames.length - 1; i >= 0; i--) {
      const frame = this.#frames[i];
      if (frame.kind !== "map") continue;
      const entry = frame.entries.get(name);
      if (entry !== undefined) {
        entry.usedAsVariable = true;
        return entry.value;
      }
    }
    return this.#lookupEnv(name, pos);
  }

  #lookupEnv(name: string, pos: Position): ConfigNode {
    const context = this.#context;
    if (context.envReferences.has(name)) {
      throw new ConfigError(pos, `variable reference cycle for '${name}'`);
    }
    const raw = context.source.env(name);
    if (raw === undefined) {
      throw new ConfigError(pos, `variable reference for '${name}' can not be found`);
    }
    if (context.envDepth >= envReferenceDepthMax) {
      throw new ConfigError(pos, `environment variables reference each other more than ` +
        `${envReferenceDepthMax} levels deep at '${name}'`);
    }
    context.envReferences.add(name);
    try {
      const sub: ParseContext = { ...context, envDepth: context.envDepth + 1, includeChain: [] };
      const parsed = new Parser(`pk=${raw}`, `env:${name}`, sub).parse();
      const value = parsed.entries.get("pk")?.value;
      if (value === undefined) {
        throw new ConfigError(pos, `variable reference for '${name}' can not be found`);
      }
      return value;
    } catch (error) {
      if (!(error instanceof ConfigError) || error.file === this.#file) throw error;
      throw new ConfigError(pos, `variable reference for '${name}' could not be parsed: ` +
        error.reason);
    } finally {
      context.envReferences.delete(name);
    }
  }

  #include(target: string, pos: Position): void {
    const frame = this.#top();
    assert(frame.kind === "map", "parser: includes appear in maps");
    const base = this.#file === "" ? "." : dirname(this.#file);
    const path = isAbsolute(target) ? target : join(base, target);
    const resolved = resolve(path);
    const chain = this.#context.includeChain;
    if (chain.includes(resolved)) {
      throw new ConfigError(pos, `include cycle: ${[...chain, resolved].join(" -> ")}`);
    }
    if (chain.length > includeDepthMax) {
      throw new ConfigError(pos, `includes nested more than ${includeDepthMax} levels deep`);
    }
    let text: string;
    try {
      text = this.#context.source.readFile(path);
    } catch (error) {
      throw new ConfigError(pos, `error parsing include file '${target}': ` +
        (error as Error).message);
    }
    const sub: ParseContext = {
      source: this.#context.source, envReferences: new Set(), envDepth: 0,
      includeChain: [...chain, resolved],
    };
    const included = new Parser(text, path, sub).parse();
    for (const entry of included.entries.values()) {
      frame.pendingKey = { name: entry.key, pos: entry.keyPos };
      this.#set(entry.value);
      const merged = frame.entries.get(entry.key);
      assert(merged !== undefined, "parser: included entry was merged");
      merged.usedAsVariable = entry.usedAsVariable;
    }
  }
}

/** `123`, `-5`, `64MiB`, `1k`: Go's int64 with 1000/1024 size suffixes. */
export function parseInteger(text: string, pos: Position): bigint {
  const match = /^(-?[0-9]+)(.*)$/.exec(text);
  if (match === null) throw new ConfigError(pos, `expected an integer, but got '${text}'`);
  const digits = BigInt(match[1]);
  if (digits > INT64_MAX || digits < INT64_MIN) {
    throw new ConfigError(pos, `integer '${text}' is out of range`);
  }
  const suffix = match[2].toLowerCase();
  const multiplier = SIZE_MULTIPLIERS[suffix];
  if (multiplier === undefined) {
    throw new ConfigError(pos, `invalid size suffix '${match[2]}' in '${text}': expected one of ` +
      "k, kb, ki, kib, m, mb, mi, mib, g, gb, gi, gib, t, …, e, eb, ei, eib");
  }
  const value = digits * multiplier;
  if (value > INT64_MAX || value < INT64_MIN) {
    throw new ConfigError(pos, `integer '${text}' is out of range`);
  }
  return value;
}

/** `2006-01-02T15:04:05Z` to epoch milliseconds; rejects impossible dates as Go does. */
export function parseDatetime(text: string, pos: Position): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(text);
  if (m === null) throw new ConfigError(pos, `expected Zulu formatted DateTime, but got '${text}'`);
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, keeps years below 100 as given
  d.setUTCHours(hour, minute, second, 0);
  const ms = d.getTime();
  const valid = d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 &&
    d.getUTCDate() === day && d.getUTCHours() === hour && d.getUTCMinutes() === minute &&
    d.getUTCSeconds() === second;
  if (!valid) throw new ConfigError(pos, `expected Zulu formatted DateTime, but got '${text}'`);
  return ms;
}
