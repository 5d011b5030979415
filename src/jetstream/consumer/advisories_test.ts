import { describe, expect, test } from "bun:test";
import { goJson, type JsonValue } from "../api/go_json.ts";
import { actionAdvisory, type AdvisoryContext, eventAdvisory } from "./advisories.ts";

const ctx: AdvisoryContext = {
  stream: "S", consumer: "C", account: "ACC", domain: "", id: "ID1",
  timeNs: 1_700_000_000_123_000_000n,
};
const head = '{"type":"io.nats.jetstream.advisory.v1.';
const stamp = '"id":"ID1","timestamp":"2023-11-14T22:13:20.123Z"';
const json = (a: { body: Record<string, JsonValue> }) => goJson(a.body);

describe("consumer advisories", () => {
  test("created and deleted", () => {
    const created = actionAdvisory("create", ctx);
    expect(created.subject).toBe("$JS.EVENT.ADVISORY.CONSUMER.CREATED.S.C");
    expect(json(created)).toBe(`${head}consumer_action",${stamp},"stream":"S",` +
      '"consumer":"C","action":"create"}');
    const deleted = actionAdvisory("delete", { ...ctx, domain: "hub" });
    expect(deleted.subject).toBe("$JS.EVENT.ADVISORY.CONSUMER.DELETED.S.C");
    expect(json(deleted)).toBe(`${head}consumer_action",${stamp},"stream":"S",` +
      '"consumer":"C","action":"delete","domain":"hub"}');
  });

  test("every state machine event with Go's subject and fields", () => {
    const cases: Array<[Parameters<typeof eventAdvisory>[0], string, string]> = [
      [{ type: "max_deliver", streamSeq: 4, deliveries: 3 },
        "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.S.C",
        `${head}max_deliver",${stamp},"stream":"S","consumer":"C","stream_seq":4,"deliveries":3}`],
      [{ type: "nak", streamSeq: 4, consumerSeq: 9, deliveries: 2 },
        "$JS.EVENT.ADVISORY.CONSUMER.MSG_NAKED.S.C",
        `${head}nak",${stamp},"stream":"S","consumer":"C","consumer_seq":9,"stream_seq":4,` +
        '"deliveries":2}'],
      [{ type: "terminated", streamSeq: 4, consumerSeq: 9, deliveries: 1, reason: "bad" },
        "$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.S.C",
        `${head}terminated",${stamp},"stream":"S","consumer":"C","consumer_seq":9,` +
        '"stream_seq":4,"deliveries":1,"reason":"bad"}'],
      [{ type: "ack_metric", streamSeq: 4, consumerSeq: 9, deliveries: 1, delayNs: 1500n },
        "$JS.EVENT.METRIC.CONSUMER.ACK.S.C",
        '{"type":"io.nats.jetstream.metric.v1.consumer_ack",' + stamp + ',"stream":"S",' +
        '"consumer":"C","consumer_seq":9,"stream_seq":4,"ack_time":1500,"deliveries":1}'],
      [{ type: "pinned", group: "g", pinId: "P1" }, "$JS.EVENT.ADVISORY.CONSUMER.PINNED.S.C",
        `${head}consumer_group_pinned",${stamp},"account":"ACC","stream":"S","consumer":"C",` +
        '"group":"g","pinned_id":"P1"}'],
      [{ type: "unpinned", group: "g", reason: "admin" },
        "$JS.EVENT.ADVISORY.CONSUMER.UNPINNED.S.C",
        `${head}consumer_group_unpinned",${stamp},"account":"ACC","stream":"S",` +
        '"consumer":"C","group":"g","reason":"admin"}'],
      [{ type: "paused", paused: false, pauseUntilNs: null },
        "$JS.EVENT.ADVISORY.CONSUMER.PAUSE.S.C",
        `${head}consumer_pause",${stamp},"stream":"S","consumer":"C","paused":false,` +
        '"pause_until":"0001-01-01T00:00:00Z"}'],
    ];
    for (const [event, subject, body] of cases) {
      const advisory = eventAdvisory(event, ctx);
      expect([advisory.subject, json(advisory)]).toEqual([subject, body]);
    }
  });
});
