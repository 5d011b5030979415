import { describe, expect, test } from "bun:test";
import { ApiError } from "../api/api_error.ts";
import type { StreamConfig, StreamConfigInput } from "./config.ts";
import { type CheckContext, checkStreamConfig, goDuration } from "./config_check.ts";

const SECOND = 1_000_000_000n;

function ctx(over: Partial<CheckContext> = {}): CheckContext {
  return {
    duplicateWindowMaxNs: 0n,
    streamConfig: () => undefined,
    maxBytesRequired: false,
    maxStreamBytes: () => -1,
    ...over,
  };
}

function ok(input: StreamConfigInput, context = ctx(), pedantic = false): StreamConfig {
  const r = checkStreamConfig(input, context, pedantic);
  if (r instanceof ApiError) throw new Error(`unexpected ${r.description}`);
  return r;
}

function err(input: StreamConfigInput, context = ctx(), pedantic = false): [number, string] {
  const r = checkStreamConfig(input, context, pedantic);
  if (!(r instanceof ApiError)) throw new Error("expected an error");
  return [r.err_code, r.description];
}

describe("checkStreamConfig defaults", () => {
  test("fills nats-server's defaults", () => {
    const c = ok({ name: "S" });
    expect(c).toMatchObject({
      subjects: ["S"], retention: "limits", max_consumers: -1, max_msgs: -1, max_bytes: -1,
      max_age: 0n, max_msgs_per_subject: -1, max_msg_size: -1, discard: "old", storage: "file",
      num_replicas: 1, duplicate_window: 120n * SECOND, compression: "none",
    });
  });

  test("0 and values below -1 become -1; pedantic refuses values below -1", () => {
    expect(ok({ name: "S", max_msgs: -5, max_bytes: 0 }).max_msgs).toBe(-1);
    expect(err({ name: "S", max_msgs: -5 }, ctx(), true)).toEqual(
      [10157, "pedantic mode: max_msgs must be set to -1"]);
  });

  test("the duplicate window follows max_age and the server limit", () => {
    expect(ok({ name: "S", max_age: 30n * SECOND }).duplicate_window).toBe(30n * SECOND);
    expect(ok({ name: "S" }, ctx({ duplicateWindowMaxNs: 10n * SECOND })).duplicate_window)
      .toBe(10n * SECOND);
    expect(err({ name: "S", duplicate_window: 20n * SECOND },
      ctx({ duplicateWindowMaxNs: 10n * SECOND }))).toEqual(
      [10052, "duplicates window can not be larger then server limit of 10s"]);
    expect(err({ name: "S", max_age: 30n * SECOND }, ctx(), true)).toEqual(
      [10157, "pedantic mode: duplicate window cannot be bigger than max age"]);
  });

  test("republish with an empty source republishes everything", () => {
    expect(ok({ name: "S", subjects: ["a"], republish: { dest: "b.>" } }).republish)
      .toEqual({ src: ">", dest: "b.>" });
  });

  test("an empty placement is dropped", () => {
    expect(ok({ name: "S", placement: {} }).placement).toBeUndefined();
  });
});

