import { describe, expect, test } from "bun:test";
import type { ApiError } from "../../api/api_error.ts";
import { checkStreamConfig, type CheckContext } from "../config_check.ts";
import type { StreamConfig, StreamConfigInput } from "../config.ts";

const streams = new Map<string, StreamConfig>();
const ctx: CheckContext = {
  duplicateWindowMaxNs: 0n,
  streamConfig: (name: string) => streams.get(name),
  maxBytesRequired: false,
  maxStreamBytes: () => -1,
} as unknown as CheckContext;

function check(input: StreamConfigInput): { err_code?: number; description?: string } {
  const r = checkStreamConfig(input, ctx, false);
  return "err_code" in r ? { err_code: (r as ApiError).err_code,
    description: (r as ApiError).description } : {};
}

function add(input: StreamConfigInput): void {
  const cfg = checkStreamConfig(input, ctx, false) as StreamConfig;
  streams.set(cfg.name, cfg);
}

describe("mirror and source rules (checkStreamCfg)", () => {
  test("durable sourcing consumers: valid name, literal deliver subject, no start/filter", () => {
    expect(check({ name: "M", mirror: { name: "O", consumer: { name: "a.b" } } }).err_code)
      .toBe(10213);
    expect(check({ name: "S", sources: [{ name: "O", consumer: { name: "C",
      deliver_subject: "d.*" } }] }).err_code).toBe(10215);
    expect(check({ name: "S", sources: [{ name: "O", opt_start_seq: 2,
      consumer: { name: "C", deliver_subject: "d" } }] }).err_code).toBe(10215);
    expect(check({ name: "S", sources: [
      { name: "O", filter_subject: "a", consumer: { name: "C", deliver_subject: "d" } },
    ] }).err_code).toBe(10215);
    expect(check({ name: "S", sources: [
      { name: "O", subject_transforms: [{ src: "a", dest: "x" }],
        consumer: { name: "C", deliver_subject: "d" } },
      { name: "O", subject_transforms: [{ src: "b", dest: "y" }],
        consumer: { name: "C", deliver_subject: "e" } },
    ] }).err_code).toBe(10216);
  });

  test("duplicate sources compare normalised index names", () => {
    expect(check({ name: "S", sources: [{ name: "O" }, { name: "O", filter_subject: ">" }] }))
      .toEqual({ err_code: 10140, description: "duplicate source configuration detected" });
  });

  test("external prefixes: valid, clear of $JS.API and of the origins' subjects", () => {
    expect(check({ name: "S", sources: [{ name: "O", external: { api: "$JS.API",
      deliver: "" } }] })).toEqual({ err_code: 10021,
      description: "stream external api prefix $JS.API must not overlap with $JS.API" });
    expect(check({ name: "S", sources: [{ name: "O", external: { api: "JS.*.API",
      deliver: "" } }] }).description).toBe('stream external api prefix "JS.*.API" must ' +
      "be a valid subject without wildcards");
    expect(check({ name: "S", sources: [{ name: "O", external: { api: "JS.A",
      deliver: "d.>" } }] })).toEqual({ err_code: 10024,
      description: "stream external delivery prefix d.> must not contain wildcards" });
    add({ name: "WIDE", subjects: [">"], no_ack: true });
    expect(check({ name: "S", sources: [{ name: "WIDE" },
      { name: "O", external: { api: "JS.A", deliver: "d" } }] })).toEqual({ err_code: 10022,
      description: "stream external delivery prefix d overlaps with stream subject >" });
    streams.clear();
  });

  test("cycles through sources with overlapping subjects, or through mirrors", () => {
    add({ name: "A", subjects: ["a.>"], sources: [{ name: "B" }] });
    add({ name: "C", mirror: { name: "B" } });
    expect(check({ name: "B", subjects: ["b.>"], sources: [{ name: "A" }] }))
      .toEqual({ err_code: 10052, description: "detected cycle" });
    expect(check({ name: "B", subjects: ["b.>"], sources: [{ name: "C" }] }))
      .toEqual({ err_code: 10052, description: "detected cycle" });
    // nats-server checks the filter of the source that closes the loop against its subjects.
    add({ name: "D", subjects: ["d.>"], sources: [{ name: "B", filter_subject: "z" }] });
    expect(check({ name: "B", subjects: ["b.>"], sources: [{ name: "D" }] })).toEqual({});
    streams.clear();
  });
});
