/**
 * Why a log destination could not be set up, in nats-server's words ("error opening file:
 * open /x: no such file or directory", "error connecting to syslog: …"). nats-server exits
 * with these at start; natsd does too, and refuses a reload with them instead of exiting.
 * @module
 */

export class LogSetupError extends Error {
  override name = "LogSetupError";
}

/** Go's text for a failed open(2): `open <path>: <strerror>`. */
export function openErrorText(path: string, error: unknown): string {
  return `open ${path}: ${systemErrorText(error)}`;
}

/** The strerror part of a Node/Bun system error ("ENOENT: no such file or directory, open …"). */
export function systemErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /^E[A-Z0-9]+: ([^,]+)/.exec(message);
  return match ? match[1] : message;
}
