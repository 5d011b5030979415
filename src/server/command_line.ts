/**
 * Turns argv into either final Options or an immediate exit (help, version, bad flag).
 * The flag grammar follows Go's flag package as nats-server uses it: `-f v`, `-f=v`, `--f v`,
 * `--f=v`, and booleans without a value.
 * @module
 */
import { defaultOptions, type Options } from "./options.ts";
import { NATS_SERVER_VERSION, NATSD_VERSION } from "./version.ts";
import { USAGE } from "./usage.ts";

export type CommandLineResult =
  | { kind: "run"; options: Options; warnings: string[] }
  | { kind: "exit"; code: number; stdout?: string; stderr?: string };

type Apply = (options: Options, value: string) => void;
interface FlagSpec { names: string[]; boolean: boolean; apply: Apply }

const intValue = (flag: string, value: string): number => {
  if (!/^-?\d+$/.test(value)) throw new FlagError(`invalid value "${value}" for flag -${flag}`);
  return Number(value);
};
const boolValue = (value: string): boolean => !["false", "0", "f", "F", "FALSE", "False"].includes(value);

const FLAGS: FlagSpec[] = [
  { names: ["a", "addr", "net"], boolean: false, apply: (o, v) => { o.host = v; } },
  { names: ["p", "port"], boolean: false, apply: (o, v) => { o.port = intValue("port", v); } },
  { names: ["n", "name", "server_name"], boolean: false, apply: (o, v) => { o.serverName = v; } },
  { names: ["P", "pid"], boolean: false, apply: (o, v) => { o.pidFile = v; } },
  { names: ["m", "http_port"], boolean: false, apply: (o, v) => { o.httpPort = intValue("m", v); } },
  { names: ["ms", "https_port"], boolean: false, apply: (o, v) => { o.httpsPort = intValue("ms", v); } },
  { names: ["c", "config"], boolean: false, apply: (o, v) => { o.configFile = v; } },
  { names: ["client_advertise"], boolean: false, apply: (o, v) => { o.clientAdvertise = v; } },
  { names: ["ports_file_dir"], boolean: false, apply: (o, v) => { o.portsFileDir = v; } },
  { names: ["l", "log"], boolean: false, apply: (o, v) => { o.logFile = v; } },
  { names: ["T", "logtime"], boolean: true, apply: (o, v) => { o.logtime = boolValue(v); } },
  { names: ["logtime_utc"], boolean: true, apply: (o, v) => { o.logtimeUtc = boolValue(v); } },
  { names: ["D", "debug"], boolean: true, apply: (o, v) => { o.debug = boolValue(v); } },
  { names: ["V", "trace"], boolean: true, apply: (o, v) => { o.trace = boolValue(v); } },
  { names: ["VV"], boolean: true, apply: (o, v) => { o.trace = o.traceVerbose = boolValue(v); } },
  { names: ["DV"], boolean: true, apply: (o, v) => { o.debug = o.trace = boolValue(v); } },
  {
    names: ["DVV"], boolean: true,
    apply: (o, v) => { o.debug = o.trace = o.traceVerbose = boolValue(v); },
  },
  { names: ["js", "jetstream"], boolean: true, apply: (o, v) => { o.jetstream = boolValue(v); } },
  { names: ["sd", "store_dir"], boolean: false, apply: (o, v) => { o.storeDir = v; } },
  { names: ["user"], boolean: false, apply: (o, v) => { o.username = v; } },
  { names: ["pass"], boolean: false, apply: (o, v) => { o.password = v; } },
  { names: ["auth"], boolean: false, apply: (o, v) => { o.authToken = v; } },
];

class FlagError extends Error {}

export function resolveCommandLine(argv: string[]): CommandLineResult {
  const options = defaultOptions();
  try {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (!arg.startsWith("-") || arg === "-" || arg === "--") {
        throw new FlagError(`unexpected argument "${arg}"`);
      }
      const body = arg.replace(/^--?/, "");
      const eq = body.indexOf("=");
      const name = eq >= 0 ? body.slice(0, eq) : body;
      if (name === "h" || name === "help") return { kind: "exit", code: 0, stdout: USAGE };
      if (name === "v" || name === "version") {
        return {
          kind: "exit", code: 0,
          stdout: `nats-server: v${NATS_SERVER_VERSION}\nnatsd: v${NATSD_VERSION}\n`,
        };
      }
      const spec = FLAGS.find((f) => f.names.includes(name));
      if (!spec) throw new FlagError(`flag provided but not defined: -${name}`);
      let value: string;
      if (eq >= 0) value = body.slice(eq + 1);
      else if (spec.boolean) value = "true";
      else if (i + 1 < argv.length) value = argv[++i];
      else throw new FlagError(`flag needs an argument: -${name}`);
      spec.apply(options, value);
    }
  } catch (error) {
    if (!(error instanceof FlagError)) throw error;
    return { kind: "exit", code: 1, stderr: `${error.message}\n${USAGE}` };
  }
  return { kind: "run", options, warnings: [] };
}
