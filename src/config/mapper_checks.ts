/**
 * Small helpers the config key handlers share (config/auth_options.ts, auth/jwt/operator_config.ts).
 * @module
 */
import type { Mapper } from "./options_from_config.ts";
import { type Schema, validate } from "./schema.ts";
import type { ConfigEntry, ConfigNode } from "./values.ts";

/** Validates an entry against a schema, reporting into the mapper; true when it added no error. */
export function schemaChecked(m: Mapper, e: ConfigEntry, schema: Schema): boolean {
  const before = m.errors.length;
  validate(e.value, schema, e.key,
    { error: (p, r) => m.error(p, r), unknown: (path, pos) => m.unknown(path, pos) }, 0, e.keyPos);
  return m.errors.length === before;
}

/** A string or an array's strings (other items are skipped: the schema reports them). */
export function strings(node: ConfigNode): string[] {
  if (node.kind === "string") return [node.value];
  if (node.kind !== "array") return [];
  return node.items.flatMap((i) => (i.kind === "string" ? [i.value] : []));
}
