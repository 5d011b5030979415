import { expect, test } from "bun:test";
import type { AccountClaims } from "./claims.ts";
import { jetStreamLimitsOf } from "./jetstream_limits.ts";

const claims = (limits: Record<string, unknown>): AccountClaims =>
  ({ iss: "O", sub: "A", nats: { type: "account", limits } });

test("storage limits enable JetStream; zero-or-less stream bytes and ack pending unlimited",
  () => {
    expect(jetStreamLimitsOf(claims({ conn: -1 }))).toBeNull();
    expect(jetStreamLimitsOf(claims({ mem_storage: -1, disk_storage: 1024, streams: 2,
      consumer: 5, max_ack_pending: 0, disk_max_stream_bytes: 512 }))).toEqual({
      max_memory: -1, max_storage: 1024, max_streams: 2, max_consumers: 5,
      max_ack_pending: -1, memory_max_stream_bytes: -1, storage_max_stream_bytes: 512,
      max_bytes_required: false });
  });

test("tiered limits: the R1 tier applies on a single server", () => {
  const limits = jetStreamLimitsOf(claims({ tiered_limits: {
    R1: { mem_storage: 10, disk_storage: 20, streams: 3, consumer: -1 },
    R3: { mem_storage: 1, disk_storage: 1, streams: 1, consumer: 1 } } }));
  expect(limits?.max_memory).toBe(10);
  expect(limits?.max_streams).toBe(3);
});
