/**
 * A writer for the Prometheus text exposition format (version 0.0.4): one `# HELP` and one
 * `# TYPE` line per metric family, then its samples, label values escaped.
 * @module
 */

export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export type MetricType = "counter" | "gauge" | "untyped";
export type Labels = Readonly<Record<string, string>>;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export class MetricNameError extends Error {
  override name = "MetricNameError";
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function formatLabels(labels: Labels): string {
  const names = Object.keys(labels);
  if (names.length === 0) return "";
  for (const name of names) {
    if (!LABEL_NAME.test(name)) throw new MetricNameError(`invalid label name ${name}`);
  }
  return `{${names.map((name) => `${name}="${escapeLabel(labels[name])}"`).join(",")}}`;
}

interface Family {
  type: MetricType;
  help: string;
  samples: string[];
}

export class Exposition {
  readonly #families = new Map<string, Family>();

  /** Adds one sample; the first call for a name fixes its type and help text. */
  add(name: string, type: MetricType, help: string, labels: Labels, value: number): void {
    if (!METRIC_NAME.test(name)) throw new MetricNameError(`invalid metric name ${name}`);
    let family = this.#families.get(name);
    if (!family) {
      family = { type, help, samples: [] };
      this.#families.set(name, family);
    }
    family.samples.push(`${name}${formatLabels(labels)} ${formatValue(value)}`);
  }

  text(): string {
    const lines: string[] = [];
    for (const [name, family] of this.#families) {
      lines.push(`# HELP ${name} ${escapeHelp(family.help)}`);
      lines.push(`# TYPE ${name} ${family.type}`);
      lines.push(...family.samples);
    }
    return lines.length > 0 ? `${lines.join("\n")}\n` : "";
  }
}