describe("checkStreamConfig errors", () => {
  const cases: [string, StreamConfigInput, [number, string]][] = [
    ["no name", {}, [10052,
      "stream name is required and can not contain '.', '*', '>', '\\', '/'"]],
    ["a dot in the name", { name: "a.b" }, [10052,
      "stream name is required and can not contain '.', '*', '>', '\\', '/'"]],
    ["a long name", { name: "x".repeat(256) }, [10052,
      "stream name is too long, maximum allowed is 255"]],
    ["a long description", { name: "S", description: "d".repeat(4097) }, [10052,
      "stream description is too long, maximum allowed is 4096"]],
    ["too many replicas", { name: "S", num_replicas: 6 }, [10052, "maximum replicas is 5"]],
    ["negative replicas", { name: "S", num_replicas: -1 }, [10133,
      "replicas count cannot be negative"]],
    ["negative max_age", { name: "S", max_age: -1n }, [10052, "max age can not be negative"]],
    ["tiny max_age", { name: "S", max_age: 1000n }, [10052, "max age needs to be >= 100ms"]],
    ["window over max_age", { name: "S", max_age: SECOND, duplicate_window: 2n * SECOND },
      [10052, "duplicates window can not be larger then max age"]],
    ["tiny window", { name: "S", duplicate_window: 1000n }, [10052,
      "duplicates window needs to be >= 100ms"]],
    ["negative window", { name: "S", duplicate_window: -1n }, [10052,
      "duplicates window can not be negative"]],
    ["rollup without purge", { name: "S", deny_purge: true, allow_rollup_hdrs: true }, [10052,
      "roll-ups require the purge permission"]],
    ["discard new per subject without discard new", { name: "S",
      discard_new_per_subject: true }, [10052,
      "discard new per subject requires discard new policy to be set"]],
    ["discard new per subject without a limit", { name: "S", discard: "new",
      discard_new_per_subject: true }, [10052,
      "discard new per subject requires max msgs per subject > 0"]],
    ["a tiny marker TTL", { name: "S", subject_delete_marker_ttl: 1000n }, [10052,
      "subject delete marker TTL must be at least 1 second"]],
    ["async persist on memory", { name: "S", storage: "memory", persist_mode: "async" }, [10052,
      "async persist mode is only supported on file storage"]],
    ["an invalid subject", { name: "S", subjects: ["a..b"] }, [10052, "invalid subject"]],
    // Go checks the overlap with later subjects before a repeat can be seen as a duplicate.
    ["repeated subjects", { name: "S", subjects: ["a", "a"] }, [10052,
      'subject "a" overlaps with "a"']],
    ["overlapping subjects", { name: "S", subjects: ["a.*", "a.b"] }, [10052,
      'subject "a.*" overlaps with "a.b"']],
    ["capturing everything", { name: "S", subjects: [">"] }, [10052,
      "capturing all subjects requires no-ack to be true"]],
    ["the JetStream API", { name: "S", subjects: ["$JS.API.>"] }, [10052,
      "subjects that overlap with jetstream api require no-ack to be true"]],
    ["the system API", { name: "S", subjects: ["$SYS.REQ.>"] }, [10052,
      "subjects that overlap with system api require no-ack to be true"]],
    ["a bad transform source", { name: "S", subject_transform: { src: "a..b", dest: "c" } },
      [10155, "stream transform source: invalid subject a..b"]],
    ["a bad transform destination", { name: "S", subjects: ["a.*"],
      subject_transform: { src: "a.*", dest: "b.$2" } }, [10156,
      "stream transform: invalid mapping destination: wildcard index out of range in $2: [2]"]],
    ["a republish cycle", { name: "S", subjects: ["a.>"], republish: { src: ">", dest: "a.>" } },
      [10052, "stream configuration for republish destination forms a cycle"]],
    ["a bad republish", { name: "S", subjects: ["a.>"], republish: { src: "a.*", dest: "b.>" } },
      [10052, "stream configuration for republish with transform from 'a.*' to 'b.>' not valid"]],
    ["a preferred placement", { name: "S", placement: { preferred: "x" } }, [10052,
      "preferred server not permitted in placement"]],
    ["a mirror with subjects", { name: "S", subjects: ["a"], mirror: { name: "O" } }, [10034,
      "stream mirrors can not contain subjects"]],
    ["a mirror with first_seq", { name: "S", first_seq: 5, mirror: { name: "O" } }, [10143,
      "stream mirrors can not have first sequence configured"]],
    ["a bad source name", { name: "S", sources: [{ name: "a.b" }] }, [10141,
      "sourced stream name is invalid"]],
    ["a duplicate source", { name: "S", sources: [{ name: "A" }, { name: "A" }] }, [10140,
      "duplicate source configuration detected"]],
    ["counters with discard new", { name: "S", allow_msg_counter: true, discard: "new" }, [10052,
      "counter stream cannot use discard new"]],
  ];
  for (const [what, input, expected] of cases) {
    test(what, () => expect(err(input)).toEqual(expected));
  }

  test("accounts that require max_bytes or cap it", () => {
    expect(err({ name: "S" }, ctx({ maxBytesRequired: true }))).toEqual(
      [10113, "account requires a stream config to have max bytes set"]);
    expect(err({ name: "S", max_bytes: 100 }, ctx({ maxStreamBytes: () => 50 }))).toEqual(
      [10122, "stream max bytes exceeds account limit max stream bytes"]);
  });
});

describe("goDuration", () => {
  test("formats as Go's time.Duration String()", () => {
    expect(goDuration(0n)).toBe("0s");
    expect(goDuration(1_500_000n)).toBe("1.5ms");
    expect(goDuration(90n * SECOND)).toBe("1m30s");
    expect(goDuration(3600n * SECOND)).toBe("1h0m0s");
    expect(goDuration(2n * SECOND + 500_000_000n)).toBe("2.5s");
  });
});
