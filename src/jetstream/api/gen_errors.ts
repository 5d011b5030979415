/**
 * Generates errors_generated.ts from nats-server's server/errors.json, the table every JetStream
 * API error comes from. Run with the path of that file (for example from a mirror:
 * `git -C <nats-server> show HEAD:server/errors.json > /tmp/errors.json`):
 *
 *   bun src/jetstream/api/gen_errors.ts /tmp/errors.json [source-label]
 *
 * Only data is taken from the table (constant names, codes, texts); the TypeScript around it is
 * natsd's own.
 * @module
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";

interface ErrorEntry {
  constant: string;
  code: number;
  error_code: number;
  description: string;
  comment: string;
}

/** The TypeScript text of the generated module. */
export function renderErrors(entries: readonly ErrorEntry[], source: string): string {
  const sorted = [...entries].sort((a, b) => a.error_code - b.error_code);
  const lines = [
    "/**",
    " * JetStream API errors, generated from nats-server's server/errors.json",
    ` * (${source}) by gen_errors.ts. Do not edit: regenerate.`,
    " * Descriptions keep Go's `{tag}` placeholders; api_error.ts fills them in.",
    " * @module",
    " */",
    "",
    "/** One entry of nats-server's error table. */",
    "export interface ApiErrorDef {",
    "  /** The HTTP-like status code. */",
    "  readonly code: number;",
    "  /** The JetStream error code (10xxx). */",
    "  readonly err_code: number;",
    "  /** The text, with `{tag}` placeholders. */",
    "  readonly description: string;",
    "  /** Go's constant name. */",
    "  readonly constant: string;",
    "}",
    "",
    "const def = (constant: string, code: number, errCode: number, description: string):",
    "  ApiErrorDef => Object.freeze({ code, err_code: errCode, description, constant });",
    "",
  ];
  for (const e of sorted) {
    if (e.comment) lines.push(`/** ${e.comment.replaceAll("*/", "*\\/")} */`);
    lines.push(`export const ${e.constant} = def(`);
    lines.push(`  ${JSON.stringify(e.constant)}, ${e.code}, ${e.error_code},`);
    lines.push(`  ${JSON.stringify(e.description)});`);
  }
  lines.push("");
  lines.push("/** Every entry by err_code. */");
  lines.push("export const API_ERRORS_BY_CODE: ReadonlyMap<number, ApiErrorDef> = new Map([");
  for (const e of sorted) lines.push(`  [${e.error_code}, ${e.constant}],`);
  lines.push("]);");
  lines.push("");
  return lines.join("\n");
}

if (import.meta.main) {
  const path = process.argv[2];
  if (!path) throw new TypeError("Usage: bun gen_errors.ts <errors.json> [source-label]");
  const entries = JSON.parse(await Bun.file(path).text()) as ErrorEntry[];
  const source = process.argv[3] ?? "nats-server main";
  writeFileSync(join(import.meta.dir, "errors_generated.ts"), renderErrors(entries, source));
}
