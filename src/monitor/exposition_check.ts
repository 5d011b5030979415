/**
 * A strict reader of the Prometheus text format (0.0.4), used by tests to prove that /metrics
 * parses: every sample belongs to a family announced by HELP and TYPE, names and labels are
 * well formed, label values are properly escaped, values are numbers, no family repeats.
 * @module
 */

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  help: string;
  type: string;
  samples: ParsedSample[];
}

export class ExpositionSyntaxError extends Error {
  override name = "ExpositionSyntaxError";
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const SAMPLE = new RegExp(`^(${NAME})(\\{(.*)\\})? (\\S+)$`);
const TYPES = new Set(["counter", "gauge", "untyped", "summary", "histogram"]);

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const match = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"(,|$)/.exec(rest);
    if (!match) throw new ExpositionSyntaxError(`bad labels in: ${line}`);
    if (match[1] in labels) throw new ExpositionSyntaxError(`duplicate label in: ${line}`);
    labels[match[1]] = match[2].replace(/\\(["\\n])/g, (_, c) => (c === "n" ? "\n" : c));
    rest = rest.slice(match[0].length);
  }
  return labels;
}

function parseValue(text: string, line: string): number {
  if (text === "NaN") return NaN;
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    throw new ExpositionSyntaxError(`bad value in: ${line}`);
  }
  return Number(text);
}

export function parseExposition(text: string): Map<string, ParsedFamily> {
  if (text !== "" && !text.endsWith("\n")) throw new ExpositionSyntaxError("no final newline");
  const families = new Map<string, ParsedFamily>();
  let current: string | null = null;
  for (const line of text.split("\n").slice(0, -1)) {
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta;
      if (!new RegExp(`^${NAME}$`).test(name)) throw new ExpositionSyntaxError(line);
      let family = families.get(name);
      if (family && current !== name) throw new ExpositionSyntaxError(`family ${name} repeats`);
      if (!family) families.set(name, (family = { help: "", type: "", samples: [] }));
      current = name;
      if (kind === "HELP") family.help = rest;
      else if (TYPES.has(rest)) family.type = rest;
      else throw new ExpositionSyntaxError(`bad type in: ${line}`);
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (!sample) throw new ExpositionSyntaxError(`bad line: ${line}`);
    const family = families.get(sample[1]);
    if (!family || current !== sample[1] || !family.type || !family.help) {
      throw new ExpositionSyntaxError(`sample outside its HELP/TYPE block: ${line}`);
    }
    family.samples.push({
      name: sample[1], labels: parseLabels(sample[3] ?? "", line),
      value: parseValue(sample[4], line),
    });
  }
  return families;
}
