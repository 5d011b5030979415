import { describe, expect, test } from "bun:test";
import { seededRandom, view } from "./consumer_store_cases.ts";
import { emptyConsumerState } from "./consumer_store.ts";
import { decodeMeta, decodeState, encodeMeta, encodeState } from "./state_codec.ts";

describe("state_codec", () => {
  test("empty and large-number states round-trip", () => {
    const st = emptyConsumerState();
    expect(view(decodeState(encodeState(st)))).toEqual(view(st));
    const big = emptyConsumerState();
    big.delivered = { consumer: Number.MAX_SAFE_INTEGER, stream: Number.MAX_SAFE_INTEGER };
    big.ackFloor = { consumer: 2 ** 40, stream: 2 ** 52 };
    big.pending.set(Number.MAX_SAFE_INTEGER, { dseq: 2 ** 45, tsNs: -5n });
    big.pending.set(2 ** 52 + 1, { dseq: 7, tsNs: (1n << 63n) - 1n });
    big.redelivered.set(Number.MAX_SAFE_INTEGER, 2 ** 33);
    expect(view(decodeState(encodeState(big)))).toEqual(view(big));
  });

  test("random states round-trip (seeded)", () => {
    const random = seededRandom(7);
    for (let round = 0; round < 200; round++) {
      const st = emptyConsumerState();
      st.ackFloor = { consumer: Math.floor(random() * 1000), stream: Math.floor(random() * 1e6) };
      let seq = st.ackFloor.stream;
      const n = Math.floor(random() * 20);
      for (let i = 0; i < n; i++) {
        seq += 1 + Math.floor(random() * 1000);
        const ts = BigInt(Math.floor(random() * 2 ** 52)) * (random() < 0.5 ? -1n : 1000n);
        st.pending.set(seq, { dseq: st.ackFloor.consumer + i + 1, tsNs: ts });
        if (random() < 0.3) st.redelivered.set(seq, 1 + Math.floor(random() * 5));
      }
      st.delivered = { consumer: st.ackFloor.consumer + n, stream: seq };
      expect(view(decodeState(encodeState(st)))).toEqual(view(st));
    }
  });

  test("meta records round-trip", () => {
    const meta = new TextEncoder().encode('{"durable_name":"d"}');
    for (const ackPolicy of ["none", "all", "explicit", "flow_control"] as const) {
      expect(decodeMeta(encodeMeta({ ackPolicy, maxDeliver: 3, meta }))).toEqual({
        ackPolicy, maxDeliver: 3, meta,
      });
    }
    expect(decodeMeta(encodeMeta({ ackPolicy: "all", maxDeliver: -1, meta })).maxDeliver).toBe(-1);
  });

  test("a state record is not accepted as a meta record", () => {
    expect(() => decodeMeta(encodeState(emptyConsumerState()))).toThrow("bad magic");
  });
});
