/**
 * Syslog transports on Bun (the runtime-specific part of logging):
 * - remote `udp://host:port`: a connected Bun UDP socket, one datagram per message;
 * - remote `tcp://host:port` and `unix:///path`: a Bun stream socket, messages ending in \n;
 * - local (`-s`): the system log socket, as Go's log/syslog finds it: a datagram socket at
 *   /dev/log, /var/run/syslog or /var/run/log, then a stream socket at the same paths.
 *   Bun has no Unix datagram sockets, so this calls libc's socket/connect/send through
 *   bun:ffi (no native code of natsd's own); where libc cannot be loaded that way (not
 *   Linux) local syslog is reported unavailable.
 * Sockets that are still connecting queue a bounded number of messages; beyond that, and
 * when a local datagram would block, messages are dropped rather than stalling the server.
 * @module
 */
import { dlopen, FFIType, ptr } from "bun:ffi";
import { LogSetupError } from "./errors.ts";
import type { RemoteSyslogTarget } from "./syslog_format.ts";

export interface SyslogTransport {
  send(text: string): void;
  close(): void;
}

/** Where Go's log/syslog looks for the local syslog daemon, in order. */
export const LOCAL_SYSLOG_PATHS: readonly string[] =
  ["/dev/log", "/var/run/syslog", "/var/run/log"];

/** Messages held while a socket connects. */
export const SYSLOG_QUEUE_MESSAGES_MAX = 1024;

const encoder = new TextEncoder();

// ---- Remote: UDP ---------------------------------------------------------------------

type UdpSocket = Awaited<ReturnType<typeof openUdp>>;
const openUdp = (host: string, port: number) =>
  Bun.udpSocket({ connect: { hostname: host, port } });

class UdpTransport implements SyslogTransport {
  #socket: UdpSocket | null = null;
  #queue: string[] = [];
  #closed = false;

