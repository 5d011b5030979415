/**
 * nats-server's command line (main.go usage, server/opts.go ConfigureOptions), parsed with
 * the grammar of Go's flag package: `-f v`, `-f=v`, `--f v`, `--f=v`; booleans take no value
 * (`-T=false` turns one off); parsing stops at the first non-flag argument or `--`, and the
 * first remaining argument may be the command `version` or `help`.
 *
 * The result says which options the flags set explicitly: those override the config file
 * (nats-server parses the flags again after the file). Flags for features natsd does not
 * have yet are parsed and listed in `unsupported`.
 * @module
 */
import type { Options } from "../server/options.ts";
import { DEFAULTS } from "../server/options.ts";
import { FLAG_NOT_AVAILABLE } from "./feature_status.ts";

export type CliAction =
  | { kind: "run" }
  | { kind: "help" }
  | { kind: "helpTls" }
  | { kind: "version" }
  /** `-t`: check the config file and exit. */
  | { kind: "checkConfig" }
  /** `-sl cmd[=pid]`: `spec` is the raw value, for signal_command.ts. */
  | { kind: "signal"; spec: string };

export interface UnsupportedFlag {
  flag: string;
  value: string;
  feature: string;
}

export interface CliResult {
  action: CliAction;
  /** Values of the flags given (only those). */
  options: Partial<Options>;
  /** Options the flags set; they win over the config file. */
  explicit: Set<keyof Options>;
  /** `-c` / `--config`, "" when absent. */
  configFile: string;
  /** `-sl` / `--signal` value, "" when absent. */
  signal: string;
  /** Cluster flags natsd keeps for later (`--routes`, `--cluster`, …), by long name. */
  cluster: Record<string, string>;
  unsupported: UnsupportedFlag[];
}

/** A bad command line; the caller prints the message and the usage, and exits 1. */
export class CliError extends Error {
  override name = "CliError";
}

type Kind = "bool" | "int" | "string";
/** Switches decide the action after all flags are read, in nats-server's precedence. */
interface Switches { version: boolean; help: boolean; helpTls: boolean; check: boolean }
type Apply = (r: CliResult, value: string, flag: string, switches: Switches) => void;
interface FlagSpec { names: string[]; kind: Kind; apply: Apply }

/** strconv.ParseBool's accepted spellings. */
const BOOL_VALUES: Record<string, boolean> = {
  "1": true, t: true, T: true, TRUE: true, true: true, True: true,
  "0": false, f: false, F: false, FALSE: false, false: false, False: false,
};

/** strconv.ParseInt(s, 0, 64): decimal, 0x.., 0o.., 0b.., leading-0 octal, `_` separators. */
export function parseGoInt(text: string): number | null {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/
    .exec(text);
  if (m === null || m[2].endsWith("_") || m[2].includes("__")) return null;
  let digits = m[2].replaceAll("_", "");
  if (/^0[0-7]+$/.test(digits)) digits = `0o${digits.slice(1)}`;
  const value = BigInt(digits) * (m[1] === "-" ? -1n : 1n);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    return null;
  }
  return Number(value);
}

function set<K extends keyof Options>(r: CliResult, field: K, value: Options[K]): void {
  r.options[field] = value;
  r.explicit.add(field);
}

const str = (field: keyof Options): Apply => (r, v) => set(r, field, v as never);
const num = (field: keyof Options): Apply => (r, v) => set(r, field, Number(v) as never);
const flag = (field: keyof Options): Apply => (r, v) => set(r, field, (v === "true") as never);
const many = (...fields: (keyof Options)[]): Apply =>
  (r, v) => fields.forEach((f) => set(r, f, (v === "true") as never));
const switchOf = (name: keyof Switches): Apply => (_r, v, _f, switches) => {
  switches[name] = v === "true";
};
const cluster: Apply = (r, v, f) => {
  r.cluster[f] = v;
};

