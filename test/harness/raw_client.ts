/**
 * A raw TCP client for byte-exact protocol tests: sends bytes and waits for expected output,
 * never for time to pass.
 * @module
 */
import type { Socket } from "bun";

export class RawClient {
  #received = "";
  #closed = false;
  #waiters: (() => void)[] = [];
  #socket!: Socket<undefined>;

  static async connect(port: number, host = "127.0.0.1"): Promise<RawClient> {
    const client = new RawClient();
    client.#socket = await Bun.connect({
      hostname: host,
      port,
      socket: {
        data: (_socket, data) => {
          client.#received += Buffer.from(data).toString("latin1");
          client.#notify();
        },
        close: () => {
          client.#closed = true;
          client.#notify();
        },
        drain: () => client.#notify(),
        error: () => {
          client.#closed = true;
          client.#notify();
        },
      },
    });
    return client;
  }

  /** Everything received and not yet consumed. */
  get buffered(): string {
    return this.#received;
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(data: string | Uint8Array): void {
    const bytes = typeof data === "string" ? Buffer.from(data, "latin1") : data;
    let offset = 0;
    while (offset < bytes.length) {
      const written = this.#socket.write(bytes.subarray(offset));
      if (written <= 0) throw new Error("RawClient: socket did not take the data");
      offset += written;
    }
  }

  /** Sends everything, waiting for the socket to drain when the kernel buffer is full. */
  async write(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === "string" ? Buffer.from(data, "latin1") : data;
    let offset = 0;
    while (offset < bytes.length) {
      if (this.#closed) throw new Error("RawClient: connection closed while writing");
      const written = this.#socket.write(bytes.subarray(offset));
      if (written > 0) offset += written;
      else await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Waits until the buffered text satisfies `predicate` or the connection closes. */
  async waitFor(predicate: (text: string) => boolean): Promise<string> {
    while (!predicate(this.#received)) {
      if (this.#closed) {
        throw new Error(`Connection closed while waiting; received ${JSON.stringify(this.#received)}`);
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    return this.#received;
  }

  /** Reads the INFO line the server sends on connect and returns its JSON. */
  async readInfo(): Promise<Record<string, unknown>> {
    const line = await this.readLine();
    if (!line.startsWith("INFO ")) throw new Error(`Expected INFO, got ${JSON.stringify(line)}`);
    return JSON.parse(line.slice(5));
  }

  /** Consumes and returns one line without its CRLF. */
  async readLine(): Promise<string> {
    await this.waitFor((text) => text.includes("\r\n"));
    const end = this.#received.indexOf("\r\n");
    const line = this.#received.slice(0, end);
    this.#received = this.#received.slice(end + 2);
    return line;
  }

  /** Consumes exactly `text` from the front of the buffer, failing if it differs. */
  async expect(text: string): Promise<void> {
    await this.waitFor((received) => received.length >= text.length || !text.startsWith(received));
    const got = this.#received.slice(0, text.length);
    if (got !== text) {
      throw new Error(`Expected ${JSON.stringify(text)}, got ${JSON.stringify(this.#received)}`);
    }
    this.#received = this.#received.slice(text.length);
  }

  /** Sends PING and consumes everything up to and including the PONG (and a 2.12+ INFO). */
  async flush(): Promise<string> {
    this.send("PING\r\n");
    await this.waitFor((text) => text.includes("PONG\r\n"));
    const end = this.#received.indexOf("PONG\r\n");
    const before = this.#received.slice(0, end);
    this.#received = this.#received.slice(end + 6);
    return before;
  }

  /** Resolves once the server has closed the connection; returns what arrived before. */
  async waitClosed(): Promise<string> {
    while (!this.#closed) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    return this.#received;
  }

  close(): void {
    if (!this.#closed) this.#socket.end();
  }

  #notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}
