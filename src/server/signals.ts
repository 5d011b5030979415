/**
 * Process signals as nats-server handles them (server/signal.go): SIGINT shuts down;
 * SIGTERM too, unless lame duck mode is already closing clients; SIGUSR2 enters lame duck
 * mode; SIGUSR1 reopens the log file; SIGHUP reloads the configuration. Each is first
 * logged as `Trapped "<name>" signal` with Go's signal names.
 * @module
 */

export interface SignalTarget {
  readonly log: { info(message: string): void; error(message: string): void };
  readonly lameDuck: boolean;
  shutdown(): Promise<void>;
  enterLameDuckMode(): Promise<void>;
  reopenLog(): void;
  reload(): boolean;
}

/** Go's names for the signals (syscall.Signal.String()). */
export const SIGNAL_NAMES = {
  SIGINT: "interrupt",
  SIGTERM: "terminated",
  SIGUSR1: "user defined signal 1",
  SIGUSR2: "user defined signal 2",
  SIGHUP: "hangup",
} as const;

export type HandledSignal = keyof typeof SIGNAL_NAMES;

/** What one signal does to the server; `exit` ends the process with a code. */
export function handleSignal(
  target: SignalTarget, signal: HandledSignal, exit: (code: number) => void,
): void {
  target.log.info(`Trapped "${SIGNAL_NAMES[signal]}" signal`);
  const exitAfter = (work: Promise<void>) => {
    work.then(() => exit(0), (error) => {
      target.log.error(`Shutdown failed: ${(error as Error).message}`);
      exit(1);
    });
  };
  switch (signal) {
    case "SIGINT":
      exitAfter(target.shutdown());
      break;
    case "SIGTERM":
      // A graceful (lame duck) shutdown in progress is left to finish.
      if (!target.lameDuck) exitAfter(target.shutdown());
      break;
    case "SIGUSR2":
      exitAfter(target.enterLameDuckMode());
      break;
    case "SIGUSR1":
      target.reopenLog();
      break;
    case "SIGHUP":
      target.reload();
      break;
  }
}

export function installSignalHandlers(
  target: SignalTarget, exit: (code: number) => void = (code) => process.exit(code),
): void {
  for (const signal of Object.keys(SIGNAL_NAMES) as HandledSignal[]) {
    process.on(signal, () => handleSignal(target, signal, exit));
  }
}
