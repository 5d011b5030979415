/**
 * An in-process JetStream for tests: one account, JetStream on a FakeClock, and a requester
 * that talks to it through an internal client, so API and publish behaviour is tested without
 * sockets or processes. Not part of the server.
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Account } from "../accounts/account.ts";
import { InternalClient, InternalKind } from "../server/internal_client.ts";
import { JetStream, type JetStreamConfig } from "./jetstream.ts";
import type { JsAccount } from "./js_account.ts";
import { FakeClock } from "./store/mod.ts";

export interface Reply {
  subject: string;
  hdr: string | null;
  data: Uint8Array;
  text: string;
  /** The body parsed as JSON (bigints would lose precision: tests keep values small). */
  json: Record<string, unknown>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class TestBed {
  readonly account = new Account("$G");
  readonly clock = new FakeClock(1_700_000_000_000_000_000n);
  readonly warnings: string[] = [];
  readonly dir: string;
  js!: JetStream;
  jsa!: JsAccount;
  #cid = 1;
  readonly client: InternalClient;
  #inbox = 0;

  private constructor(dir: string) {
    this.dir = dir;
    this.client = new InternalClient(this.#cid++, this.account, InternalKind.account);
  }

  /** A JetStream with a store directory in a new temporary directory. */
  static async start(config: Partial<JetStreamConfig> = {}, dir?: string): Promise<TestBed> {
    const bed = new TestBed(dir ?? mkdtempSync(join(tmpdir(), "natsd-js-")));
    await bed.#start(config);
    return bed;
  }

  async #start(config: Partial<JetStreamConfig>): Promise<void> {
    const log = {
      info: () => {},
      debug: () => {},
      warn: (m: string) => this.warnings.push(m),
      error: (m: string) => this.warnings.push(m),
    };
    this.js = JetStream.start({
      serverName: "test-server",
      log,
      maxPendingBytes: 64 * 1024 * 1024,
      createInternalClient: (account, kind) => new InternalClient(this.#cid++, account, kind),
    }, {
      storeDir: this.dir, maxMemoryBytes: -1, maxStoreBytes: -1, sync: "always", domain: "",
      duplicateWindowMaxNs: 0n, clock: this.clock, ...config,
    });
    this.jsa = await this.js.enableAccount(this.account);
  }

  /** Stops JetStream and starts it again on the same directory (a restart). */
  async restart(config: Partial<JetStreamConfig> = {}): Promise<void> {
    await this.js.stop();
    await this.#start(config);
  }

  async close(): Promise<void> {
    await this.js.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Collects everything published to `subject`. */
  collect(subject: string): Reply[] {
    const got: Reply[] = [];
    this.client.subscribe(subject, (s, _reply, hdr, data) => got.push(toReply(s, hdr, data)));
    return got;
  }

  /** Publishes and resolves with the first reply (undefined when nothing answers in time). */
  request(subject: string, body: string | Uint8Array = "", hdr?: Record<string, string>):
    Promise<Reply> {
    return this.requestMany(subject, body, hdr, 1).then((replies) => replies[0]);
  }

  /** Publishes and resolves once `count` replies arrived. */
  requestMany(subject: string, body: string | Uint8Array = "", hdr?: Record<string, string>,
    count = 1, until?: (r: Reply) => boolean): Promise<Reply[]> {
    const inbox = `_INBOX.t${this.#inbox++}`;
    const replies: Reply[] = [];
    return new Promise((resolve) => {
      const sub = this.client.subscribe(inbox, (s, _r, h, d) => {
        const r = toReply(s, h, d);
        replies.push(r);
        if (replies.length >= count || until?.(r)) {
          this.client.unsubscribe(sub);
          resolve(replies);
        }
      });
      const delivered = this.client.publish(subject, inbox, headerBlock(hdr),
        typeof body === "string" ? encoder.encode(body) : body);
      if (!delivered) {
        this.client.unsubscribe(sub);
        resolve([{ subject: inbox, hdr: "NATS/1.0 503\r\n\r\n", data: new Uint8Array(0),
          text: "", json: {} }]);
      }
    });
  }

  /** A JSON API request. */
  async api(subject: string, body: unknown = undefined): Promise<Record<string, unknown>> {
    const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
    return (await this.request(subject, text)).json;
  }

  /** Publishes to a stream subject and returns the PubAck JSON. */
  async publish(subject: string, data = "", hdr?: Record<string, string>):
    Promise<Record<string, unknown>> {
    return (await this.request(subject, data, hdr)).json;
  }
}

export function headerBlock(hdr?: Record<string, string>): Uint8Array | null {
  if (hdr === undefined) return null;
  let text = "NATS/1.0\r\n";
  for (const [k, v] of Object.entries(hdr)) text += `${k}: ${v}\r\n`;
  return encoder.encode(`${text}\r\n`);
}

function toReply(subject: string, hdr: Uint8Array | null, data: Uint8Array): Reply {
  const text = decoder.decode(data);
  let json: Record<string, unknown> = {};
  try {
    json = text === "" ? {} : JSON.parse(text);
  } catch {
    json = {};
  }
  const headers = hdr === null ? null : decoder.decode(hdr);
  return { subject, hdr: headers, data: data.slice(), text, json };
}
