/**
 * Process signals as nats-server handles them: SIGINT/SIGTERM shut down cleanly, SIGUSR2
 * enters lame duck mode, SIGUSR1 reopens the log file, SIGHUP reloads the configuration.
 * @module
 */
import type { Server } from "./server.ts";

export interface SignalTarget {
  shutdown(): Promise<void>;
  enterLameDuckMode(): Promise<void>;
  reopenLog(): void;
  reload(): boolean;
}

export function installSignalHandlers(server: Server): void {
  const exitAfter = (work: Promise<void>) => {
    work.then(() => process.exit(0), (error) => {
      server.log.error(`Shutdown failed: ${(error as Error).message}`);
      process.exit(1);
    });
  };
  const onStop = (signal: string) => {
    server.log.info(`Trapped "${signal}" signal`);
    exitAfter(server.shutdown());
  };
  process.on("SIGINT", () => onStop("interrupt"));
  process.on("SIGTERM", () => onStop("terminated"));
  process.on("SIGUSR2", () => {
    server.log.info(`Trapped "user defined signal 2" signal`);
    exitAfter(server.enterLameDuckMode());
  });
  process.on("SIGUSR1", () => {
    server.log.info(`Trapped "user defined signal 1" signal`);
    server.log.reopen();
  });
  process.on("SIGHUP", () => {
    server.log.info(`Trapped "hangup" signal`);
    server.reload();
  });
}
