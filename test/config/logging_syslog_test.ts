/**
 * Remote syslog (-r udp://host:port): natsd's datagrams in Go's log/syslog form, and the same
 * as nats-server's for the same events (the tag is the program's name, so it differs).
 * Waits on datagrams, never on time.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { hostname } from "node:os";
import { RawClient } from "../harness/raw_client.ts";
import { serverCommand } from "../harness/server_process.ts";
import { spawnServer } from "./reload_process.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A UDP syslog receiver that can wait for a message matching a pattern. */
async function receiver() {
  const messages: string[] = [];
  const waiters: { pattern: RegExp; resolve: (m: string) => void }[] = [];
  const socket = await Bun.udpSocket({
    hostname: "127.0.0.1", port: 0,
    socket: {
      data(_s, data) {
        const text = new TextDecoder().decode(data);
        messages.push(text);
        for (let i = waiters.length - 1; i >= 0; i--) {
          if (waiters[i].pattern.test(text)) waiters.splice(i, 1)[0].resolve(text);
        }
      },
    },
  });
  cleanup.push(() => socket.close());
  const waitFor = (pattern: RegExp) => {
    const seen = messages.find((m) => pattern.test(m));
    if (seen) return Promise.resolve(seen);
    return new Promise<string>((resolve) => waiters.push({ pattern, resolve }));
  };
  return { port: socket.port, messages, waitFor };
}

/** The syslog messages a server sends for: start, a client closing (debug), a bad reload. */
async function events(command: string[]): Promise<Record<string, string>> {
  const r = await receiver();
  const s = await spawnServer({
    config: "", command,
    args: ["-a", "127.0.0.1", "-p", "-1", "-D", "-r", `udp://127.0.0.1:${r.port}`],
  });
  cleanup.push(() => s.stop());
  const ready = await r.waitFor(/: Server is ready\n$/);
  const c = await RawClient.connect(s.port);
  await c.readInfo();
  c.send("CONNECT {}\r\n");
  await c.flush();
  c.close();
  const closed = await r.waitFor(/Client connection closed/);
  s.writeConfig("this is not { a config\n");
  s.signal("SIGHUP");
  const failed = await r.waitFor(/Failed to reload server configuration/);
  return { ready, closed, failed, pid: String(s.pid) };
}

const TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)/.source;
const HEADER = new RegExp(`^<(\\d+)>(${TIME}) (\\S+) ([^\\[]+)\\[(\\d+)\\]: `);

describe("remote syslog over UDP", () => {
  test("Go's network form: severity as PRI, RFC 3339 time, hostname, tag[pid]", async () => {
    const e = await events(serverCommand());
    const ready = HEADER.exec(e.ready)!;
    expect(ready[1]).toBe("5"); // notice
    expect(ready[3]).toBe(hostname());
    expect(ready[5]).toBe(e.pid);
    expect(e.ready.slice(ready[0].length)).toBe("Server is ready\n");
    expect(HEADER.exec(e.closed)![1]).toBe("7"); // debug
    expect(HEADER.exec(e.failed)![1]).toBe("3"); // error
  });

  test.skipIf(!Bun.which("nats-server"))("the same messages as nats-server's", async () => {
    const normalise = (m: string) => m
      .replace(HEADER, (_all, pri) => `<${pri}>TIME HOST TAG[PID]: `)
      .replace(/^(<\d+>TIME HOST TAG\[PID\]: )(.*)$/s, (_all, head, text: string) =>
        head + (/Failed to reload/.test(text) ? "Failed to reload server configuration: …\n" :
          /connection closed/.test(text) ? "… Client connection closed …\n" : text));
    const natsd = await events(serverCommand());
    const go = await events(["nats-server"]);
    for (const key of ["ready", "closed", "failed"]) {
      expect(normalise(natsd[key])).toBe(normalise(go[key]));
    }
  });
});
