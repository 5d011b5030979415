/**
 * Final options as nats-server builds them: defaults, then the config file (`-c`), then every
 * flag given explicitly on the command line (nats-server parses the flags a second time after
 * the file, so `-D=false` beats `debug: true`). Also the non-run actions (help, version, -t,
 * --signal) and the rebuild a reload does (file again, same flags on top).
 * @module
 */
import { defaultOptions, type Options } from "../server/options.ts";
import { CliError, type CliResult, parseCommandLine, type UnsupportedFlag } from "./cli.ts";
import { ConfigError, ConfigErrors, type ConfigWarning, formatPosition } from "./errors.ts";
import {
  type LoadedConfig, loadConfigFile, type UnsupportedKey, validateOptions,
} from "./options_from_config.ts";
import { type ConfigSource, systemSource } from "./parser.ts";
import { TLS_USAGE, USAGE } from "./usage.ts";

export type Env = Record<string, string | undefined>;

export type Resolution =
  | { kind: "help"; text: string }
  | { kind: "helpTls"; text: string }
  | { kind: "version" }
  /** Send a signal to a running server (signal_command.ts), then exit. */
  | { kind: "signal"; spec: string }
  /** `-t` passed: print `message` to stderr, exit 0. */
  | { kind: "checkConfig"; configFile: string; digest: string; message: string }
  /** Print `message` (and the usage when `showUsage`) to stderr, exit 1. */
  | { kind: "error"; message: string; showUsage: boolean }
  | {
    kind: "run";
    options: Options;
    cli: CliResult;
    config: LoadedConfig | null;
    warnings: ConfigWarning[];
    /** One line per feature asked for that natsd does not have yet. */
    notices: string[];
  };

export const PROGRAM_NAME = "natsd";

/** argv (without the program) and the environment to what main should do. */
export function resolveOptions(argv: string[], env: Env = process.env,
  files: Pick<ConfigSource, "readFile"> = systemSource): Resolution {
  let cli: CliResult;
  try {
    cli = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    return { kind: "error", message: error.message, showUsage: true };
  }
  switch (cli.action.kind) {
    case "help": return { kind: "help", text: USAGE };
    case "helpTls": return { kind: "helpTls", text: TLS_USAGE };
    case "version": return { kind: "version" };
    case "signal": return { kind: "signal", spec: cli.action.spec };
    case "checkConfig": return checkConfig(cli, sourceOf(env, files));
    case "run": return run(cli, sourceOf(env, files));
  }
}

function sourceOf(env: Env, files: Pick<ConfigSource, "readFile">): ConfigSource {
  return { readFile: (path) => files.readFile(path), env: (name) => env[name] };
}

function checkConfig(cli: CliResult, source: ConfigSource): Resolution {
  if (cli.configFile === "") {
    return { kind: "error", showUsage: false,
      message: "must specify [-c, --config] option to check configuration file syntax" };
  }
  const built = buildOptions(cli, source, true);
  if (!built.ok) return { kind: "error", message: built.errors.message, showUsage: false };
  const digest = built.config?.digest ?? "";
  return {
    kind: "checkConfig", configFile: cli.configFile, digest,
    message: `${PROGRAM_NAME}: configuration file ${cli.configFile} is valid (${digest})`,
  };
}

function run(cli: CliResult, source: ConfigSource): Resolution {
  const built = buildOptions(cli, source, false);
  if (!built.ok) return { kind: "error", message: built.errors.message, showUsage: false };
  return {
    kind: "run", options: built.options, cli, config: built.config,
    warnings: built.config?.warnings ?? [],
    notices: notAvailableNotices(built.config?.unsupported ?? [], cli.unsupported),
  };
}

export type Built =
  | { ok: true; options: Options; config: LoadedConfig | null }
  | { ok: false; errors: ConfigErrors };

/**
 * Defaults ← config file ← explicit flags, then the cross-option checks. A reload calls this
 * again with the CliResult kept from startup.
 */
export function buildOptions(cli: CliResult, source: ConfigSource = systemSource,
  checkMode = false): Built {
  let config: LoadedConfig | null = null;
  try {
    if (cli.configFile !== "") config = loadConfigFile(cli.configFile, { checkMode, source });
  } catch (error) {
    if (error instanceof ConfigErrors) return { ok: false, errors: error };
    throw error;
  }
  const options = mergeOptions(config?.options ?? {}, cli);
  const errors = validateOptions(options, config?.positions ?? {});
  if (cli.cluster.routes !== undefined && cli.cluster.routes !== "" &&
    cli.cluster.cluster === undefined && config?.raw.entries.get("cluster") === undefined) {
    errors.push(new ConfigError({ file: "", line: 0, column: 0 },
      "solicited routes require cluster capabilities, e.g. --cluster"));
  }
  if (errors.length > 0) return { ok: false, errors: new ConfigErrors(errors) };
  return { ok: true, options, config };
}

/** Defaults, overlaid by the config file's options, overlaid by the explicit flags. */
export function mergeOptions(fromConfig: Partial<Options>, cli: CliResult): Options {
  const options = defaultOptions();
  Object.assign(options, fromConfig);
  for (const field of cli.explicit) {
    (options as unknown as Record<string, unknown>)[field] = cli.options[field];
  }
  options.configFile = cli.configFile;
  const clusterName = cli.cluster.cluster_name;
  if (clusterName !== undefined && clusterName !== "") options.clusterName = clusterName;
  return options;
}

/** "natsd does not have X yet" lines, one per feature, naming where it was asked for. */
export function notAvailableNotices(keys: UnsupportedKey[], flags: UnsupportedFlag[]): string[] {
  const where = new Map<string, string[]>();
  const add = (feature: string, place: string) => {
    where.set(feature, [...(where.get(feature) ?? []), place]);
  };
  for (const k of keys) add(k.feature, `'${k.key}' at ${formatPosition(k.position)}`);
  for (const f of flags) add(f.feature, `flag ${f.flag}`);
  return [...where].map(([feature, places]) =>
    `${feature} is not available in ${PROGRAM_NAME} yet; ignoring ${places.join(", ")}`);
}
