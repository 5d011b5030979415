import { describe, expect, test } from "bun:test";
import {
  ArchiveReader, consumerPayload, encodeRecord, preamble, rechunk, RecordType,
  splitConsumerPayload,
} from "./archive.ts";

async function* pieces(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* parts;
}

async function all(gen: AsyncGenerator<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of gen) out.push(c.slice());
  return out;
}

describe("archive records", () => {
  test("records split across pushes of single bytes come back whole", () => {
    const bytes = new Uint8Array([...preamble(),
      ...encodeRecord(RecordType.meta, new TextEncoder().encode("{}")),
      ...encodeRecord(RecordType.store, new Uint8Array(300).fill(7))]);
    const reader = new ArchiveReader();
    const got: number[] = [];
    for (const b of bytes) {
      reader.push(new Uint8Array([b]));
      for (let r = reader.next(); r !== null; r = reader.next()) got.push(r.type, r.payload.length);
    }
    expect(got).toEqual([RecordType.meta, 2, RecordType.store, 300]);
    expect(reader.buffered).toBe(0);
  });

  test("a flipped byte, a bad magic and an unknown type are refused", () => {
    const rec = encodeRecord(RecordType.meta, new Uint8Array(8));
    rec[7] ^= 1;
    const reader = new ArchiveReader();
    reader.push(preamble());
    reader.push(rec);
    expect(() => reader.next()).toThrow("checksum mismatch");
    const magic = new ArchiveReader();
    magic.push(new Uint8Array(12));
    expect(() => magic.next()).toThrow("not a natsd stream archive");
    const typed = new ArchiveReader();
    typed.push(preamble());
    typed.push(encodeRecord(9 as RecordType, new Uint8Array(0)));
    expect(() => typed.next()).toThrow("record type 9");
  });

  test("consumer payloads keep meta and state apart", () => {
    const p = consumerPayload(new Uint8Array([1, 2]), new Uint8Array([3]));
    const { meta, state } = splitConsumerPayload(p);
    expect([...meta, ...state]).toEqual([1, 2, 3]);
    expect(() => splitConsumerPayload(new Uint8Array([9, 0, 0, 0]))).toThrow("meta length");
  });

  test("rechunk cuts exact sizes with a short tail", async () => {
    const chunks = await all(rechunk(pieces(new Uint8Array(5), new Uint8Array(6)), 4));
    expect(chunks.map((c) => c.length)).toEqual([4, 4, 3]);
    expect((await all(rechunk(pieces(new Uint8Array(8)), 4))).map((c) => c.length))
      .toEqual([4, 4]);
  });
});
