/**
 * Benchmarks of the subject index (mitata): match on a cache hit and a cache miss, and insert +
 * remove churn, on 10k and 1M subscriptions, literal-heavy and wildcard-heavy, native and ts.
 * Also prints the time to build each index and the resident memory it added.
 *   npm run bench:sublist            (all sizes)
 *   bun bench/sublist_bench.ts 10000 (only the given sizes)
 * One configuration is built, measured and dropped at a time to bound memory.
 * @module
 */
import { bench, do_not_optimize, group, run } from "mitata";
import { SeededRandom } from "../src/util/random.ts";
import { Sublist, type SubjectSubscription } from "../src/subjects/sublist.ts";

class BenchSub implements SubjectSubscription {
  constructor(readonly subject: string, readonly queue: string | null = null) {}
}

type Shape = "literal-heavy" | "wildcard-heavy";

/** Distinct subjects cycled through to defeat the 1024-entry cache. */
const MISS_SUBJECTS = 100_000;
/** Hot subjects cycled through on the cache-hit benchmark (well under the cache cap). */
const HIT_SUBJECTS = 256;

/**
 * Four-token subjects a<0..99>.b<0..99>.c<0..99>.d<i>. Literal-heavy: 2% of the subscriptions
 * have a wildcard; wildcard-heavy: 50%, split between `a.*.c.d`, `a.b.*.d` and `a.b.>`.
 */
function subscriptionSubject(i: number, shape: Shape, random: SeededRandom): string {
  const a = `a${i % 100}`;
  const b = `b${Math.floor(i / 100) % 100}`;
  const c = `c${Math.floor(i / 10_000) % 100}`;
  const d = `d${i}`;
  const wildcardPercent = shape === "literal-heavy" ? 2 : 50;
  if (random.int(100) >= wildcardPercent) return `${a}.${b}.${c}.${d}`;
  switch (random.int(3)) {
    case 0: return `${a}.*.${c}.${d}`;
    case 1: return `${a}.${b}.*.${d}`;
    default: return `${a}.${b}.>`;
  }
}

function publishedSubject(i: number): string {
  return `a${i % 100}.b${Math.floor(i / 100) % 100}.c${Math.floor(i / 10_000) % 100}.d${i}`;
}

function build(impl: "native" | "ts", size: number, shape: Shape) {
  const random = new SeededRandom(size ^ (shape === "literal-heavy" ? 1 : 2));
  Bun.gc(true);
  const rssBefore = process.memoryUsage().rss;
  const sublist = new Sublist<BenchSub>({ impl });
  const started = performance.now();
  for (let i = 0; i < size; i++) {
    const queue = i % 10 === 0 ? `q${i % 7}` : null;
    sublist.insert(new BenchSub(subscriptionSubject(i, shape, random), queue));
  }
  const insertNs = ((performance.now() - started) * 1e6) / size;
  Bun.gc(true);
  const rssMiB = (process.memoryUsage().rss - rssBefore) / (1 << 20);
  console.log(`${impl} ${shape} ${size}: build ${insertNs.toFixed(0)} ns/insert, ` +
    `+${rssMiB.toFixed(0)} MiB RSS (${((rssMiB * (1 << 20)) / size).toFixed(0)} B/sub)`);
  return sublist;
}

async function measure(impl: "native" | "ts", size: number, shape: Shape): Promise<void> {
  const sublist = build(impl, size, shape);
  const random = new SeededRandom(7);
  const hits = Array.from({ length: HIT_SUBJECTS }, () => publishedSubject(random.int(size)));
  const misses = Array.from({ length: MISS_SUBJECTS }, () => publishedSubject(random.int(size)));
  for (const subject of hits) sublist.match(subject);
  let hitIndex = 0;
  let missIndex = 0;
  let churn = 0;
  group(`${impl} ${shape} ${size} subs`, () => {
    bench("match, cache hit", () => {
      do_not_optimize(sublist.match(hits[hitIndex++ % HIT_SUBJECTS]));
    });
    bench("match, cache miss", () => {
      do_not_optimize(sublist.match(misses[missIndex++ % MISS_SUBJECTS]));
    });
    bench("insert + remove literal sub", () => {
      const sub = new BenchSub(`churn.${churn++ % 1000}.x`);
      sublist.insert(sub);
      sublist.remove(sub);
    });
    bench("insert + remove wildcard sub (scans the cache)", () => {
      const sub = new BenchSub(`a${churn++ % 100}.*.c1.>`);
      sublist.insert(sub);
      sublist.remove(sub);
    });
  });
  await run({ format: "mitata", colors: false });
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
for (const size of sizes.length > 0 ? sizes : [10_000, 1_000_000]) {
  for (const shape of ["literal-heavy", "wildcard-heavy"] as const) {
    for (const impl of ["native", "ts"] as const) await measure(impl, size, shape);
  }
}
