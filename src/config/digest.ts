/**
 * The config digest `-t` prints: `sha256:<hex>` over the parsed tree encoded the way Go's
 * encoding/json Encoder writes a map (keys sorted by bytes, HTML-safe escapes, trailing new
 * line). Comments, whitespace, quoting style and variables do not change it; values do.
 * @module
 */
import { createHash } from "node:crypto";
import type { ConfigNode, MapNode } from "./values.ts";

const encoder = new TextEncoder();

function compareBytes(a: string, b: string): number {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f",
};

/** A JSON string literal as Go writes it (escapes <, >, &, U+2028, U+2029). */
export function goJsonString(s: string): string {
  let out = '"';
  for (const c of s) {
    const short = SHORT_ESCAPES[c];
    if (short !== undefined) {
      out += short;
      continue;
    }
    const code = c.codePointAt(0) ?? 0;
    const needsHex = code < 0x20 || c === "<" || c === ">" || c === "&" ||
      code === 0x2028 || code === 0x2029 || (code >= 0xd800 && code <= 0xdfff);
    if (!needsHex) {
      out += c;
      continue;
    }
    // Go writes invalid UTF-8 (here: a lone surrogate) as the replacement character.
    const shown = code >= 0xd800 && code <= 0xdfff ? 0xfffd : code;
    out += `\\u${shown.toString(16).padStart(4, "0")}`;
  }
  return out + '"';
}

/** Go's JSON for one value. Recursion is bounded by the node's depth (treeDepthMax). */
export function goJson(node: ConfigNode): string {
  switch (node.kind) {
    case "string": return goJsonString(node.value);
    case "bool": return node.value ? "true" : "false";
    case "int": return node.value.toString();
    // JS and Go both print the shortest round-trip form, switching to exponents at the same
    // bounds (1e21, 1e-7), and both write "1e+21" / "1e-7".
    case "float": return Object.is(node.value, -0) ? "-0" : String(node.value);
    case "datetime": return goJsonString(node.text);
    case "array": return `[${node.items.map(goJson).join(",")}]`;
    case "map": {
      const keys = [...node.entries.keys()].sort(compareBytes);
      const fields = keys.map((k) => `${goJsonString(k)}:${goJson(node.entries.get(k)!.value)}`);
      return `{${fields.join(",")}}`;
    }
  }
}

/** `sha256:<hex>` of the tree, matching nats-server's ConfigDigest(). */
export function configDigest(root: MapNode): string {
  const hash = createHash("sha256").update(goJson(root) + "\n", "utf8").digest("hex");
  return `sha256:${hash}`;
}
