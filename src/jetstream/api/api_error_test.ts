import { describe, expect, test } from "bun:test";
import { ApiError, apiError, apiErrorUnless } from "./api_error.ts";
import {
  API_ERRORS_BY_CODE, JSStreamCreateErrF, JSStreamNotFoundErr, JSStreamWrongLastSequenceErrF,
} from "./errors_generated.ts";
import { goJson } from "./go_json.ts";

describe("apiError", () => {
  test("fills placeholders and serialises as Go's ApiError", () => {
    const e = apiError(JSStreamWrongLastSequenceErrF, { seq: 4 });
    expect(goJson({ error: e })).toBe(
      '{"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 4"}}');
    expect(e.is(JSStreamWrongLastSequenceErrF)).toBe(true);
  });

  test("Unless: an ApiError passes through, other errors fill {err}", () => {
    const notFound = apiError(JSStreamNotFoundErr);
    expect(apiErrorUnless(JSStreamCreateErrF, notFound)).toBe(notFound);
    expect(apiErrorUnless(JSStreamCreateErrF, new Error("disk full")).description)
      .toBe("disk full");
    expect(apiErrorUnless(JSStreamCreateErrF, new Error("x"))).toBeInstanceOf(ApiError);
  });

  test("the generated table holds every entry of errors.json", () => {
    expect(API_ERRORS_BY_CODE.size).toBe(226);
    expect(API_ERRORS_BY_CODE.get(10059)).toBe(JSStreamNotFoundErr);
  });
});
