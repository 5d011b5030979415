/**
 * Strict request decoding with Go's semantics, for JetStream API requests: a request is decoded
 * against a schema that mirrors the Go struct (field names, Go type names), unknown fields are
 * errors (DisallowUnknownFields), keys match case-insensitively after an exact match, `null`
 * leaves a field unset, several concatenated JSON values decode one after the other into the same
 * result, and the first error is reported in Go's words ("json: unknown field \"x\"", "json:
 * cannot unmarshal string into Go struct field StreamConfigRequest.max_age of type
 * time.Duration", "invalid character ... at offset 2"), which nats-server puts after "invalid
 * JSON: " (err_code 10025).
 * @module
 */
import { parseRfc3339Ns } from "./go_json.ts";
import { JsonEofError, type JsonNode, JsonSyntaxError, parseJsonValues } from "./json_parse.ts";

/** Go integer types and their ranges. */
const INT_RANGES = {
  int: [-(2n ** 63n), 2n ** 63n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  uint16: [0n, 2n ** 16n - 1n],
  uint8: [0n, 255n],
} as const;
export type GoIntType = keyof typeof INT_RANGES;

/** A custom Go UnmarshalJSON: the raw JSON text in, a value or Go's error text out. */
export type CustomDecode = (node: JsonNode, raw: string) => { value: unknown } | { error: string };

/** The shape of a Go type, for decoding. */
export type Schema =
  | { readonly k: "string" }
  | { readonly k: "bool" }
  /** A Go integer as a JS number (exact up to 2^53). */
  | { readonly k: "int"; readonly go: GoIntType }
  /** A Go integer kept exact as a bigint (time.Duration and friends). */
  | { readonly k: "bigint"; readonly go: GoIntType | "time.Duration" }
  /** time.Time as unix nanoseconds. */
  | { readonly k: "time" }
  /** []byte as base64. */
  | { readonly k: "bytes" }
  | { readonly k: "custom"; readonly go: string; readonly decode: CustomDecode }
  | { readonly k: "array"; readonly of: Schema }
  | { readonly k: "map"; readonly of: Schema }
  | {
    readonly k: "object";
    readonly go: string;
    readonly fields: Readonly<Record<string, Schema>>;
  };

export const str: Schema = { k: "string" };
export const bool: Schema = { k: "bool" };
export const int = (go: GoIntType): Schema => ({ k: "int", go });
export const duration: Schema = { k: "bigint", go: "time.Duration" };
export const time: Schema = { k: "time" };
export const bytes: Schema = { k: "bytes" };
export const array = (of: Schema): Schema => ({ k: "array", of });
export const map = (of: Schema): Schema => ({ k: "map", of });
export const object = (go: string, fields: Record<string, Schema>): Schema =>
  ({ k: "object", go, fields });

/** Go's name of a schema's type, as UnmarshalTypeError prints it. */
function goTypeName(schema: Schema): string {
  switch (schema.k) {
    case "string":
      return "string";
    case "bool":
      return "bool";
    case "int":
    case "bigint":
      return schema.go;
    case "time":
      return "time.Time";
    case "bytes":
      return "[]uint8";
    case "custom":
      return schema.go;
    case "array":
      return `[]${goTypeName(schema.of)}`;
    case "map":
      return `map[string]${goTypeName(schema.of)}`;
    case "object":
      return `server.${schema.go}`;
  }
}

/** The outcome of decoding a request. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

interface Context {
  /** Ignore unknown fields (json.Unmarshal without DisallowUnknownFields). */
  lenient: boolean;
  /** The innermost Go struct being decoded. */
  struct: string;
  /** JSON field names from the top. */
  path: string[];
  error: string | null;
  text: string;
}

const NODE_KIND: Record<JsonNode["t"], string> = {
  obj: "object", arr: "array", str: "string", num: "number", bool: "bool", null: "null",
};

function typeError(ctx: Context, value: string, schema: Schema): void {
  if (ctx.error !== null) return;
  const type = goTypeName(schema);
  ctx.error = ctx.struct === "" && ctx.path.length === 0
    ? `json: cannot unmarshal ${value} into Go value of type ${type}`
    : `json: cannot unmarshal ${value} into Go struct field ${ctx.struct}.${ctx.path.join(".")} ` +
      `of type ${type}`;
}

function saveError(ctx: Context, message: string): void {
  if (ctx.error === null) ctx.error = message;
}

function decodeInt(node: JsonNode, schema: Schema & { go: string }, ctx: Context): unknown {
  if (node.t !== "num") {
    typeError(ctx, NODE_KIND[node.t], schema);
    return undefined;
  }
  const range = INT_RANGES[schema.go as GoIntType] ?? INT_RANGES.int64;
  if (!/^-?\d+$/.test(node.raw) || BigInt(node.raw) < range[0] || BigInt(node.raw) > range[1]) {
    typeError(ctx, `number ${node.raw}`, schema);
    return undefined;
  }
  return schema.k === "int" ? Number(node.raw) : BigInt(node.raw);
}

function decodeBytes(node: JsonNode, schema: Schema, ctx: Context): unknown {
  if (node.t !== "str") {
    typeError(ctx, NODE_KIND[node.t], schema);
    return undefined;
  }
  const bad = /[^A-Za-z0-9+/=\r\n]/.exec(node.v);
  if (bad !== null || node.v.replace(/[\r\n]/g, "").length % 4 !== 0) {
    saveError(ctx, `illegal base64 data at input byte ${bad?.index ?? node.v.length}`);
    return undefined;
  }
  return new Uint8Array(Buffer.from(node.v, "base64"));
}

