/**
 * The writer process of crash_test.ts: appends messages to a FileStore as fast as it can and
 * prints "ack <first> <last>" once each batch is durable, "del <seq>" once a removal is. The
 * parent kills it with SIGKILL at a random moment. Arguments: <dir> <config JSON>.
 */
import { FileStore, type FileStoreOptions } from "../../src/jetstream/store/file_store.ts";
import { crashPayload, crashSubject, isDeletedByWriter } from "./_crash_payload.ts";

const [dir, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson) as Partial<FileStoreOptions> & { keyByte?: number };
const key = config.keyByte === undefined ? undefined : new Uint8Array(32).fill(config.keyByte);
const store = await FileStore.open({ ...config, dir, key, log: () => {} });
const out = (line: string) => process.stdout.write(line + "\n");
out("ready");
let batch = 1;
const toDelete: number[] = [];
for (;;) {
  const first = store.fastState().lastSeq + 1;
  const count = 1 + (batch++ * 7919) % 64;
  for (let seq = first; seq < first + count; seq++) {
    store.storeMsg(crashSubject(seq), null, crashPayload(seq));
    if (isDeletedByWriter(seq)) toDelete.push(seq);
  }
  await store.flushed();
  out(`ack ${first} ${first + count - 1}`);
  const seq = toDelete.shift();
  if (seq !== undefined && store.removeMsg(seq)) {
    await store.flushed();
    out(`del ${seq}`);
  }
}
