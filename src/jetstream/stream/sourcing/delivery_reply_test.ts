import { expect, test } from "bun:test";
import { parseAckReply } from "../../consumer/core/ack_subject.ts";
import { parseDeliveryReply } from "./delivery_reply.ts";

test("parseDeliveryReply agrees with parseAckReply on good and bad subjects", () => {
  const subjects = [
    "$JS.ACK.O.C.1.2.3.1700000000000000000.4",
    "$JS.ACK.hub.ABCDEFGH.O.C.2.20.30.1700000000000000001.0",
    "$JS.ACK.hub.ABCDEFGH.O.C.2.20.30.1700000000000000001.0.extra.more",
    "$JS.ACK.O.C.1.2.3.9223372036854775807.4",
    "$JS.ACK.O.C.1.2.3.9223372036854775808.4",
    "$JS.ACK.O.C.1.2.3.17000000000000000000.4",
    "$JS.ACK.O.C.1.2.x.1.4",
    "$JS.ACK.O.C.1..3.1.4",
    "$JS.ACK.O.C.1.2.3.1",
    "$JS.ACK.a.b.O.C.1.2.3.1.4",
    "$JS.ACK.O.C.12345678901234567.2.3.1.4",
    "$JS.FC.O.C.abcd",
    "",
  ];
  for (const s of subjects) expect(parseDeliveryReply(s)).toEqual(parseAckReply(s));
  expect(parseDeliveryReply(subjects[1])).toEqual({ delivered: 2, streamSeq: 20,
    consumerSeq: 30, tsNs: 1_700_000_000_000_000_001n, pending: 0 });
});
