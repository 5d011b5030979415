/**
 * The server as a process: flags, version and help output, pid and ports files, simple auth
 * from flags, signals (SIGTERM, SIGINT, SIGUSR2 lame duck). Runs against natsd by default, or
 * any server named by NATS_SERVER.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { RawClient } from "../harness/raw_client.ts";
import { isGoServer, serverCommand, startServer } from "../harness/server_process.ts";

async function runToExit(args: string[]) {
  const [program, ...leading] = serverCommand();
  const proc = Bun.spawn([program, ...leading, ...args], { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited,
  ]);
  return { stdout, stderr, code };
}

describe("command line", () => {
  test("-v prints the nats-server version line tools parse", async () => {
    const { stdout, code } = await runToExit(["-v"]);
    expect(code).toBe(0);
    expect(stdout.split("\n")[0]).toMatch(/^nats-server: v\d+\.\d+\.\d+$/);
    if (!isGoServer()) expect(stdout.split("\n")[1]).toMatch(/^natsd: v\d+\.\d+\.\d+/);
  });

  test("-h prints usage and exits 0", async () => {
    const { stdout, stderr, code } = await runToExit(["-h"]);
    expect(code).toBe(0);
    expect(stdout + stderr).toContain("Usage:");
    expect(stdout + stderr).toContain("--ports_file_dir");
  });

  test("an unknown flag prints the error and usage", async () => {
    const { stdout, stderr, code } = await runToExit(["--no_such_flag"]);
    expect(stderr + stdout).toContain("flag provided but not defined: -no_such_flag");
    expect(stderr + stdout).toContain("Usage:");
    // nats-server exits 0 here (its usage function exits); natsd exits 1 as issue 2 asks.
    expect(code).toBe(isGoServer() ? 0 : 1);
  });
});

describe("process files and signals", () => {
  test("the ports file lists the client URL and the pid file holds the pid", async () => {
    const server = await startServer({ args: ["-P", "server.pid"] });
    try {
      const portsFile = readdirSync(server.dir).find((f) => f.endsWith(`_${server.pid}.ports`))!;
      const ports = JSON.parse(readFileSync(join(server.dir, portsFile), "utf8"));
      expect(ports.nats).toEqual([`nats://127.0.0.1:${server.port}`]);
      expect(readFileSync(join(server.dir, "server.pid"), "utf8").trim()).toBe(String(server.pid));
    } finally {
      await server.stop();
    }
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    test(`${signal} closes clients and exits cleanly, removing the ports file`, async () => {
      const server = await startServer({ args: ["-P", "server.pid"] });
      const nc = await connect({ servers: server.url, reconnect: false });
      const closed = nc.closed();
      server.signal(signal);
      await closed;
      await server.exited;
      // nats-server removes its ports file on shutdown and leaves the pid file in place.
      const left = readdirSync(server.dir).filter((f) => f.endsWith(".ports") || f.endsWith(".pid"));
      expect(left).toEqual(["server.pid"]);
      await server.stop();
    });
  }

  test("SIGUSR2 enters lame duck mode: INFO with ldm, new connections refused", async () => {
    const server = await startServer({
      // 30s is the shortest duration nats-server accepts; the test ends the server before.
      config: "lame_duck_grace_period: 10s\nlame_duck_duration: 30s\n",
    });
    const client = await RawClient.connect(server.port);
    await client.readInfo();
    client.send('CONNECT {"verbose":false,"protocol":1}\r\n');
    await client.flush();
    server.signal("SIGUSR2");
    let line = await client.readLine();
    // A 2.12+ server may first send the INFO that follows the first PONG.
    while (line.includes('"connect_info":true')) line = await client.readLine();
    expect(line.startsWith("INFO ")).toBe(true);
    expect(JSON.parse(line.slice(5)).ldm).toBe(true);
    let refused = false;
    try {
      const late = await RawClient.connect(server.port);
      await late.waitClosed();
      refused = true;
    } catch {
      refused = true; // connection refused: the listener is closed
    }
    expect(refused).toBe(true);
    // nats-server (2.10+) and natsd ignore SIGTERM while lame duck mode runs; SIGINT stops.
    server.signal("SIGINT");
    await server.stop();
  });
});

describe("simple auth from flags", () => {
  test("--user/--pass: INFO says auth_required; wrong password is refused", async () => {
    const server = await startServer({ args: ["--user", "alice", "--pass", "s3cret"] });
    try {
      const raw = await RawClient.connect(server.port);
      expect((await raw.readInfo()).auth_required).toBe(true);
      raw.send('CONNECT {"user":"alice","pass":"wrong"}\r\n');
      expect(await raw.waitClosed()).toBe("-ERR 'Authorization Violation'\r\n");
      const nc = await connect({ servers: server.url, user: "alice", pass: "s3cret" });
      await nc.flush();
      await nc.close();
    } finally {
      await server.stop();
    }
  });

  test("--auth token: operations before CONNECT are refused", async () => {
    const server = await startServer({ args: ["--auth", "tok3n"] });
    try {
      const raw = await RawClient.connect(server.port);
      await raw.readInfo();
      raw.send("PING\r\n");
      expect(await raw.waitClosed()).toBe("-ERR 'Authorization Violation'\r\n");
      const nc = await connect({ servers: server.url, token: "tok3n" });
      await nc.flush();
      await nc.close();
    } finally {
      await server.stop();
    }
  });

  test("a client that never sends CONNECT gets Authentication Timeout", async () => {
    const server = await startServer({ args: ["--user", "a", "--pass", "b"] });
    try {
      const raw = await RawClient.connect(server.port);
      await raw.readInfo();
      expect(await raw.waitClosed()).toBe("-ERR 'Authentication Timeout'\r\n");
    } finally {
      await server.stop();
    }
  });
});

describe("existence checks", () => {
  test("bin/natsd is executable", () => {
    expect(existsSync(join(import.meta.dir, "..", "..", "bin", "natsd"))).toBe(true);
  });
});
