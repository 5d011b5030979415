/**
 * The CONNECT JSON (reference section 1.3), decoded strictly as Go's json.Unmarshal does into
 * `ClientOpts`: unknown fields are ignored, a known field of the wrong type is an error, and
 * fields not sent keep Go's struct defaults (verbose, pedantic and echo are true until a CONNECT
 * says otherwise).
 * @module
 */

export interface ConnectOptions {
  echo: boolean;
  verbose: boolean;
  pedantic: boolean;
  tlsRequired: boolean;
  nkey: string;
  jwt: string;
  sig: string;
  /** A trusted proxy's signature of the nonce (nats-server 2.12+). */
  proxySig: string;
  authToken: string;
  user: string;
  pass: string;
  name: string;
  lang: string;
  version: string;
  protocol: number;
  account: string;
  newAccount: boolean;
  headers: boolean;
  noResponders: boolean;
}

export function defaultConnectOptions(): ConnectOptions {
  return {
    echo: true, verbose: true, pedantic: true, tlsRequired: false, nkey: "", jwt: "", sig: "",
    proxySig: "", authToken: "", user: "", pass: "", name: "", lang: "", version: "", protocol: 0,
    account: "", newAccount: false, headers: false, noResponders: false,
  };
}

type FieldKind = "boolean" | "string" | "int";
const FIELDS: Record<string, [keyof ConnectOptions, FieldKind]> = {
  echo: ["echo", "boolean"],
  verbose: ["verbose", "boolean"],
  pedantic: ["pedantic", "boolean"],
  tls_required: ["tlsRequired", "boolean"],
  nkey: ["nkey", "string"],
  jwt: ["jwt", "string"],
  sig: ["sig", "string"],
  proxy_sig: ["proxySig", "string"],
  auth_token: ["authToken", "string"],
  user: ["user", "string"],
  pass: ["pass", "string"],
  name: ["name", "string"],
  lang: ["lang", "string"],
  version: ["version", "string"],
  protocol: ["protocol", "int"],
  account: ["account", "string"],
  new_account: ["newAccount", "boolean"],
  headers: ["headers", "boolean"],
  no_responders: ["noResponders", "boolean"],
};

/** Raised for a CONNECT that Go's decoder would reject (the connection is closed). */
export class ConnectDecodeError extends Error {
  override name = "ConnectDecodeError";
}

/**
 * Applies a CONNECT JSON text onto `into` (a second CONNECT updates the previous options, as
 * Go unmarshals into the same struct). Throws ConnectDecodeError for invalid input.
 */
export function applyConnectJson(json: string, into: ConnectOptions): ConnectOptions {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new ConnectDecodeError(`Cannot decode CONNECT: ${(error as Error).message}`);
  }
  if (parsed === null) return into; // Go: unmarshalling null into a struct is a no-op
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConnectDecodeError("Cannot decode CONNECT: expected a JSON object");
  }
  const record = parsed as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const field = FIELDS[key] ?? FIELDS[key.toLowerCase()];
    if (!field) continue;
    const value = record[key];
    if (value === null) continue;
    const [name, kind] = field;
    (into as unknown as Record<string, unknown>)[name] = checkedValue(key, value, kind);
  }
  return into;
}

function checkedValue(key: string, value: unknown, kind: FieldKind): unknown {
  if (kind === "boolean" && typeof value === "boolean") return value;
  if (kind === "string" && typeof value === "string") return value;
  if (kind === "int" && typeof value === "number" && Number.isInteger(value)) return value;
  throw new ConnectDecodeError(`Cannot decode CONNECT: field "${key}" has the wrong type`);
}
