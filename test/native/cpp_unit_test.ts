// Builds the C++ unit tests of the native core (every native/test/*_test.cc, one executable
// each) in their own build directory, then runs each executable and expects exit code 0.
import { expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..", "..");
const nativeDir = join(root, "native");
const buildDir = join(nativeDir, "build-tests");
const testNames = readdirSync(join(nativeDir, "test"))
  .filter((name) => name.endsWith("_test.cc"))
  .map((name) => name.slice(0, -".cc".length))
  .sort();

/** The configure + build step, on 2 cores: it includes compiling the whole native core. */
const BUILD_TIMEOUT_MS = 600_000;
/** Each executable; the unit tests are meant to take seconds. */
const RUN_TIMEOUT_MS = 120_000;

function run(command: string[], timeout: number): { ok: boolean; output: string } {
  const result = Bun.spawnSync(command, { cwd: root, timeout, stdout: "pipe", stderr: "pipe" });
  const output = `$ ${command.join(" ")}\n${result.stdout.toString()}${result.stderr.toString()}`;
  return { ok: result.exitCode === 0, output };
}

let built: { ok: boolean; output: string } | null = null;

test("native unit tests configure and build", () => {
  const configure = run(
    ["cmake", "-S", nativeDir, "-B", buildDir, "-DNATSD_BUILD_TESTS=ON"], BUILD_TIMEOUT_MS,
  );
  built = configure.ok
    ? run(["cmake", "--build", buildDir, "--parallel", "2"], BUILD_TIMEOUT_MS)
    : configure;
  if (!built.ok) console.error(built.output);
  expect(built.ok).toBe(true);
}, BUILD_TIMEOUT_MS * 2);

test("there is at least the subject trie's test", () => {
  expect(testNames).toContain("subjects_test");
});

for (const name of testNames) {
  test(`native ${name} passes`, () => {
    expect(built?.ok).toBe(true);
    const executable = join(buildDir, name);
    expect(existsSync(executable)).toBe(true);
    const result = run([executable], RUN_TIMEOUT_MS);
    if (!result.ok) console.error(result.output);
    expect(result.ok).toBe(true);
  }, RUN_TIMEOUT_MS);
}
