/**
 * Configuration: nats-server config files, the command line, signals to a running server and
 * the reload plan. The only import point of `src/config/` for the rest of natsd.
 * @module
 */
export { ConfigError, ConfigErrors, type ConfigWarning, formatPosition, formatWarning,
  type Position } from "./errors.ts";
export { type ConfigSource, parseConfig, parseConfigFile, systemSource } from "./parser.ts";
export { type ConfigEntry, type ConfigNode, type MapNode, toPlain } from "./values.ts";
export { configDigest } from "./digest.ts";
export { type LoadedConfig, loadConfigFile, loadConfigText, optionsFromConfig,
  type UnsupportedKey, validateOptions } from "./options_from_config.ts";
export { type CliAction, CliError, type CliResult, parseCommandLine } from "./cli.ts";
export { TLS_USAGE, USAGE } from "./usage.ts";
export { buildOptions, type Built, mergeOptions, notAvailableNotices, PROGRAM_NAME,
  type Resolution, resolveOptions } from "./merge.ts";
export { SIGNAL_COMMANDS, type SignalCommand, type SignalResult, sendSignalCommand }
  from "./signal_command.ts";
export { planReload, type RefusedChange, type ReloadChange, type ReloadGroup,
  type ReloadPlan } from "./reload_plan.ts";
export { formatDurationMs, parseDurationMs } from "./duration.ts";
