import { describe, expect, test } from "bun:test";
import {
  array, bool, decodeRequest, duration, goEnum, int, map, object, str, time,
} from "./json_decode.ts";

const placement = object("Placement", { cluster: str, tags: array(str) });
const request = object("StreamConfigRequest", {
  name: str,
  subjects: array(str),
  max_age: duration,
  max_msg_size: int("int32"),
  max_msgs: int("int64"),
  first_seq: int("uint64"),
  sealed: bool,
  retention: goEnum("server.RetentionPolicy", { limits: "limits", interest: "interest" }),
  discard: goEnum("server.DiscardPolicy", { old: "old", new: "new" }, true),
  placement,
  metadata: map(str),
  opt_start_time: time,
});

const error = (text: string) => {
  const r = decodeRequest(text, request);
  return r.ok ? "ok" : r.error;
};

describe("decodeRequest", () => {
  test("decodes fields, keeps durations exact and matches keys case-insensitively", () => {
    const r = decodeRequest<Record<string, unknown>>(
      '{"NAME":"S","subjects":["a.>"],"max_age":31536000000000000,"retention":"interest",' +
      '"discard":"NEW","metadata":{"k":"v"},"opt_start_time":"2024-01-02T03:04:05.5Z"}', request);
    expect(r).toEqual({ ok: true, value: {
      name: "S", subjects: ["a.>"], max_age: 31536000000000000n, retention: "interest",
      discard: "new", metadata: { k: "v" }, opt_start_time: 1704164645500000000n,
    } });
  });

  test("an empty body is an empty request; null leaves a field unset", () => {
    expect(decodeRequest("", request)).toEqual({ ok: true, value: {} });
    expect(decodeRequest('{"name":null}', request)).toEqual({ ok: true, value: {} });
  });

  test("concatenated values decode into the same result, as Go's Decoder loop does", () => {
    expect(decodeRequest('{"name":"a","sealed":true} {"name":"b"}', request))
      .toEqual({ ok: true, value: { name: "b", sealed: true } });
  });

  test("unknown fields are refused", () => {
    expect(error('{"name":"S","bogus":1}')).toBe('json: unknown field "bogus"');
    expect(error('{"placement":{"zone":"x"}}')).toBe('json: unknown field "zone"');
  });

  test("type errors name the Go struct, the field path and the Go type", () => {
    expect(error('{"max_age":"1s"}')).toBe("json: cannot unmarshal string into Go struct " +
      "field StreamConfigRequest.max_age of type time.Duration");
    expect(error('{"subjects":[1]}')).toBe("json: cannot unmarshal number into Go struct " +
      "field StreamConfigRequest.subjects of type string");
    expect(error('{"subjects":"a"}')).toBe("json: cannot unmarshal string into Go struct " +
      "field StreamConfigRequest.subjects of type []string");
    expect(error('{"placement":{"cluster":5}}')).toBe("json: cannot unmarshal number into Go " +
      "struct field Placement.placement.cluster of type string");
    expect(error('{"max_msg_size":3000000000}')).toBe("json: cannot unmarshal number " +
      "3000000000 into Go struct field StreamConfigRequest.max_msg_size of type int32");
    expect(error('{"first_seq":-1}')).toBe("json: cannot unmarshal number -1 into Go struct " +
      "field StreamConfigRequest.first_seq of type uint64");
    expect(error('{"max_msgs":1.5}')).toBe("json: cannot unmarshal number 1.5 into Go struct " +
      "field StreamConfigRequest.max_msgs of type int64");
    expect(error("[1]")).toBe("json: cannot unmarshal array into Go value of type " +
      "server.StreamConfigRequest");
  });

  test("custom unmarshalers quote the raw value", () => {
    expect(error('{"retention":"foo"}')).toBe('can not unmarshal "\\"foo\\""');
    expect(error('{"retention":5}')).toBe('can not unmarshal "5"');
  });

  test("the first error wins", () => {
    expect(error('{"bogus":1,"max_age":"x"}')).toBe('json: unknown field "bogus"');
  });

  test("syntax errors carry Go's scanner text and the offset", () => {
    expect(error("{nope")).toBe(
      "invalid character 'n' looking for beginning of object key string at offset 2");
    expect(error('{"a" 1}')).toBe("invalid character '1' after object key at offset 6");
    expect(error('{"a":1 "b"}')).toBe(
      "invalid character '\"' after object key:value pair at offset 8");
    expect(error("[1 2]")).toBe("invalid character '2' after array element at offset 4");
    expect(error('{"name":tru}')).toBe(
      "invalid character '}' in literal true (expecting 'e') at offset 12");
    expect(error('{"name":"S"} x')).toBe(
      "invalid character 'x' looking for beginning of value at offset 14");
    expect(error('{"name":')).toBe("unexpected EOF");
    expect(error('{"max_msgs":-}')).toBe(
      "invalid character '}' in numeric literal at offset 14");
  });
});
