/**
 * natsd's entry point: resolves options from flags and the config file, starts the server and
 * wires process signals. `bin/natsd` runs this file on Bun.
 * @module
 */
import {
  buildOptions, formatWarning, PROGRAM_NAME, resolveOptions, sendSignalCommand, USAGE,
} from "./config/mod.ts";
import { MonitorStartError } from "./monitor/monitor.ts";
import { Logger, LogSetupError } from "./server/logger.ts";
import { Server } from "./server/server.ts";
import { TlsConfigError } from "./server/tls_config.ts";
import { installSignalHandlers } from "./server/signals.ts";
import { NATS_SERVER_VERSION, NATSD_VERSION } from "./server/version.ts";

/** Runs the command line; returns an exit code, or null while the server keeps running. */
async function main(argv: string[]): Promise<number | null> {
  const resolution = resolveOptions(argv);
  switch (resolution.kind) {
    case "help":
    case "helpTls":
      process.stdout.write(resolution.text);
      return 0;
    case "version":
      process.stdout.write(`nats-server: v${NATS_SERVER_VERSION}\n${PROGRAM_NAME}: v${NATSD_VERSION}\n`);
      return 0;
    case "signal": {
      const result = sendSignalCommand(resolution.spec);
      if (!result.ok) {
        process.stderr.write(`${PROGRAM_NAME}: ${result.error}\n`);
        return 1;
      }
      return 0;
    }
    case "checkConfig":
      process.stderr.write(`${resolution.message}\n`);
      return 0;
    case "error":
      process.stderr.write(`${resolution.message}\n${resolution.showUsage ? USAGE : ""}`);
      return 1;
    case "run":
      break;
  }
  const { options, cli } = resolution;
  const log = Logger.open(options);
  if (log instanceof LogSetupError) {
    // nats-server exits through Go's log.Fatalf when its log destination cannot be opened.
    process.stderr.write(Logger.setupFailureLine(log));
    return 1;
  }
  for (const warning of resolution.warnings) log.warn(formatWarning(warning));
  for (const notice of resolution.notices) log.warn(notice);
  const server = new Server(options, log, { rebuildOptions: () => buildOptions(cli) });
  server.configDigest = resolution.config?.digest ?? "";
  // Before start: a signal sent as soon as "Server is ready" appears must find its handler.
  installSignalHandlers(server);
  try {
    await server.start();
  } catch (error) {
    // The monitor reports its own start failure in nats-server's words.
    if (error instanceof TlsConfigError) {
      log.fatal(error.message);
    } else if (!(error instanceof MonitorStartError)) {
      log.fatal(`Error listening on port: ${options.host}:${options.port}, ` +
        `"${(error as Error).message}"`);
    }
    return 1;
  }
  return null;
}

const code = await main(process.argv.slice(2));
if (code !== null) process.exit(code);
