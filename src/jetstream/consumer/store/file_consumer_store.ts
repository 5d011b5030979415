/**
 * FileConsumerStore: consumer state in a directory of its own, next to the stream's messages.
 * `meta.inf` holds the configuration record, `o.dat` the delivery state (state_codec.ts). Each is
 * replaced whole: written to `<name>.tmp`, fsynced, renamed over the old file, and the directory
 * fsynced, so a crash leaves the old or the new record, never a mix. Changes made in one turn of
 * the event loop share one write, and a write started while another runs waits for it, so under
 * load a consumer writes about once per fsync. flushed() resolves once the changes made before it
 * are durable: the ack-sync reply waits on it.
 * @module
 */
import { mkdir, open, readdir, readFile, rename, rm, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { ConsumerStore, ConsumerStoreConfig } from "./consumer_store.ts";
import { ConsumerStoreError } from "./errors.ts";
import { decodeMeta, decodeState, encodeMeta, encodeState } from "./state_codec.ts";
import { StateKeeper } from "./_state_keeper.ts";

export const STATE_FILE = "o.dat";
export const META_FILE = "meta.inf";
const TMP_SUFFIX = ".tmp";

export interface FileConsumerStoreOptions {
  /** fsync each record and the directory before it counts as durable (default true). */
  sync?: boolean;
}

interface Waiter {
  stateVersion: number;
  metaVersion: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

async function readIfExists(path: string): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new ConsumerStoreError("io", `read ${path}: ${(e as Error).message}`);
  }
}

async function syncPath(path: string, flags: string): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeAtomic(dir: string, name: string, bytes: Uint8Array, sync: boolean) {
  const tmp = join(dir, name + TMP_SUFFIX);
  const handle = await open(tmp, "w");
  try {
    await handle.writeFile(bytes);
    if (sync) await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, join(dir, name));
  if (sync) await syncPath(dir, "r");
}

export class FileConsumerStore extends StateKeeper implements ConsumerStore {
  readonly kind = "file" as const;
  readonly #dir: string;
  readonly #sync: boolean;
  #stateVersion = 0;
  #stateDurable = 0;
  #metaVersion = 0;
  #metaDurable = 0;
  #writer: Promise<void> | null = null;
  #waiters: Waiter[] = [];
  #stateFileExists = false;

  private constructor(dir: string, config: ConsumerStoreConfig, sync: boolean) {
    super(config);
    this.#dir = dir;
    this.#sync = sync;
  }

  /**
   * Opens the store in dir, creating it when needed. With a config, that config replaces the
   * stored one; without, the directory must hold one.
   * @throws ConsumerStoreError corrupt (a damaged record: never trusted), io
   */
  static async open(
    dir: string,
    config: ConsumerStoreConfig | null,
    options: FileConsumerStoreOptions = {},
  ): Promise<FileConsumerStore> {
    try {
      await mkdir(dir, { recursive: true });
      for (const name of await readdir(dir)) {
        if (name.endsWith(TMP_SUFFIX)) await unlink(join(dir, name));
      }
    } catch (e) {
      throw new ConsumerStoreError("io", `open ${dir}: ${(e as Error).message}`);
    }
    const metaBytes = await readIfExists(join(dir, META_FILE));
    const stored = metaBytes === null ? null : decodeMeta(metaBytes);
    const effective = config ?? stored;
    if (effective === null) throw new ConsumerStoreError("corrupt", `no ${META_FILE} in ${dir}`);
    const store = new FileConsumerStore(dir, effective, options.sync ?? true);
    const stateBytes = await readIfExists(join(dir, STATE_FILE));
    if (stateBytes !== null) {
      store.st = decodeState(stateBytes);
      store.#stateFileExists = true;
    }
    if (stored === null || config !== null) store.changed("config");
    return store;
  }

  get directory(): string {
    return this.#dir;
  }

  override hasState(): boolean {
    return super.hasState() || this.#stateFileExists;
  }

  protected changed(what: "state" | "config"): void {
    if (what === "state") this.#stateVersion++;
    else this.#metaVersion++;
    if (this.#writer === null) this.#writer = this.#writeLoop();
  }

  async #writeLoop(): Promise<void> {
    // Let the rest of this turn's changes join the write.
    await Promise.resolve();
    try {
      while (this.#metaDurable < this.#metaVersion || this.#stateDurable < this.#stateVersion) {
        await this.#writeOnce();
        this.#settle(null);
      }
    } catch (e) {
      this.#settle(new ConsumerStoreError("io", (e as Error).message));
    } finally {
      this.#writer = null;
    }
  }

  async #writeOnce(): Promise<void> {
    if (this.#metaDurable < this.#metaVersion) {
      const version = this.#metaVersion;
      await writeAtomic(this.#dir, META_FILE, encodeMeta(this.cfg), this.#sync);
      this.#metaDurable = version;
    }
    if (this.#stateDurable < this.#stateVersion) {
      const version = this.#stateVersion;
      await writeAtomic(this.#dir, STATE_FILE, encodeState(this.st), this.#sync);
      this.#stateDurable = version;
      this.#stateFileExists = true;
    }
  }

  #settle(error: Error | null): void {
    const waiting: Waiter[] = [];
    for (const w of this.#waiters) {
      if (error !== null) w.reject(error);
      else if (w.stateVersion <= this.#stateDurable && w.metaVersion <= this.#metaDurable) {
        w.resolve();
      } else waiting.push(w);
    }
    this.#waiters = waiting;
  }

  flushed(): Promise<void> {
    if (this.#stateDurable >= this.#stateVersion && this.#metaDurable >= this.#metaVersion) {
      return Promise.resolve();
    }
    if (this.#writer === null) this.#writer = this.#writeLoop();
    return new Promise((resolve, reject) => {
      this.#waiters.push({
        stateVersion: this.#stateVersion,
        metaVersion: this.#metaVersion,
        resolve,
        reject,
      });
    });
  }

  async stop(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flushed();
    } finally {
      this.closed = true;
    }
  }

  async delete(): Promise<void> {
    this.closed = true;
    if (this.#writer !== null) await this.#writer;
    await rm(this.#dir, { recursive: true, force: true });
  }
}
