/**
 * The parsed config tree. Every value knows where it came from (file, line, column); map
 * entries also know where their key is, which is where nats-server points its errors.
 * Integers are bigint because the format has int64 semantics (`1EB` is 2^60-ish).
 * @module
 */
import type { Position } from "./errors.ts";
import { assert } from "./assert.ts";

interface NodeBase {
  pos: Position;
  /** Values in this subtree, shared subtrees counted each time (bounded by treeNodeCountMax). */
  size: number;
  /** 1 for scalars; 1 + deepest child for containers (bounded by treeDepthMax). */
  depth: number;
}

export interface StringNode extends NodeBase { kind: "string"; value: string }
export interface BoolNode extends NodeBase { kind: "bool"; value: boolean }
export interface IntNode extends NodeBase { kind: "int"; value: bigint }
export interface FloatNode extends NodeBase { kind: "float"; value: number }
/** `2006-01-02T15:04:05Z`; `value` is milliseconds since the epoch, `text` the source form. */
export interface DatetimeNode extends NodeBase { kind: "datetime"; value: number; text: string }
export interface ArrayNode extends NodeBase { kind: "array"; items: ConfigNode[] }
export interface MapNode extends NodeBase { kind: "map"; entries: Map<string, ConfigEntry> }

export type ConfigNode =
  | StringNode | BoolNode | IntNode | FloatNode | DatetimeNode | ArrayNode | MapNode;
export type ConfigKind = ConfigNode["kind"];

export interface ConfigEntry {
  key: string;
  keyPos: Position;
  value: ConfigNode;
  /** Set when `$key` referenced this entry: such keys are not "unknown" (as in nats-server). */
  usedAsVariable: boolean;
}

/** What a kind is called in error messages. */
export function kindName(kind: ConfigKind): string {
  switch (kind) {
    case "string": return "a string";
    case "bool": return "a boolean";
    case "int": return "an integer";
    case "float": return "a float";
    case "datetime": return "a datetime";
    case "array": return "an array";
    case "map": return "a map";
  }
}

/** A node's value in plain JS form, for messages. */
export function describeNode(node: ConfigNode): string {
  switch (node.kind) {
    case "string": return `string ${JSON.stringify(node.value)}`;
    case "bool": case "int": case "float": return `${node.kind} ${node.value}`;
    case "datetime": return `datetime ${node.text}`;
    case "array": return `an array of ${node.items.length}`;
    case "map": return "a map";
  }
}

export type PlainValue =
  | string | boolean | number | bigint | Date | PlainValue[] | { [key: string]: PlainValue };

/**
 * Plain JS form of a node: maps become objects, integers numbers (bigint when beyond 2^53),
 * datetimes Date. Recursion is bounded by the node's depth (treeDepthMax).
 */
export function toPlain(node: ConfigNode): PlainValue {
  switch (node.kind) {
    case "string": case "bool": case "float": return node.value;
    case "int": {
      const n = Number(node.value);
      return Number.isSafeInteger(n) ? n : node.value;
    }
    case "datetime": return new Date(node.value);
    case "array": return node.items.map(toPlain);
    case "map":
      // fromEntries defines own properties, so a key such as "__proto__" stays data.
      return Object.fromEntries([...node.entries].map(([k, e]) => [k, toPlain(e.value)]));
  }
}

/** The entry for `key` in a map node (exact key). */
export function entryOf(map: MapNode, key: string): ConfigEntry | undefined {
  return map.entries.get(key);
}

export function scalar<K extends "string" | "bool" | "int" | "float">(
  kind: K, value: Extract<ConfigNode, { kind: K }>["value"], pos: Position,
): Extract<ConfigNode, { kind: K }> {
  return { kind, value, pos, size: 1, depth: 1 } as Extract<ConfigNode, { kind: K }>;
}

/** A copy of `node` placed at `pos` (a `$variable` takes the reference's position). */
export function relocate(node: ConfigNode, pos: Position): ConfigNode {
  assert(node.size >= 1 && node.depth >= 1, "relocate: node has size and depth");
  return { ...node, pos };
}
