/**
 * Bounded fuzzing of what clients send a consumer: ack reply subjects, ack bodies and pull
 * request bodies, random and mutated from valid ones. The parsers must never throw and must
 * return only well-formed values; the state machine fed the same inputs must keep its
 * invariants. FUZZ_SEED replays a run.
 */
import { describe, expect, test } from "bun:test";
import { SeededRandom } from "../../../util/random.ts";
import { parseAckBody } from "./ack_body.ts";
import { parseAckReply } from "./ack_subject.ts";
import { bytes, Harness, msgs, pullConfig } from "./_test_harness.ts";
import { parsePullRequest } from "./pull_request.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 8);
const ROUNDS = 20_000;

const SUBJECTS = [
  "$JS.ACK.S.C.1.2.3.1700000000000000000.4",
  "$JS.ACK._.ABCDEFGH.S.C.1.2.3.4.5",
  "$JS.ACK.d.ABCDEFGH.S.C.9.8.7.6.5.more",
];
const BODIES = [
  "", "+ACK", "+OK", "-NAK", "-NAK 1s", '-NAK {"delay":1000}', "+WPI", "+NXT", '+NXT {"batch":2}',
  "+TERM", "+TERM why",
];
const PULLS = [
  "", "5", '{"batch":3,"expires":1000000000}', '{"batch":1,"no_wait":true}',
  '{"batch":2,"max_bytes":100,"idle_heartbeat":10,"expires":100}',
  '{"group":"g","min_pending":1,"id":"x","priority":2}',
];
const ALPHABET = '$JSACK._0123456789{}":,+-NAKTERMWPIXbatchexpires \r\n\u00ff';

function mutate(random: SeededRandom, base: string): string {
  const kind = random.int(4);
  if (kind === 0) {
    return Array.from({ length: random.int(40) }, () => random.pick([...ALPHABET])).join("");
  }
  const chars = [...base];
  for (let i = 0; i < 1 + random.int(4); i++) {
    const at = random.int(chars.length + 1);
    if (kind === 1) chars[at] = random.pick([...ALPHABET]);
    else if (kind === 2) chars.splice(at, 1);
    else chars.splice(at, 0, random.pick([...ALPHABET]));
  }
  return chars.join("");
}

describe("wire fuzz", () => {
  test(`parsers never throw and return well-formed values (seed ${SEED})`, () => {
    const random = new SeededRandom(SEED);
    for (let round = 0; round < ROUNDS; round++) {
      const subject = mutate(random, random.pick(SUBJECTS));
      const info = parseAckReply(subject);
      if (info !== null) {
        for (const n of [info.delivered, info.streamSeq, info.consumerSeq, info.pending]) {
          expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
        }
        expect(info.tsNs >= 0n).toBe(true);
      }
      const verb = parseAckBody(bytes(mutate(random, random.pick(BODIES))));
      expect(["ack", "nak", "progress", "next", "term", "unknown"]).toContain(verb.kind);
      const pull = parsePullRequest(bytes(mutate(random, random.pick(PULLS))));
      if (pull.ok) {
        expect(Number.isSafeInteger(pull.request.batch)).toBe(true);
        expect(typeof pull.request.expiresNs).toBe("bigint");
      } else {
        expect(pull.error.length).toBeGreaterThan(0);
      }
    }
  });

  test(`the state machine survives fuzzed acks and pull requests (seed ${SEED})`, () => {
    const random = new SeededRandom(SEED + 1);
    const h = new Harness({ config: pullConfig({ ackWaitNs: 1_000_000_000n, maxAckPending: 5 }) });
    for (let round = 0; round < 2_000; round++) {
      if (random.int(3) === 0) h.publish(`s.${random.int(3)}`);
      const delivered = msgs(h.log);
      const base = delivered.length > 0 ? random.pick(delivered).reply : random.pick(SUBJECTS);
      const subject = random.int(2) === 0 ? base : mutate(random, base);
      h.core.ack(subject, `r.${random.int(5)}`, bytes(mutate(random, random.pick(BODIES))), h.now);
      h.interest.add(`p.${round % 7}`);
      h.core.pullRequest(`p.${round % 7}`, bytes(mutate(random, random.pick(PULLS))), h.now);
      h.run();
      h.advance(BigInt(random.int(300)) * 1_000_000n);
      const info = h.core.info(h.now);
      expect(info.numAckPending).toBeLessThanOrEqual(5);
      expect(info.ackFloor.streamSeq).toBeLessThanOrEqual(info.delivered.streamSeq);
    }
  });
});
