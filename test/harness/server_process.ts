/**
 * Starts a NATS server as a child process for integration tests. The command comes from the
 * NATS_SERVER environment variable (any command taking nats-server flags, e.g.
 * `NATS_SERVER=nats-server` for the Go reference); the default is natsd's bin/natsd.
 * Ports come from the OS (`-p -1`) and are read back from the ports file.
 * @module
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, watch } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";

const ROOT = join(import.meta.dir, "..", "..");
const DEFAULT_COMMAND = join(ROOT, "bin", "natsd");

/** The server command under test, split into program and leading arguments. */
export function serverCommand(): string[] {
  const configured = process.env.NATS_SERVER?.trim();
  return configured ? configured.split(/\s+/) : [DEFAULT_COMMAND];
}

/** True when the tests run against Go nats-server rather than natsd. */
export function isGoServer(): boolean {
  return !!process.env.NATS_SERVER && !process.env.NATS_SERVER.includes("natsd");
}

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  /** The monitoring base URL from the ports file ("http://host:port"), when -m was given. */
  readonly monitorUrl?: string;
  /** ws:// or wss:// URL of the WebSocket listener, from the ports file. */
  readonly websocketUrl?: string;
  readonly pid: number;
  readonly process: Subprocess;
  readonly dir: string;
  /** Everything the server logged so far. */
  log(): string;
  /** Resolves with the next log line matching `pattern`. */
  waitForLog(pattern: RegExp): Promise<string>;
  signal(signal: NodeJS.Signals): void;
  /** Stops the server (SIGTERM) and removes its directory. */
  stop(): Promise<void>;
  /** Resolves with the exit code once the process ends. */
  exited: Promise<number>;
}

export interface StartOptions {
  /** Extra nats-server flags. */
  args?: string[];
  /** A config file text; written to the server's directory and passed with -c. */
  config?: string;
  env?: Record<string, string>;
  /** The server command, overriding NATS_SERVER (for side-by-side comparisons). */
  command?: string[];
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), "natsd-test-"));
  const args = ["-a", "127.0.0.1", "-p", "-1", "--ports_file_dir", dir, ...(options.args ?? [])];
  if (options.config !== undefined) {
    const path = join(dir, "server.conf");
    await Bun.write(path, options.config);
    args.push("-c", path);
  }
  const [program, ...leading] = options.command ?? serverCommand();
  const proc = Bun.spawn([program, ...leading, ...args], {
    cwd: dir, stdout: "pipe", stderr: "pipe", env: { ...process.env, ...options.env },
  });
  const logLines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const onLine = (line: string) => {
    logLines.push(line);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i].pattern.test(line)) waiters.splice(i, 1)[0].resolve(line);
    }
  };
  pumpLines(proc.stderr as ReadableStream<Uint8Array>, onLine);
  pumpLines(proc.stdout as ReadableStream<Uint8Array>, onLine);
  const waitForLog = (pattern: RegExp) => {
    const seen = logLines.find((line) => pattern.test(line));
    if (seen) return Promise.resolve(seen);
    return new Promise<string>((resolve) => waiters.push({ pattern, resolve }));
  };
  const exited = proc.exited;
  const ready = await Promise.race([
    waitForLog(/Server is ready/).then(() => true),
    exited.then(() => false),
  ]);
  if (!ready) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Server failed to start: ${logLines.join("\n")}`);
  }
  const { port, monitorUrl, websocketUrl } = await waitForPorts(dir, proc.pid, exited);
  return {
    host: "127.0.0.1", port, url: `nats://127.0.0.1:${port}`, monitorUrl, websocketUrl,
    pid: proc.pid,
    process: proc, dir,
    log: () => logLines.join("\n"),
    waitForLog,
    signal: (signal) => proc.kill(signal),
    exited,
    stop: async () => {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface PortsFound {
  port: number;
  monitorUrl?: string;
  websocketUrl?: string;
}

/** Resolves with the ports file's client port and monitoring URL, waiting for the file. */
async function waitForPorts(
  dir: string, pid: number, exited: Promise<number>,
): Promise<PortsFound> {
  const read = (): PortsFound | null => {
    const file = readdirSync(dir).find((name) => name.endsWith(`_${pid}.ports`));
    if (!file) return null;
    try {
      const ports = JSON.parse(readFileSync(join(dir, file), "utf8")) as {
        nats: string[]; monitoring?: string[]; websocket?: string[];
      };
      return { port: Number(new URL(ports.nats[0]).port), monitorUrl: ports.monitoring?.[0],
        websocketUrl: ports.websocket?.[0] };
    } catch {
      return null; // still being written
    }
  };
  const watcher = watch(dir);
  try {
    for (;;) {
      const port = read();
      if (port !== null) return port;
      const changed = new Promise<void>((resolve) => watcher.once("change", () => resolve()));
      const gone = exited.then(() => {
        throw new Error(`Server exited before writing its ports file in ${dir}`);
      });
      await Promise.race([changed, gone]);
    }
  } finally {
    watcher.close();
  }
}

/** Calls onLine for each line a child process writes. */
export async function pumpLines(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void) {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of stream) {
    pending += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf("\n")) >= 0) {
      onLine(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
    }
  }
  if (pending) onLine(pending);
}
