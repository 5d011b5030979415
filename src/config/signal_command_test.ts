/**
 * Tests --signal against real child processes that record the signals they get (never a
 * natsd: nothing here may signal a process this test did not start). Discovery through /proc
 * runs for real, with the natsd matcher narrowed to this test's own child script.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import {
  findPidsInProc, isNatsdCommandLine, type SignalDeps, sendSignalCommand, systemSignalDeps,
} from "./signal_command.ts";

const dir = mkdtempSync(join(tmpdir(), "natsd-signal-"));
mkdirSync(join(dir, "src"));
/** Named like natsd's entry point so that the natsd command-line matcher accepts it. */
const script = join(dir, "src", "main.ts");
writeFileSync(script, `
for (const s of ["SIGHUP", "SIGUSR1", "SIGUSR2", "SIGINT", "SIGTERM"]) {
  process.on(s, () => process.stdout.write(s + "\\n"));
}
process.stdout.write("ready\\n");
setInterval(() => {}, 1 << 30);
`);

interface Recorder {
  pid: number;
  proc: Subprocess<"ignore", "pipe", "inherit">;
  line(): Promise<string>;
}
const started: Recorder[] = [];

async function startRecorder(): Promise<Recorder> {
  const proc = Bun.spawn([process.execPath, script], { stdout: "pipe", stderr: "inherit" });
  const reader = proc.stdout.getReader();
  let buffered = "";
  const line = async (): Promise<string> => {
    for (;;) {
      const nl = buffered.indexOf("\n");
      if (nl >= 0) {
        const out = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        return out;
      }
      const chunk = await reader.read();
      if (chunk.done) return "<eof>";
      buffered += new TextDecoder().decode(chunk.value);
    }
  };
  const recorder = { pid: proc.pid, proc, line };
  started.push(recorder);
  expect(await line()).toBe("ready");
  return recorder;
}

/** The real system, except that "running natsd" means "one of this test's recorders". */
const onlyOurs: SignalDeps = {
  ...systemSignalDeps,
  findServerPids: () => findPidsInProc((args) => isNatsdCommandLine(args) && args[1] === script),
};

afterAll(() => {
  for (const r of started) r.proc.kill("SIGKILL");
});

describe("sendSignalCommand with a real process", () => {
  test("each command sends nats-server's signal to an explicit pid", async () => {
    const r = await startRecorder();
    const expected = { reload: "SIGHUP", reopen: "SIGUSR1", ldm: "SIGUSR2", quit: "SIGINT",
      term: "SIGTERM" } as const;
    for (const [command, signal] of Object.entries(expected)) {
      expect(sendSignalCommand(`${command}=${r.pid}`, onlyOurs) as unknown).toEqual(
        { ok: true, command, signal, pids: [r.pid] });
      expect(await r.line()).toBe(signal);
    }
  });

  test("stop sends SIGKILL", async () => {
    const r = await startRecorder();
    expect(sendSignalCommand(`stop=${r.pid}`, onlyOurs))
      .toMatchObject({ ok: true, signal: "SIGKILL" });
    await r.proc.exited;
    expect(r.proc.signalCode).toBe("SIGKILL");
  });

  test("the pid may come from a pid file", async () => {
    const r = await startRecorder();
    const pidFile = join(dir, "natsd.pid");
    writeFileSync(pidFile, `${r.pid}\n`);
    expect(sendSignalCommand(`reopen=${pidFile}`, onlyOurs)).toMatchObject({ ok: true });
    expect(await r.line()).toBe("SIGUSR1");
  });

  test("without a pid, the single running server is found through /proc", async () => {
    const r = await startRecorder();
    for (const other of started) if (other !== r) other.proc.kill("SIGKILL");
    await Promise.all(started.filter((o) => o !== r).map((o) => o.proc.exited));
    expect(sendSignalCommand("reload", onlyOurs))
      .toEqual({ ok: true, command: "reload", signal: "SIGHUP", pids: [r.pid] });
    expect(await r.line()).toBe("SIGHUP");

    const second = await startRecorder();
    const both = [r.pid, second.pid].sort((a, b) => a - b);
    expect(sendSignalCommand("reload", onlyOurs)).toEqual({ ok: false,
      error: `multiple natsd processes running:\n${both.join("\n")}` });
    // A trailing '*' makes the pid a prefix that may match several.
    expect(sendSignalCommand("reopen=*", onlyOurs)).toMatchObject({ ok: true, pids: both });
    expect(await r.line()).toBe("SIGUSR1");
    expect(await second.line()).toBe("SIGUSR1");
  });
});

describe("sendSignalCommand errors", () => {
  const none: SignalDeps = { ...systemSignalDeps, findServerPids: () => [] };

  test("no running server", () => {
    expect(sendSignalCommand("reload", none)).toEqual({ ok: false,
      error: "no natsd processes running" });
  });

  test("unknown command, bad pid, too many '='", () => {
    expect(sendSignalCommand("restart", none)).toEqual({ ok: false,
      error: `unknown signal "restart"` });
    expect(sendSignalCommand("reload=abc", none)).toEqual({ ok: false, error: "invalid pid: abc" });
    expect(sendSignalCommand("reload=1=2", none)).toEqual({ ok: false,
      error: "invalid signal parameters: 2" });
  });

  test("a pid that does not exist", () => {
    expect(sendSignalCommand("reload=999999999", none)).toEqual({ ok: false,
      error: `signal "reload" 999999999: no such process` });
  });
});

describe("isNatsdCommandLine", () => {
  test("recognizes natsd's launchers and nothing else", () => {
    expect(isNatsdCommandLine(["/opt/natsd/bin/natsd", "-p", "1"])).toBe(true);
    expect(isNatsdCommandLine(["/x/node_modules/.bin/bun", "/x/src/main.ts", "-c", "a"]))
      .toBe(true);
    expect(isNatsdCommandLine(["bun", "/usr/local/bin/natsd"])).toBe(true);
    expect(isNatsdCommandLine(["grep", "natsd"])).toBe(false);
    expect(isNatsdCommandLine(["vim", "src/main.ts"])).toBe(false);
    expect(isNatsdCommandLine(["/usr/sbin/nats-server"])).toBe(false);
    expect(isNatsdCommandLine([])).toBe(false);
  });
});
