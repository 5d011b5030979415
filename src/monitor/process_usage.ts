/**
 * Process CPU and memory for /varz: `cpu` is the percentage of one core used over the last
 * sampling window (at least one second, like nats-server's once-a-second sampler, with one
 * decimal), and `mem` is the resident set size in bytes.
 * @module
 */

/**
 * The Bun process's memory under the nearest names of Go's runtime.MemStats, for /debug/vars
 * and `$SYS.REQ.SERVER.*.EXPVARZ` (`External` has no Go counterpart: buffers outside the heap).
 */
export function goMemstats(): Record<string, number> {
  const memory = process.memoryUsage();
  return {
    Alloc: memory.heapUsed,
    Sys: memory.rss,
    HeapAlloc: memory.heapUsed,
    HeapSys: memory.heapTotal,
    HeapInuse: memory.heapUsed,
    External: memory.external,
  };
}

/** The shortest window a new CPU percentage is computed over. */
export const CPU_SAMPLE_WINDOW_MS = 1000;

export interface UsageReader {
  /** User + system CPU time of the process so far, in microseconds. */
  cpuMicros(): number;
  /** Monotonic wall time in milliseconds. */
  wallMs(): number;
  rssBytes(): number;
}

export const processReader: UsageReader = {
  cpuMicros: () => {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  },
  wallMs: () => performance.now(),
  rssBytes: () => process.memoryUsage().rss,
};

export class ProcessUsage {
  #lastCpuMicros = 0;
  /** The first window starts at process start (monotonic 0), as nats-server's does. */
  #lastWallMs = 0;
  #percent = 0;

  constructor(readonly reader: UsageReader = processReader) {}

  /** The CPU percentage of the latest complete window. */
  cpuPercent(): number {
    const wall = this.reader.wallMs();
    const elapsedMs = wall - this.#lastWallMs;
    if (elapsedMs >= CPU_SAMPLE_WINDOW_MS) {
      const cpu = this.reader.cpuMicros();
      const perMille = Math.floor(((cpu - this.#lastCpuMicros) * 1000) / (elapsedMs * 1000));
      this.#percent = perMille / 10;
      this.#lastCpuMicros = cpu;
      this.#lastWallMs = wall;
    }
    return this.#percent;
  }

  rssBytes(): number {
    return this.reader.rssBytes();
  }
}