function decodeTime(node: JsonNode, ctx: Context): unknown {
  if (node.t !== "str") {
    saveError(ctx, "Time.UnmarshalJSON: input is not a JSON string");
    return undefined;
  }
  const ns = parseRfc3339Ns(node.v);
  if (ns === null) {
    const quoted = JSON.stringify(ctx.text.slice(node.start, node.end));
    saveError(ctx, `parsing time ${quoted} as "\\"2006-01-02T15:04:05Z07:00\\"": ` +
      `cannot parse ${quoted} as "2006"`);
    return undefined;
  }
  return ns;
}

function decodeNode(node: JsonNode, schema: Schema, ctx: Context, into?: unknown): unknown {
  // Go leaves the target unchanged for null, whatever its type.
  if (node.t === "null") return into;
  switch (schema.k) {
    case "string":
      if (node.t === "str") return node.v;
      return typeError(ctx, NODE_KIND[node.t], schema);
    case "bool":
      if (node.t === "bool") return node.v;
      return typeError(ctx, NODE_KIND[node.t], schema);
    case "int":
    case "bigint":
      return decodeInt(node, schema, ctx);
    case "time":
      return decodeTime(node, ctx);
    case "bytes":
      return decodeBytes(node, schema, ctx);
    case "custom": {
      const result = schema.decode(node, ctx.text.slice(node.start, node.end));
      if ("error" in result) return saveError(ctx, result.error);
      return result.value;
    }
    case "array": {
      if (node.t !== "arr") return typeError(ctx, NODE_KIND[node.t], schema);
      return node.items.map((item) => decodeNode(item, schema.of, ctx));
    }
    case "map": {
      if (node.t !== "obj") return typeError(ctx, NODE_KIND[node.t], schema);
      const out: Record<string, unknown> = (into as Record<string, unknown>) ?? {};
      for (const [key, value] of node.entries) out[key] = decodeNode(value, schema.of, ctx);
      return out;
    }
    case "object":
      return decodeObject(node, schema, ctx, into);
  }
}

function decodeObject(
  node: JsonNode, schema: Schema & { k: "object" }, ctx: Context, into: unknown,
): unknown {
  if (node.t !== "obj") return typeError(ctx, NODE_KIND[node.t], schema);
  const out: Record<string, unknown> = (into as Record<string, unknown>) ?? {};
  const outerStruct = ctx.struct;
  for (const [key, value] of node.entries) {
    const name = fieldName(schema.fields, key);
    if (name === null) {
      if (!ctx.lenient) saveError(ctx, `json: unknown field ${JSON.stringify(key)}`);
      continue;
    }
    ctx.struct = schema.go;
    ctx.path.push(name);
    const decoded = decodeNode(value, schema.fields[name], ctx, out[name]);
    if (decoded !== undefined) out[name] = decoded;
    ctx.path.pop();
  }
  ctx.struct = outerStruct;
  return out;
}

/** The field `key` names: an exact match first, then Go's case-insensitive match. */
function fieldName(fields: Readonly<Record<string, Schema>>, key: string): string | null {
  if (Object.hasOwn(fields, key)) return key;
  const lower = key.toLowerCase();
  for (const name of Object.keys(fields)) if (name.toLowerCase() === lower) return name;
  return null;
}

/**
 * Decodes a request body against `schema` (an object schema), as nats-server's unmarshalRequest
 * does with its Decoder loop. An empty body decodes to `{}`. `lenient` ignores unknown fields,
 * as the direct get path (plain json.Unmarshal) does.
 */
export function decodeRequest<T>(
  body: Uint8Array | string, schema: Schema, options: { lenient?: boolean } = {},
): Decoded<T> {
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  let values: JsonNode[];
  try {
    values = parseJsonValues(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      return { ok: false, error: `${error.message} at offset ${error.offset}` };
    }
    if (error instanceof JsonEofError) return { ok: false, error: error.message };
    throw error;
  }
  if (options.lenient === true && values.length > 1) {
    // json.Unmarshal takes exactly one value.
    return { ok: false, error: "invalid character after top-level value" };
  }
  let result: unknown = {};
  for (const node of values) {
    const ctx: Context = { lenient: options.lenient ?? false, struct: "", path: [], error: null,
      text };
    if (schema.k === "object" && node.t !== "obj" && node.t !== "null") {
      return { ok: false, error: `json: cannot unmarshal ${NODE_KIND[node.t]} into Go value ` +
        `of type ${goTypeName(schema)}` };
    }
    result = decodeNode(node, schema, ctx, result) ?? result;
    if (ctx.error !== null) return { ok: false, error: ctx.error };
  }
  return { ok: true, value: result as T };
}

/** A Go enum with UnmarshalJSON `can not unmarshal %q` (RetentionPolicy, StorageType, ...). */
export function goEnum(go: string, values: Readonly<Record<string, string>>, fold = false):
  Schema {
  return {
    k: "custom",
    go,
    decode: (node, raw) => {
      const key = node.t === "str" ? (fold ? node.v.toLowerCase() : node.v) : null;
      if (node.t === "str" && key !== null && Object.hasOwn(values, key) &&
        raw === JSON.stringify(node.v)) {
        return { value: values[key] };
      }
      return { error: `can not unmarshal ${JSON.stringify(raw)}` };
    },
  };
}
