/**
 * What the side-by-side client benchmarks share: the two servers they start, and the table of
 * medians they print (rates collected run by run, alternating the servers).
 * @module
 */
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..");

/** The servers compared, by label: the reference first. */
export const SERVERS: Record<string, string[]> = {
  "Go nats-server": ["nats-server"],
  natsd: [join(ROOT, "bin", "natsd")],
};
const REFERENCE = "Go nats-server";
const OURS = "natsd";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Rates per scenario and server, in the order scenarios were first measured. */
export class RateTable {
  readonly #rates = new Map<string, Map<string, number[]>>();

  add(scenario: string, server: string, rate: number): void {
    const perServer = this.#rates.get(scenario) ?? new Map<string, number[]>();
    perServer.set(server, [...(perServer.get(server) ?? []), rate]);
    this.#rates.set(scenario, perServer);
  }

  /** A Markdown table of medians and the ratio natsd / Go. */
  print(title: string, unit: string): void {
    console.log(`| ${title} | Go nats-server ${unit} | natsd ${unit} | natsd / Go |`);
    console.log("|---|---|---|---|");
    for (const [name, perServer] of this.#rates) {
      const go = median(perServer.get(REFERENCE) ?? [0]);
      const ours = median(perServer.get(OURS) ?? [0]);
      const ratio = (ours / go).toFixed(2);
      console.log(`| ${name} | ${Math.round(go)} | ${Math.round(ours)} | ${ratio} |`);
    }
  }
}
