/**
 * The receiving side of STREAM.RESTORE, as nats-server's processStreamRestore runs it: the client
 * publishes the archive in chunks to `$JS.SNAPSHOT.RESTORE.<stream>.<id>`, each with a reply
 * subject that gets an empty ack once the chunk is kept; an empty message ends the transfer and its
 * reply gets the stream create response (or the restore error). A chunk without a reply subject
 * ends the restore silently, and so does a pause longer than the inactivity limit (5 s, "stalled").
 * Chunks are spooled to a file (nats-server untars into a temporary directory) and read back as
 * archive records when the transfer is complete.
 * @module
 */
import { mkdir, open, rm } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { ArchiveError, type ArchiveRecord, ArchiveReader } from "./archive.ts";
import type { RecordSource } from "./stream_archive.ts";

export const RESTORE_PREFIX = "$JS.SNAPSHOT.RESTORE";
/** A restore with no chunk for this long is stalled (processStreamRestore's activityInterval). */
export const RESTORE_INACTIVITY_MS = 5_000;
const READ_BYTES = 256 * 1024;

export type ChunkHandler = (subject: string, reply: string, hdr: Uint8Array | null,
  body: Uint8Array) => void;

export interface ReceiverHost {
  subscribe(subject: string, onMessage: ChunkHandler): () => void;
  /** Sends a message (an ack is empty). */
  publish(subject: string, payload: Uint8Array): void;
  warn(message: string): void;
}

export interface ReceiverOptions {
  subject: string;
  /** Directory for the spool file (created when missing). */
  spoolDir: string;
  /** `restore for stream '<account> > <stream>'`, the start of Go's messages. */
  label: string;
  inactivityMs?: number;
  /** Restores from the complete archive; returns the final response body. */
  finish(records: RecordSource): Promise<Uint8Array>;
  /** The response body for a chunk that could not be kept. */
  chunkFailed(error: Error): Uint8Array;
  /** Called once when the session is over (either way). */
  done(error: Error | null): void;
}

export class RestoreReceiver {
  readonly #host: ReceiverHost;
  readonly #opts: ReceiverOptions;
  readonly #path: string;
  #file: Promise<FileHandle>;
  #writes: Promise<void> = Promise.resolve();
  #unsubscribe: (() => void) | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #over = false;
  bytes = 0;

  constructor(host: ReceiverHost, opts: ReceiverOptions, id: string) {
    this.#host = host;
    this.#opts = opts;
    this.#path = join(opts.spoolDir, `snap-${id}`);
    this.#file = mkdir(opts.spoolDir, { recursive: true, mode: 0o700 })
      .then(() => open(this.#path, "w+", 0o600));
    this.#file.catch(() => {});
  }

  /** Opens the spool and subscribes the chunk subject. @throws when the spool cannot open */
  async start(): Promise<void> {
    await this.#file;
    this.#unsubscribe = this.#host.subscribe(this.#opts.subject, this.#onChunk);
    this.#arm();
  }

  readonly #onChunk: ChunkHandler = (_subject, reply, _hdr, body) => {
    if (this.#over) return;
    if (reply === "") {
      this.#end(new Error(`${this.#opts.label} requires reply subject for each chunk`));
      return;
    }
    if (body.length === 0) {
      this.#stopInput();
      void this.#complete(reply);
      return;
    }
    const chunk = body.slice();
    this.#arm();
    this.#writes = this.#writes.then(async () => {
      const file = await this.#file;
      await file.write(chunk);
      this.bytes += chunk.length;
    });
    this.#writes.then(() => {
      this.#arm();
      this.#host.publish(reply, new Uint8Array(0));
    }, (error: Error) => {
      if (this.#over) return;
      this.#host.publish(reply, this.#opts.chunkFailed(error));
      this.#end(error);
    });
  };

  async #complete(reply: string): Promise<void> {
    let response: Uint8Array;
    let error: Error | null = null;
    try {
      await this.#writes;
      const file = await this.#file;
      response = await this.#opts.finish(new SpoolRecords(file));
    } catch (e) {
      error = e as Error;
      response = this.#opts.chunkFailed(error);
    }
    this.#host.publish(reply, response);
    await this.#cleanup();
    this.#opts.done(error);
  }

  #arm(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#end(new Error(`${this.#opts.label} is stalled`));
    }, this.#opts.inactivityMs ?? RESTORE_INACTIVITY_MS);
  }

  #stopInput(): void {
    this.#over = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  #end(error: Error): void {
    if (this.#over) return;
    this.#stopInput();
    this.#host.warn(error.message);
    void this.#writes.catch(() => {}).then(() => this.#cleanup())
      .then(() => this.#opts.done(error));
  }

  async #cleanup(): Promise<void> {
    try {
      await (await this.#file).close();
    } catch {
      // already closed or never opened
    }
    await rm(this.#path, { force: true });
  }
}

/** Archive records read back from the spool file. */
class SpoolRecords implements RecordSource {
  readonly #file: FileHandle;
  readonly #reader = new ArchiveReader();
  #offset = 0;
  #eof = false;
  #peeked: ArchiveRecord | null | undefined = undefined;

  constructor(file: FileHandle) {
    this.#file = file;
  }

  async peek(): Promise<ArchiveRecord | null> {
    if (this.#peeked === undefined) this.#peeked = await this.#read();
    return this.#peeked;
  }

  async next(): Promise<ArchiveRecord | null> {
    const rec = await this.peek();
    this.#peeked = undefined;
    return rec;
  }

  async #read(): Promise<ArchiveRecord | null> {
    for (;;) {
      const rec = this.#reader.next();
      if (rec !== null) return rec;
      if (this.#eof) {
        if (this.#reader.buffered > 0) throw new ArchiveError("unexpected EOF");
        return null;
      }
      const buf = new Uint8Array(READ_BYTES);
      const { bytesRead } = await this.#file.read(buf, 0, READ_BYTES, this.#offset);
      this.#offset += bytesRead;
      if (bytesRead === 0) this.#eof = true;
      else this.#reader.push(buf.subarray(0, bytesRead));
    }
  }
}
