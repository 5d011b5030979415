/**
 * `natsd --signal <command>[=<pid|pidfile>]`: sends a running server the signal nats-server
 * maps the command to. Without a pid it looks for the single running natsd (through /proc,
 * as nats-server does with pgrep); zero or several is an error. A pid ending in `*` is a
 * prefix and may match several processes, as in nats-server.
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

export const SIGNAL_COMMANDS = {
  stop: "SIGKILL",
  quit: "SIGINT",
  reopen: "SIGUSR1",
  reload: "SIGHUP",
  ldm: "SIGUSR2",
  term: "SIGTERM",
} as const satisfies Record<string, NodeJS.Signals>;

export type SignalCommand = keyof typeof SIGNAL_COMMANDS;

export type SignalResult =
  | { ok: true; command: SignalCommand; signal: NodeJS.Signals; pids: number[] }
  | { ok: false; error: string };

export interface SignalDeps {
  /** Pids of running servers, excluding this process. */
  findServerPids(): number[];
  kill(pid: number, signal: NodeJS.Signals): void;
  /** File contents, or undefined when `path` is not a readable file. */
  readFile(path: string): string | undefined;
}

/** How many /proc entries the pid search looks at, at most. */
export const procEntriesMax = 1 << 20;

/** True for the command line of a natsd server: bin/natsd, or Bun running natsd's main.ts. */
export function isNatsdCommandLine(args: string[]): boolean {
  if (args.length === 0) return false;
  if (basename(args[0]) === "natsd") return true;
  const runtime = basename(args[0]);
  if (!runtime.startsWith("bun") && !runtime.startsWith("node")) return false;
  const script = args[1] ?? "";
  return basename(script) === "natsd" || script.endsWith("src/main.ts");
}

/** Pids whose /proc/<pid>/cmdline satisfies `matches`, excluding `selfPid`. */
export function findPidsInProc(matches: (args: string[]) => boolean, selfPid = process.pid,
  procRoot = "/proc"): number[] {
  let names: string[];
  try {
    names = readdirSync(procRoot);
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const name of names.slice(0, procEntriesMax)) {
    if (!/^[0-9]+$/.test(name) || Number(name) === selfPid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(join(procRoot, name, "cmdline"), "latin1");
    } catch {
      continue; // the process ended meanwhile, or is not ours to read
    }
    const args = cmdline.split("\0").filter((a, i, all) => a !== "" || i < all.length - 1);
    if (matches(args)) pids.push(Number(name));
  }
  return pids.sort((a, b) => a - b);
}

export const systemSignalDeps: SignalDeps = {
  findServerPids: () => findPidsInProc(isNatsdCommandLine),
  kill: (pid, signal) => process.kill(pid, signal),
  readFile(path) {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  },
};

/** Parses `command[=pid|pidfile]` and sends the signal. Never throws for user errors. */
export function sendSignalCommand(spec: string, deps: SignalDeps = systemSignalDeps):
  SignalResult {
  const parts = spec.split("=");
  if (parts.length > 2) {
    return { ok: false, error: `invalid signal parameters: ${parts.slice(2).join(" ")}` };
  }
  const command = parts[0];
  if (!Object.hasOwn(SIGNAL_COMMANDS, command)) {
    return { ok: false, error: `unknown signal "${command}"` };
  }
  const signal = SIGNAL_COMMANDS[command as SignalCommand];
  // nats-server reads a pid file when the value names one; natsd also trims its new line.
  const pidExpr = parts.length === 2 ? (deps.readFile(parts[1]) ?? parts[1]).trim() : "";
  const targets = resolveTargets(pidExpr, deps);
  if (typeof targets === "string") return { ok: false, error: targets };
  const failures: string[] = [];
  for (const pid of targets) {
    try {
      deps.kill(pid, signal);
    } catch (error) {
      failures.push(`signal "${command}" ${pid}: ${describeKillError(error)}`);
    }
  }
  if (failures.length > 0) return { ok: false, error: failures.join("\n") };
  return { ok: true, command: command as SignalCommand, signal, pids: targets };
}

function resolveTargets(pidExpr: string, deps: SignalDeps): number[] | string {
  const isPrefix = pidExpr.endsWith("*");
  const digits = isPrefix ? pidExpr.slice(0, -1) : pidExpr;
  if (digits !== "" && !/^[0-9]+$/.test(digits)) return `invalid pid: ${digits}`;
  if (digits !== "" && !isPrefix) return [Number(digits)];
  const running = deps.findServerPids();
  const matching = running.filter((pid) => String(pid).startsWith(digits));
  if (!isPrefix && matching.length > 1) {
    return `multiple natsd processes running:\n${matching.join("\n")}`;
  }
  if (matching.length === 0) return "no natsd processes running";
  return matching;
}

function describeKillError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ESRCH") return "no such process";
  if (code === "EPERM") return "operation not permitted";
  return (error as Error).message;
}