const FLAGS: FlagSpec[] = [
  { names: ["h", "help"], kind: "bool", apply: switchOf("help") },
  { names: ["v", "version"], kind: "bool", apply: switchOf("version") },
  { names: ["help_tls"], kind: "bool", apply: switchOf("helpTls") },
  { names: ["t"], kind: "bool", apply: switchOf("check") },
  { names: ["sl", "signal"], kind: "string", apply: (r, v) => void (r.signal = v) },
  { names: ["c", "config"], kind: "string", apply: (r, v) => { r.configFile = v; } },
  // Go: -p 0 means the default port, and -p -1 a random one.
  { names: ["p", "port"], kind: "int",
    apply: (r, v) => set(r, "port", Number(v) === 0 ? DEFAULTS.port : Number(v)) },
  { names: ["a", "addr", "net"], kind: "string", apply: str("host") },
  { names: ["n", "name", "server_name"], kind: "string", apply: str("serverName") },
  { names: ["client_advertise"], kind: "string", apply: str("clientAdvertise") },
  { names: ["P", "pid"], kind: "string", apply: str("pidFile") },
  { names: ["ports_file_dir"], kind: "string", apply: str("portsFileDir") },
  { names: ["m", "http_port"], kind: "int", apply: num("httpPort") },
  { names: ["ms", "https_port"], kind: "int", apply: num("httpsPort") },
  { names: ["l", "log"], kind: "string", apply: str("logFile") },
  { names: ["T", "logtime"], kind: "bool", apply: flag("logtime") },
  { names: ["logtime_utc"], kind: "bool", apply: flag("logtimeUtc") },
  { names: ["s", "syslog"], kind: "bool", apply: flag("syslog") },
  { names: ["r", "remote_syslog"], kind: "string", apply: str("remoteSyslog") },
  { names: ["D", "debug"], kind: "bool", apply: flag("debug") },
  { names: ["V", "trace"], kind: "bool", apply: flag("trace") },
  { names: ["VV"], kind: "bool", apply: many("trace", "traceVerbose") },
  { names: ["DV"], kind: "bool", apply: many("debug", "trace") },
  { names: ["DVV"], kind: "bool", apply: many("debug", "trace", "traceVerbose") },
  { names: ["log_size_limit"], kind: "int", apply: num("logSizeLimitBytes") },
  { names: ["max_traced_msg_len"], kind: "int", apply: num("maxTracedMsgLen") },
  { names: ["js", "jetstream"], kind: "bool", apply: flag("jetstream") },
  { names: ["sd", "store_dir"], kind: "string", apply: str("storeDir") },
  { names: ["user"], kind: "string", apply: str("username") },
  { names: ["pass"], kind: "string", apply: str("password") },
  { names: ["auth"], kind: "string", apply: str("authToken") },
  { names: ["profile"], kind: "int", apply: num("profPort") },
  { names: ["tls"], kind: "bool", apply: flag("tls") },
  { names: ["tlsverify"], kind: "bool", apply: many("tls", "tlsVerify") },
  { names: ["tlscert"], kind: "string", apply: str("tlsCertFile") },
  { names: ["tlskey"], kind: "string", apply: str("tlsKeyFile") },
  { names: ["tlscacert"], kind: "string", apply: str("tlsCaFile") },
  { names: ["routes"], kind: "string", apply: cluster },
  { names: ["cluster", "cluster_listen"], kind: "string", apply: cluster },
  { names: ["cluster_name", "cluster_advertise"], kind: "string", apply: cluster },
  { names: ["no_advertise"], kind: "bool", apply: cluster },
  { names: ["connect_retries"], kind: "int", apply: cluster },
];

const BY_NAME = new Map(FLAGS.flatMap((spec) => spec.names.map((n) => [n, spec] as const)));

/** Parses argv (without the program name). Throws CliError for a bad command line. */
export function parseCommandLine(argv: string[]): CliResult {
  const result: CliResult = {
    action: { kind: "run" }, options: {}, explicit: new Set(), configFile: "", signal: "",
    cluster: {}, unsupported: [],
  };
  const switches: Switches = { version: false, help: false, helpTls: false, check: false };
  const given: { spec: FlagSpec; name: string; value: string }[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.length < 2 || arg[0] !== "-") break;
    if (arg === "--") {
      i++;
      break;
    }
    const body = arg.startsWith("--") ? arg.slice(2) : arg.slice(1);
    if (body === "" || body[0] === "-" || body[0] === "=") {
      throw new CliError(`bad flag syntax: ${arg}`);
    }
    const eq = body.indexOf("=");
    const name = eq < 0 ? body : body.slice(0, eq);
    const spec = BY_NAME.get(name);
    if (spec === undefined) throw new CliError(`flag provided but not defined: -${name}`);
    let value: string;
    if (eq >= 0) value = body.slice(eq + 1);
    else if (spec.kind === "bool") value = "true";
    else if (i + 1 < argv.length) value = argv[++i];
    else throw new CliError(`flag needs an argument: -${name}`);
    given.push({ spec, name, value: normalize(spec.kind, name, value) });
  }
  for (const { spec, name, value } of given) {
    spec.apply(result, value, canonical(spec, name), switches);
    noteUnsupported(result, spec, name, value);
  }
  result.action = chooseAction(switches, result.signal, argv.slice(i));
  return result;
}

/** Checks a flag value and returns it in canonical form ("true"/"false", decimal integers). */
function normalize(kind: Kind, name: string, value: string): string {
  if (kind === "bool") {
    const b = BOOL_VALUES[value];
    if (b === undefined) {
      throw new CliError(`invalid boolean value "${value}" for -${name}: parse error`);
    }
    return String(b);
  }
  if (kind === "int") {
    const n = parseGoInt(value);
    if (n === null) throw new CliError(`invalid value "${value}" for flag -${name}: parse error`);
    return String(n);
  }
  return value;
}

/** The long name of a flag (the one FLAG_NOT_AVAILABLE and `cluster` use). */
function canonical(spec: FlagSpec, name: string): string {
  if (name === "cluster_listen") return "cluster";
  if (name.length > 2) return name;
  return spec.names.find((n) => n.length > 2) ?? name;
}

function noteUnsupported(r: CliResult, spec: FlagSpec, name: string, value: string): void {
  const long = canonical(spec, name);
  const feature = FLAG_NOT_AVAILABLE.get(long);
  if (feature === undefined) return;
  // A switch turned off, or a port left at 0, asks for nothing missing.
  if (value === "false" || (spec.kind === "int" && value === "0" && long !== "connect_retries")) {
    return;
  }
  r.unsupported.push({ flag: `--${long}`, value, feature });
}

/**
 * nats-server's order: -v, -h, --help_tls, then a trailing `version`/`help` command (anything
 * else there is an error), then --signal, then -t.
 */
function chooseAction(s: Switches, signal: string, rest: string[]): CliAction {
  if (s.version) return { kind: "version" };
  if (s.help) return { kind: "help" };
  if (s.helpTls) return { kind: "helpTls" };
  if (rest.length > 0) {
    const command = rest[0].toLowerCase();
    if (command === "version" || command === "help") return { kind: command };
    throw new CliError(`unrecognized command: "${rest[0]}"`);
  }
  if (signal !== "") return { kind: "signal", spec: signal };
  if (s.check) return { kind: "checkConfig" };
  return { kind: "run" };
}
