import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { dlopen, FFIType, ptr } from "bun:ffi";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LogSetupError } from "./errors.ts";
import {
  LocalSyslogUnavailable, openLocalSyslog, openRemoteSyslog, type SyslogTransport,
} from "./syslog_bun.ts";

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "natsd-syslog-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Collects stream data until `count` newline-terminated messages arrived. */
function streamCollector(count: number) {
  let text = "";
  let done: (messages: string[]) => void = () => {};
  const messages = new Promise<string[]>((resolve) => (done = resolve));
  const handlers = {
    data(_socket: unknown, data: Uint8Array) {
      text += new TextDecoder().decode(data);
      const lines = text.split("\n").slice(0, -1);
      if (lines.length >= count) done(lines);
    },
  };
  return { handlers, messages };
}

describe("remote syslog transports", () => {
  test("udp: one datagram per message, including those sent while connecting", async () => {
    const received: string[] = [];
    let done: () => void = () => {};
    const all = new Promise<void>((resolve) => (done = resolve));
    const server = await Bun.udpSocket({
      hostname: "127.0.0.1", port: 0,
      socket: {
        data(_s, data) {
          received.push(new TextDecoder().decode(data));
          if (received.length === 2) done();
        },
      },
    });
    const errors: string[] = [];
    const t = openRemoteSyslog({ network: "udp", host: "127.0.0.1", port: server.port },
      (e) => errors.push(e));
    t.send("<5>first\n");
    t.send("<5>second\n");
    await all;
    expect(received).toEqual(["<5>first\n", "<5>second\n"]);
    expect(errors).toEqual([]);
    t.close();
    server.close();
  });

  test("tcp: messages are newline-terminated on one stream", async () => {
    const { handlers, messages } = streamCollector(3);
    const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: handlers });
    const t = openRemoteSyslog({ network: "tcp", host: "127.0.0.1", port: server.port }, () => {});
    for (const m of ["a", "b", "c"]) t.send(`<5>${m}\n`);
    expect(await messages).toEqual(["<5>a", "<5>b", "<5>c"]);
    t.close();
    server.stop(true);
  });

  test("unix://: a stream socket at the path", async () => {
    const { handlers, messages } = streamCollector(1);
    const path = join(dir, "log.sock");
    const server = Bun.listen({ unix: path, socket: handlers });
    const t = openRemoteSyslog({ network: "unix", path }, () => {});
    t.send("<5>Jan  1 00:00:00 natsd[1]: hi\n");
    expect(await messages).toEqual(["<5>Jan  1 00:00:00 natsd[1]: hi"]);
    t.close();
    server.stop(true);
  });

  test("tcp: a refused connection is reported once, in Go's words", async () => {
    const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = server.port;
    server.stop(true);
    const reported = new Promise<string>((resolve) => {
      const t = openRemoteSyslog({ network: "tcp", host: "127.0.0.1", port }, resolve);
      t.send("<5>lost\n");
    });
    expect(await reported).toStartWith(`error connecting to syslog: "dial tcp 127.0.0.1:${port}: `);
  });
});

const libc = process.platform === "linux" ? dlopen("libc.so.6", {
  socket: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  bind: { args: [FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
  recv: { args: [FFIType.i32, FFIType.ptr, FFIType.u64, FFIType.i32], returns: FFIType.i64_fast },
  close: { args: [FFIType.i32], returns: FFIType.i32 },
}).symbols : null;

/** A bound Unix datagram socket standing in for the syslog daemon's /dev/log. */
function datagramServer(path: string) {
  const addr = new Uint8Array(110);
  new DataView(addr.buffer).setUint16(0, 1, true);
  addr.set(new TextEncoder().encode(path), 2);
  const fd = libc!.socket(1, 2, 0);
  expect(libc!.bind(fd, ptr(addr), 110)).toBe(0);
  const buffer = new Uint8Array(2048);
  return {
    /** The next datagram; it was sent synchronously, so it is already queued. */
    receive: () => {
      const n = Number(libc!.recv(fd, ptr(buffer), buffer.length, 0x40));
      return n < 0 ? null : new TextDecoder().decode(buffer.subarray(0, n));
    },
    close: () => libc!.close(fd),
  };
}

describe.skipIf(process.platform !== "linux")("local syslog (Linux: libc through bun:ffi)", () => {
  test("prefers a datagram socket, trying the paths in order", () => {
    const path = join(dir, "log");
    const server = datagramServer(path);
    const t = openLocalSyslog([join(dir, "missing"), path]) as SyslogTransport;
    expect(typeof t.send).toBe("function");
    t.send("<29>Jan  1 00:00:00 natsd[1]: one\n");
    t.send("<27>Jan  1 00:00:00 natsd[1]: two\n");
    expect(server.receive()).toBe("<29>Jan  1 00:00:00 natsd[1]: one\n");
    expect(server.receive()).toBe("<27>Jan  1 00:00:00 natsd[1]: two\n");
    expect(server.receive()).toBeNull();
    t.close();
    server.close();
  });

  test("reconnects once when the daemon's socket was recreated", () => {
    const path = join(dir, "log");
    const first = datagramServer(path);
    const t = openLocalSyslog([path]) as SyslogTransport;
    first.close();
    rmSync(path);
    const second = datagramServer(path);
    t.send("<29>after restart\n");
    expect(second.receive()).toBe("<29>after restart\n");
    t.close();
    second.close();
  });

  test("falls back to a stream socket", async () => {
    const { handlers, messages } = streamCollector(1);
    const path = join(dir, "stream.sock");
    const server = Bun.listen({ unix: path, socket: handlers });
    const t = openLocalSyslog([path]) as SyslogTransport;
    t.send("<29>streamed\n");
    expect(await messages).toEqual(["<29>streamed"]);
    t.close();
    server.stop(true);
  });

  test("no daemon: nats-server's fatal error text", () => {
    const result = openLocalSyslog([join(dir, "nothing-here")]);
    expect(result).toBeInstanceOf(LogSetupError);
    expect((result as LogSetupError).message)
      .toBe('error connecting to syslog: "Unix syslog delivery error"');
  });
});

describe.skipIf(process.platform === "linux")("local syslog elsewhere", () => {
  test("is reported unavailable with the reason", () => {
    expect(openLocalSyslog([join(dir, "x")])).toBeInstanceOf(LocalSyslogUnavailable);
  });
});
