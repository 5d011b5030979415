import { describe, expect, test } from "bun:test";
import { handleSignal, type HandledSignal, type SignalTarget } from "./signals.ts";

function target(lameDuck = false) {
  const calls: string[] = [];
  const t: SignalTarget = {
    log: { info: (m) => calls.push(`info ${m}`), error: (m) => calls.push(`error ${m}`) },
    lameDuck,
    shutdown: () => (calls.push("shutdown"), Promise.resolve()),
    enterLameDuckMode: () => (calls.push("ldm"), Promise.resolve()),
    reopenLog: () => void calls.push("reopen"),
    reload: () => (calls.push("reload"), true),
  };
  return { t, calls };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("handleSignal (nats-server's signal.go)", () => {
  const cases: [HandledSignal, string, string | null][] = [
    ["SIGHUP", "hangup", "reload"],
    ["SIGUSR1", "user defined signal 1", "reopen"],
    ["SIGUSR2", "user defined signal 2", "ldm"],
    ["SIGINT", "interrupt", "shutdown"],
    ["SIGTERM", "terminated", "shutdown"],
  ];
  for (const [signal, name, action] of cases) {
    test(`${signal}: logged with Go's name, then ${action}`, async () => {
      const { t, calls } = target();
      const exits: number[] = [];
      handleSignal(t, signal, (code) => exits.push(code));
      await settle();
      expect(calls).toEqual([`info Trapped "${name}" signal`, action!]);
      const exiting = signal === "SIGINT" || signal === "SIGTERM" || signal === "SIGUSR2";
      expect(exits).toEqual(exiting ? [0] : []);
    });
  }

  test("SIGTERM during lame duck mode lets it finish", async () => {
    const { t, calls } = target(true);
    const exits: number[] = [];
    handleSignal(t, "SIGTERM", (code) => exits.push(code));
    await settle();
    expect(calls).toEqual(['info Trapped "terminated" signal']);
    expect(exits).toEqual([]);
  });

  test("a failing shutdown exits 1 and says why", async () => {
    const { t, calls } = target();
    t.shutdown = () => Promise.reject(new Error("boom"));
    const exits: number[] = [];
    handleSignal(t, "SIGINT", (code) => exits.push(code));
    await settle();
    expect(calls).toContain("error Shutdown failed: boom");
    expect(exits).toEqual([1]);
  });
});
