/**
 * Typed errors for configuration problems. Every error carries where it happened (file, line,
 * column; line 0 when the problem concerns a whole file) and what was expected.
 * @module
 */

/** A place in a config file. Lines and columns start at 1. */
export interface Position {
  file: string;
  line: number;
  column: number;
}

export const NO_POSITION: Position = Object.freeze({ file: "", line: 0, column: 0 });

export function formatPosition(pos: Position): string {
  const file = pos.file === "" ? "<config>" : pos.file;
  return pos.line > 0 ? `${file}:${pos.line}:${pos.column}` : file;
}

/** One configuration problem, with its position. */
export class ConfigError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The problem without its position, e.g. `expected an integer, got string "abc"`. */
  readonly reason: string;

  constructor(pos: Position, reason: string) {
    // A problem with no place (e.g. between command-line flags) is just its reason.
    super(pos.file === "" && pos.line === 0 ? reason : `${formatPosition(pos)}: ${reason}`);
    this.name = "ConfigError";
    this.file = pos.file;
    this.line = pos.line;
    this.column = pos.column;
    this.reason = reason;
  }

  get position(): Position {
    return { file: this.file, line: this.line, column: this.column };
  }
}

/** All problems found in one config load; nats-server reports them together too. */
export class ConfigErrors extends Error {
  readonly errors: ConfigError[];

  constructor(errors: ConfigError[]) {
    super(errors.map((e) => e.message).join("\n"));
    this.name = "ConfigErrors";
    this.errors = errors;
  }
}

/** A problem that does not stop the server (it does stop `-t`, as in nats-server). */
export interface ConfigWarning {
  position: Position;
  reason: string;
  /** The config key the warning is about, when there is one. */
  key?: string;
}

export function formatWarning(w: ConfigWarning): string {
  return `${formatPosition(w.position)}: ${w.reason}`;
}
