/**
 * A server process for reload, logging and signal tests that the shared harness cannot start:
 * no `-p -1` forced on the command line (so a config file's port counts), and readiness
 * taken from the ports file, not from stderr (so `logfile` may take the log away from it).
 * Waits are driven by file-system and output events, never by time.
 * @module
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { pumpLines, serverCommand } from "../harness/server_process.ts";

export interface SpawnedServer {
  readonly dir: string;
  readonly configPath: string;
  readonly port: number;
  readonly pid: number;
  readonly process: Subprocess;
  readonly exited: Promise<number>;
  /** stdout and stderr lines so far. */
  output(): string;
  /** Resolves with the next output line matching `pattern` (or one already seen). */
  waitForOutput(pattern: RegExp): Promise<string>;
  writeConfig(text: string): void;
  signal(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** The config text, or a function of the server's directory giving it. */
  config: string | ((dir: string) => string);
  args?: string[];
  command?: string[];
}

/** Starts the server with `-c <dir>/server.conf` and waits for its ports file. */
export async function spawnServer(options: SpawnOptions): Promise<SpawnedServer> {
  const dir = mkdtempSync(join(tmpdir(), "natsd-reload-"));
  const configPath = join(dir, "server.conf");
  writeFileSync(configPath,
    typeof options.config === "string" ? options.config : options.config(dir));
  const [program, ...leading] = options.command ?? serverCommand();
  const proc = Bun.spawn(
    [program, ...leading, "--ports_file_dir", dir, "-c", configPath, ...(options.args ?? [])],
    { cwd: dir, stdout: "pipe", stderr: "pipe" },
  );
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const onLine = (line: string) => {
    lines.push(line);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i].pattern.test(line)) waiters.splice(i, 1)[0].resolve(line);
    }
  };
  pumpLines(proc.stderr as ReadableStream<Uint8Array>, onLine);
  pumpLines(proc.stdout as ReadableStream<Uint8Array>, onLine);
  const exited = proc.exited;
  let port: number;
  try {
    const portsFile = await waitForFile(dir, (name) => name.endsWith(`_${proc.pid}.ports`)
      ? readIfComplete(join(dir, name)) : null, exited);
    port = Number(new URL((JSON.parse(portsFile) as { nats: string[] }).nats[0]).port);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n${lines.join("\n")}`);
  }
  return {
    dir, configPath, port, pid: proc.pid, process: proc, exited,
    output: () => lines.join("\n"),
    waitForOutput: (pattern) => {
      const seen = lines.find((line) => pattern.test(line));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ pattern, resolve }));
    },
    writeConfig: (text) => writeFileSync(configPath, text),
    signal: (signal) => proc.kill(signal),
    stop: async () => {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readIfComplete(path: string): string | null {
  try {
    const text = readFileSync(path, "utf8");
    JSON.parse(text);
    return text;
  } catch {
    return null; // still being written
  }
}

/**
 * Resolves with the first non-null `check(name)` over the directory's entries, re-checking
 * on every change in the directory; rejects when `exited` settles first.
 */
export async function waitForFile<T>(
  dir: string, check: (name: string) => T | null, exited?: Promise<number>,
): Promise<T> {
  const scan = () => {
    for (const name of readdirSync(dir)) {
      const found = check(name);
      if (found !== null) return found;
    }
    return null;
  };
  const watcher = watch(dir);
  try {
    for (;;) {
      const found = scan();
      if (found !== null) return found;
      const changed = new Promise<void>((resolve) => watcher.once("change", () => resolve()));
      const gone = exited?.then((code) => {
        throw new Error(`server exited (${code}) while waiting in ${dir}`);
      });
      await Promise.race(gone ? [changed, gone] : [changed]);
    }
  } finally {
    watcher.close();
  }
}

/** Resolves once the file at `path` contains text matching `pattern`; returns the text. */
export function waitForFileText(path: string, pattern: RegExp): Promise<string> {
  const dir = path.slice(0, path.lastIndexOf("/"));
  const base = path.slice(path.lastIndexOf("/") + 1);
  return waitForFile(dir, (name) => {
    if (name !== base) return null;
    const text = readFileSync(path, "utf8");
    return pattern.test(text) ? text : null;
  });
}
