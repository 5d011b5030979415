import { expect, test } from "bun:test";
import { goJson } from "../../api/go_json.ts";
import { sourceInfoJson } from "./info.ts";

test("StreamSourceInfo in Go's field order, -1 before the first message", () => {
  expect(goJson(sourceInfoJson({ origin: { name: "O" }, lag: 0, lastActiveNs: 0n, nowNs: 5n,
    error: null }))).toBe('{"name":"O","lag":0,"active":-1}');
  expect(goJson(sourceInfoJson({
    origin: { name: "O", filter_subject: "a", external: { api: "JS.A.API" },
      subject_transforms: [{ src: "a", dest: "b" }] },
    lag: 3, lastActiveNs: 2n, nowNs: 7n,
    error: { code: 404, err_code: 10059, description: "stream not found" },
  }))).toBe('{"name":"O","external":{"api":"JS.A.API","deliver":""},"lag":3,"active":5,' +
    '"error":{"code":404,"err_code":10059,"description":"stream not found"},' +
    '"filter_subject":"a","subject_transforms":[{"src":"a","dest":"b"}]}');
});
