/**
 * A stream as an archive (archive.ts) and back: the configuration, the store's messages and the
 * consumers (durable and ephemeral, as nats-server includes both) with their delivery state. The snapshot is taken in one event-loop turn (the
 * store snapshot, stream state and consumer states agree); restore builds the stream aside and
 * registers it only when every record was applied, so a bad archive leaves nothing behind.
 * @module
 */
import { type JsonValue } from "../api/go_json.ts";
import { decodeRequest } from "../api/json_decode.ts";
import { CONSUMER_CONFIG_SCHEMA, type ConsumerConfig } from "../consumer/config.ts";
import { ConsumerManager, consumerMeta } from "../consumer/manager.ts";
import { decodeState, encodeState } from "../consumer/store/mod.ts";
import { restoreSnapshot, writeSnapshot } from "../store/snapshot.ts";
import { StoreError } from "../store/errors.ts";
import { STORED_STREAM_CONFIG, type StreamConfig } from "../stream/config.ts";
import type { Stream } from "../stream/stream.ts";
import {
  ArchiveError, type ArchiveRecord, consumerPayload, encodeRecord, preamble, RecordType,
  splitConsumerPayload,
} from "./archive.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What STREAM.SNAPSHOT answers with, and the archive bytes to send. */
export interface StreamSnapshot {
  state: Record<string, JsonValue>;
  config: StreamConfig;
  bytes: AsyncGenerator<Uint8Array>;
}

/** Takes the snapshot now; the archive is produced as `bytes` is read. */
export function snapshotStream(stream: Stream, withConsumers: boolean): StreamSnapshot {
  const meta = encoder.encode(stream.metaJson());
  const consumers: Uint8Array[] = [];
  const manager = stream.consumers;
  if (withConsumers && manager instanceof ConsumerManager) {
    for (const c of manager.consumers.values()) {
      const m = consumerMeta(c.name, c.createdNs, c.config);
      consumers.push(consumerPayload(m, encodeState(c.store.state())));
    }
  }
  const state = stream.state().state;
  const store = writeSnapshot(stream.store);
  // The store snapshot is taken by the generator's first step, in this same turn.
  const first = store.next();
  return { state, config: stream.config, bytes: archiveBytes(meta, first, store, consumers) };
}

async function* archiveBytes(
  meta: Uint8Array, first: Promise<IteratorResult<Uint8Array>>,
  store: AsyncGenerator<Uint8Array>, consumers: Uint8Array[],
): AsyncGenerator<Uint8Array> {
  yield preamble();
  yield encodeRecord(RecordType.meta, meta);
  let storeRecords = 0;
  for (let r = await first; !r.done; r = await store.next()) {
    yield encodeRecord(RecordType.store, r.value);
    storeRecords++;
  }
  for (const c of consumers) yield encodeRecord(RecordType.consumer, c);
  const end = JSON.stringify({ store: storeRecords, consumers: consumers.length });
  yield encodeRecord(RecordType.end, encoder.encode(end));
}

/** A source of archive records (the restore spool). */
export interface RecordSource {
  /** The next record, or null at the end of the bytes. @throws ArchiveError */
  next(): Promise<ArchiveRecord | null>;
  /** The next record without taking it. */
  peek(): Promise<ArchiveRecord | null>;
}

interface ConsumerRecord {
  name: string;
  createdNs: bigint;
  config: ConsumerConfig;
  state: ReturnType<typeof decodeState>;
}

const CONSUMER_META = {
  k: "object",
  go: "FileConsumerInfo",
  fields: { name: { k: "string" }, created: { k: "time" }, config: CONSUMER_CONFIG_SCHEMA },
} as const;

/** The archive's stream meta: its name and creation time. */
export async function readArchiveMeta(src: RecordSource):
  Promise<{ name: string; createdNs: bigint | null }> {
  const rec = await src.next();
  if (rec === null) throw new ArchiveError("unexpected EOF");
  if (rec.type !== RecordType.meta) throw new ArchiveError("corrupt snapshot archive: no meta");
  const decoded = decodeRequest<StreamConfig & { created?: bigint }>(
    decoder.decode(rec.payload), STORED_STREAM_CONFIG, { lenient: true });
  if (!decoded.ok) throw new ArchiveError(`corrupt snapshot archive: meta: ${decoded.error}`);
  return { name: decoded.value.name ?? "", createdNs: decoded.value.created ?? null };
}

/** Loads the store records into the stream's (empty) store and reads the consumers. */
export async function restoreStreamBody(src: RecordSource, stream: Stream):
  Promise<ConsumerRecord[]> {
  let storeRecords = 0;
  async function* storeBytes(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const rec = await src.peek();
      if (rec === null || rec.type !== RecordType.store) return;
      await src.next();
      storeRecords++;
      yield rec.payload;
    }
  }
  try {
    await restoreSnapshot(stream.store, storeBytes());
  } catch (error) {
    if (error instanceof StoreError) {
      throw new ArchiveError(storeRecordsEnded(await src.peek(), error.message));
    }
    throw error;
  }
  const consumers: ConsumerRecord[] = [];
  for (;;) {
    const rec = await src.next();
    if (rec === null) throw new ArchiveError("unexpected EOF");
    if (rec.type === RecordType.consumer) {
      consumers.push(decodeConsumer(rec.payload));
    } else if (rec.type === RecordType.end) {
      const end = JSON.parse(decoder.decode(rec.payload)) as { store: number; consumers: number };
      if (end.store !== storeRecords || end.consumers !== consumers.length) {
        throw new ArchiveError("corrupt snapshot archive: record counts do not match");
      }
      return consumers;
    } else {
      throw new ArchiveError(`corrupt snapshot archive: unexpected record ${rec.type}`);
    }
  }
}

/** A store snapshot that stopped early is a truncated archive when the bytes ran out. */
function storeRecordsEnded(next: ArchiveRecord | null, message: string): string {
  return next === null ? "unexpected EOF" : `corrupt snapshot archive: ${message}`;
}

function decodeConsumer(payload: Uint8Array): ConsumerRecord {
  const { meta, state } = splitConsumerPayload(payload);
  const decoded = decodeRequest<{ name?: string; created?: bigint; config?: ConsumerConfig }>(
    decoder.decode(meta), CONSUMER_META, { lenient: true });
  if (!decoded.ok || decoded.value.config === undefined || !decoded.value.name) {
    throw new ArchiveError("corrupt snapshot archive: consumer meta");
  }
  let decodedState;
  try {
    decodedState = decodeState(state);
  } catch (error) {
    throw new ArchiveError(`corrupt snapshot archive: consumer state: ${(error as Error).message}`);
  }
  return { name: decoded.value.name, createdNs: decoded.value.created ?? 0n,
    config: decoded.value.config, state: decodedState };
}

/** Starts the restored consumers on the stream, with their delivery state. */
export async function restoreConsumers(stream: Stream, consumers: ConsumerRecord[]):
  Promise<void> {
  const manager = stream.consumers;
  if (!(manager instanceof ConsumerManager)) return;
  for (const c of consumers) {
    const store = await manager.openStore(c.name, c.config, c.createdNs);
    try {
      store.forceUpdate(c.state);
    } catch (error) {
      await store.delete();
      throw new Error(`error restoring consumer ["${c.name}"]: ${(error as Error).message}`);
    }
    manager.add(c.name, c.config, c.createdNs, store);
  }
}
