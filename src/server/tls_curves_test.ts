import { expect, test } from "bun:test";
import { checkCurvePreferences, CurvePreferenceError, ecdhCurveList } from "./tls_curves.ts";

test("Go curve names map to BoringSSL groups in order, duplicates once", () => {
  expect(ecdhCurveList(["CurveP521", "X25519", "CurveP256", "CurveP384", "X25519"]))
    .toBe("P-521:X25519:P-256:P-384");
  expect(ecdhCurveList(["X25519MLKEM768", "SecP256r1MLKEM768"])).toBe("X25519MLKEM768");
  expect(ecdhCurveList([])).toBe("");
});

test("Go's names are accepted; those BoringSSL lacks are returned; others refused", () => {
  expect(checkCurvePreferences(["CurveP256", "SecP384r1MLKEM1024"]))
    .toEqual(["SecP384r1MLKEM1024"]);
  expect(() => checkCurvePreferences(["P-256"])).toThrow(CurvePreferenceError);
  expect(() => checkCurvePreferences(["P-256"])).toThrow("unrecognized curve preference P-256");
  expect(() => checkCurvePreferences([])).toThrow("'curve_preferences' cannot be empty");
});
