/**
 * natsd's entry point: resolves options from flags (and a config file), starts the server and
 * wires process signals. `bin/natsd` runs this file on Bun.
 * @module
 */
import { resolveCommandLine } from "./server/command_line.ts";
import { Logger } from "./server/logger.ts";
import { Server } from "./server/server.ts";
import { installSignalHandlers } from "./server/signals.ts";

async function main(argv: string[]): Promise<number> {
  const resolved = resolveCommandLine(argv);
  if (resolved.kind === "exit") {
    if (resolved.stdout) process.stdout.write(resolved.stdout);
    if (resolved.stderr) process.stderr.write(resolved.stderr);
    return resolved.code;
  }
  const options = resolved.options;
  const log = new Logger(options);
  for (const warning of resolved.warnings) log.warn(warning);
  const server = new Server(options, log);
  try {
    await server.start();
  } catch (error) {
    log.fatal(`Error listening on port: ${options.host}:${options.port}, ` +
      `"${(error as Error).message}"`);
    return 1;
  }
  installSignalHandlers(server);
  return -1; // keep running; signals end the process
}

const code = await main(process.argv.slice(2));
if (code >= 0) process.exit(code);
