/**
 * A small declarative schema for config blocks natsd parses but does not act on yet
 * (cluster, tls, accounts, …): it checks value types and known keys, so a typo or a wrong
 * type is reported with its position now rather than when the feature lands.
 *
 * Schemas are finite trees written in code (never recursive), so validation recursion is
 * bounded by the schema depth, and by the value depth (treeDepthMax) for `any`.
 * @module
 */
import { assert } from "./assert.ts";
import { DurationError, parseDurationNs } from "./duration.ts";
import type { Position } from "./errors.ts";
import { type ConfigKind, type ConfigNode, describeNode, kindName } from "./values.ts";

export type Schema =
  | { type: "string" | "bool" | "int" | "number" | "duration" | "size" | "any" }
  | { type: "enum"; values: string[] }
  | { type: "map"; keys: Map<string, Schema> }
  | { type: "dict"; values: Schema }
  | { type: "list"; items: Schema }
  | { type: "oneOf"; options: Schema[] };

export const str: Schema = { type: "string" };
export const bool: Schema = { type: "bool" };
export const int: Schema = { type: "int" };
/** An integer or a float. */
export const num: Schema = { type: "number" };
/** A Go duration string ("2m"); an integer (seconds) is accepted too, as nats-server does. */
export const dur: Schema = { type: "duration" };
/** A size: an integer (suffixes such as 1GB allowed) or a string such as "1G". */
export const size: Schema = { type: "size" };
export const any: Schema = { type: "any" };
export const enumOf = (...values: string[]): Schema => ({ type: "enum", values });
export const list = (items: Schema): Schema => ({ type: "list", items });
export const dict = (values: Schema): Schema => ({ type: "dict", values });
export const oneOf = (...options: Schema[]): Schema => ({ type: "oneOf", options });
export const strOrList: Schema = oneOf(str, list(str));

/** A map with known keys; `"a|b"` declares aliases. Keys match case-insensitively. */
export function map(keys: Record<string, Schema>): Schema {
  const table = new Map<string, Schema>();
  for (const [names, schema] of Object.entries(keys)) {
    for (const name of names.split("|")) table.set(name.toLowerCase(), schema);
  }
  return { type: "map", keys: table };
}

export interface SchemaReport {
  error(pos: Position, reason: string): void;
  /** A key the schema does not know (nats-server: `unknown field`). */
  unknown(path: string, pos: Position): void;
}

/** The kinds a schema accepts at its top, for choosing a oneOf branch and for messages. */
function acceptedKinds(schema: Schema): ConfigKind[] {
  switch (schema.type) {
    case "string": case "enum": return ["string"];
    case "bool": return ["bool"];
    case "int": return ["int"];
    case "number": return ["int", "float"];
    case "duration": case "size": return ["string", "int"];
    case "any": return ["string", "bool", "int", "float", "datetime", "array", "map"];
    case "map": case "dict": return ["map"];
    case "list": return ["array"];
    case "oneOf": return [...new Set(schema.options.flatMap(acceptedKinds))];
  }
}

function expectedText(schema: Schema): string {
  if (schema.type === "duration") return "a duration such as \"2m\"";
  if (schema.type === "enum") return `one of ${schema.values.map((v) => `'${v}'`).join(", ")}`;
  const kinds = acceptedKinds(schema).map(kindName);
  if (kinds.length <= 2) return kinds.join(" or ");
  return `${kinds.slice(0, -1).join(", ")} or ${kinds.at(-1)}`;
}

/** Checks `node` against `schema`, reporting problems; `path` names the value in messages. */
export function validate(node: ConfigNode, schema: Schema, path: string, report: SchemaReport,
  depth = 0, keyPos: Position = node.pos): void {
  assert(depth <= 64, "schema: validation depth is bounded by the schema");
  if (!acceptedKinds(schema).includes(node.kind)) {
    report.error(keyPos, `'${path}' must be ${expectedText(schema)}, got ${describeNode(node)}`);
    return;
  }
  switch (schema.type) {
    case "duration":
      if (node.kind === "string") checkDuration(node.value, keyPos, path, report);
      return;
    case "enum":
      if (node.kind === "string" && !schema.values.includes(node.value.toLowerCase())) {
        report.error(keyPos, `'${path}' must be ${expectedText(schema)}, got ` +
          describeNode(node));
      }
      return;
    case "oneOf": {
      const branch = schema.options.find((o) => acceptedKinds(o).includes(node.kind));
      assert(branch !== undefined, "schema: a oneOf branch accepts the kind");
      validate(node, branch, path, report, depth + 1, keyPos);
      return;
    }
    case "list":
      if (node.kind !== "array") return;
      node.items.forEach((item, i) =>
        validate(item, schema.items, `${path}[${i}]`, report, depth + 1));
      return;
    case "dict":
    case "map":
      if (node.kind !== "map") return;
      for (const [key, entry] of node.entries) {
        const child = schema.type === "dict" ? schema.values : schema.keys.get(key.toLowerCase());
        if (child === undefined) {
          if (!entry.usedAsVariable) report.unknown(`${path}.${key}`, entry.keyPos);
          continue;
        }
        validate(entry.value, child, `${path}.${key}`, report, depth + 1, entry.keyPos);
      }
      return;
  }
}

function checkDuration(text: string, pos: Position, path: string, report: SchemaReport): void {
  try {
    parseDurationNs(text);
  } catch (error) {
    if (!(error instanceof DurationError)) throw error;
    report.error(pos, `error parsing ${path}: ${error.message}`);
  }
}