  constructor(host: string, port: number, onError: (message: string) => void) {
    openUdp(host, port).then((socket) => {
      if (this.#closed) return socket.close();
      this.#socket = socket;
      for (const text of this.#queue) socket.send(text);
      this.#queue = [];
    }, (error: Error) => {
      onError(`error connecting to syslog: "dial udp ${host}:${port}: ${error.message}"`);
    });
  }

  send(text: string): void {
    if (this.#socket) {
      this.#socket.send(text);
    } else if (!this.#closed && this.#queue.length < SYSLOG_QUEUE_MESSAGES_MAX) {
      this.#queue.push(text);
    }
  }

  close(): void {
    this.#closed = true;
    this.#socket?.close();
    this.#socket = null;
  }
}

// ---- Remote: TCP and Unix stream -----------------------------------------------------

type StreamSocket = Awaited<ReturnType<typeof Bun.connect>>;

class StreamTransport implements SyslogTransport {
  #socket: StreamSocket | null = null;
  #connecting = false;
  #closed = false;
  #queue: Uint8Array[] = [];
  #reported = false;

  constructor(
    readonly target: Exclude<RemoteSyslogTarget, { network: "udp" }>,
    readonly onError: (message: string) => void,
  ) {
    this.#connect();
  }

  send(text: string): void {
    if (this.#closed || this.#queue.length >= SYSLOG_QUEUE_MESSAGES_MAX) return;
    this.#queue.push(encoder.encode(text));
    if (this.#socket) this.#pump();
    else if (!this.#connecting) this.#connect(); // Go's writeAndRetry dials again
  }

  close(): void {
    this.#closed = true;
    this.#socket?.end();
    this.#socket = null;
  }

  #connect(): void {
    this.#connecting = true;
    const handlers = {
      data() {},
      drain: () => this.#pump(),
      close: () => {
        this.#socket = null;
      },
      error: () => {
        this.#socket = null;
      },
    };
    const t = this.target;
    const connecting = t.network === "unix"
      ? Bun.connect({ unix: t.path, socket: handlers })
      : Bun.connect({ hostname: t.host, port: t.port, socket: handlers });
    connecting.then((socket) => {
      this.#connecting = false;
      if (this.#closed) return socket.end();
      this.#socket = socket;
      this.#reported = false;
      this.#pump();
    }, (error: Error) => {
      this.#connecting = false;
      this.#queue = [];
      if (this.#reported) return;
      this.#reported = true;
      const address = t.network === "unix" ? t.path : `${t.host}:${t.port}`;
      this.onError(`error connecting to syslog: "dial ${t.network} ${address}: ${error.message}"`);
    });
  }

  #pump(): void {
    while (this.#socket && this.#queue.length > 0) {
      const head = this.#queue[0];
      const written = this.#socket.write(head);
      if (written >= head.length) {
        this.#queue.shift();
      } else {
        // Partial write: keep the rest and wait for drain.
        this.#queue[0] = head.subarray(Math.max(written, 0));
        return;
      }
    }
  }
}

export function openRemoteSyslog(
  target: RemoteSyslogTarget, onError: (message: string) => void,
): SyslogTransport {
  return target.network === "udp"
    ? new UdpTransport(target.host, target.port, onError)
    : new StreamTransport(target, onError);
}

// ---- Local: the system log socket through libc --------------------------------------

const AF_UNIX = 1;
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const MSG_DONTWAIT = 0x40;
const MSG_NOSIGNAL = 0x4000;
/** sizeof(struct sockaddr_un) on Linux: a 2-byte family and 108 bytes of path. */
const SOCKADDR_UN_BYTES = 110;

const LIBC_SYMBOLS = {
  socket: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  connect: { args: [FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
  send: { args: [FFIType.i32, FFIType.ptr, FFIType.u64, FFIType.i32], returns: FFIType.i64_fast },
  close: { args: [FFIType.i32], returns: FFIType.i32 },
} as const;

type Libc = ReturnType<typeof dlopen<typeof LIBC_SYMBOLS>>["symbols"];

let libcLoaded: Libc | string | null = null;

/** libc's socket calls, or why they cannot be reached. */
function libc(): Libc | string {
  if (libcLoaded !== null) return libcLoaded;
  if (process.platform !== "linux") {
    libcLoaded =
      `natsd reaches the syslog socket through Linux's libc; this is ${process.platform}`;
    return libcLoaded;
  }
  try {
    libcLoaded = dlopen("libc.so.6", LIBC_SYMBOLS).symbols;
  } catch (error) {
    libcLoaded = `libc.so.6 could not be loaded (${(error as Error).message})`;
  }
  return libcLoaded;
}

function sockaddrUn(path: string): Uint8Array | null {
  const bytes = encoder.encode(path);
  if (bytes.length >= SOCKADDR_UN_BYTES - 2) return null;
  const addr = new Uint8Array(SOCKADDR_UN_BYTES);
  new DataView(addr.buffer).setUint16(0, AF_UNIX, true);
  addr.set(bytes, 2);
  return addr;
}

function connectUnix(c: Libc, type: number, path: string): number {
  const addr = sockaddrUn(path);
  if (!addr) return -1;
  const fd = c.socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (c.connect(fd, ptr(addr), SOCKADDR_UN_BYTES) !== 0) {
    c.close(fd);
    return -1;
  }
  return fd;
}

class LocalTransport implements SyslogTransport {
  #fd: number;
  #stream: boolean;

  constructor(readonly c: Libc, readonly paths: readonly string[], fd: number, stream: boolean) {
    this.#fd = fd;
    this.#stream = stream;
  }

  send(text: string): void {
    const bytes = encoder.encode(text);
    if (this.#fd >= 0 && this.#sendAll(bytes)) return;
    // Go's writeAndRetry: one reconnect (the daemon may have restarted), then give up.
    this.#reconnect();
    if (this.#fd >= 0) this.#sendAll(bytes);
  }

  close(): void {
    if (this.#fd >= 0) this.c.close(this.#fd);
    this.#fd = -1;
  }

  #sendAll(bytes: Uint8Array): boolean {
    if (!this.#stream) {
      const flags = MSG_DONTWAIT | MSG_NOSIGNAL;
      return Number(this.c.send(this.#fd, ptr(bytes), bytes.length, flags)) >= 0;
    }
    let offset = 0;
    while (offset < bytes.length) {
      const rest = bytes.subarray(offset);
      const sent = Number(this.c.send(this.#fd, ptr(rest), rest.length, MSG_NOSIGNAL));
      if (sent <= 0) return false;
      offset += sent;
    }
    return true;
  }

  #reconnect(): void {
    this.close();
    const found = findLocalSocket(this.c, this.paths);
    if (found) [this.#fd, this.#stream] = [found.fd, found.stream];
  }
}

function findLocalSocket(
  c: Libc, paths: readonly string[],
): { fd: number; stream: boolean } | null {
  for (const [type, stream] of [[SOCK_DGRAM, false], [SOCK_STREAM, true]] as const) {
    for (const path of paths) {
      const fd = connectUnix(c, type, path);
      if (fd >= 0) return { fd, stream };
    }
  }
  return null;
}

/** Local syslog could not be used on this platform at all (not: no daemon is listening). */
export class LocalSyslogUnavailable {
  constructor(readonly reason: string) {}
}

/** Connects to the local syslog daemon as Go does (datagram first, then stream). */
export function openLocalSyslog(
  paths: readonly string[] = LOCAL_SYSLOG_PATHS,
): SyslogTransport | LogSetupError | LocalSyslogUnavailable {
  const c = libc();
  if (typeof c === "string") return new LocalSyslogUnavailable(c);
  const found = findLocalSocket(c, paths);
  if (!found) return new LogSetupError('error connecting to syslog: "Unix syslog delivery error"');
  return new LocalTransport(c, paths, found.fd, found.stream);
}
