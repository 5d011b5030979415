/**
 * Log file rotation names and purging, as nats-server's logger/log.go does them:
 * a full file is renamed to `<file>.YYYY.MM.DD.HH.MM.SS.NNNNNNNNN` (local time, nanoseconds),
 * and with `logfile_max_num` N the oldest backups are removed so that N-1 remain beside the
 * active file. Backups are recognised by that suffix being a valid time; they sort oldest
 * first by name. Pure: names in, names out.
 * @module
 */
import { dateFields, pad2 } from "./line_format.ts";

const NANOS_PER_SECOND = 1_000_000_000;

/** `YYYY.MM.DD.HH.MM.SS.NNNNNNNNN` for a local wall-clock time. */
export function backupStamp(date: Date, nanosInSecond: number): string {
  const f = dateFields(date, false);
  const nanos = Math.min(Math.max(Math.floor(nanosInSecond), 0), NANOS_PER_SECOND - 1);
  return `${f.year}.${pad2(f.month)}.${pad2(f.day)}.${pad2(f.hour)}.${pad2(f.minute)}.` +
    `${pad2(f.second)}.${String(nanos).padStart(9, "0")}`;
}

/**
 * Backup stamps that never repeat or go backwards within one process: the clock gives
 * milliseconds, and two rotations in one millisecond must still get distinct, ordered names.
 */
export class BackupStamps {
  #last = "";

  next(nowMs: number): string {
    const second = Math.floor(nowMs / 1000);
    const nanos = Math.floor((nowMs - second * 1000) * 1_000_000);
    let stamp = backupStamp(new Date(second * 1000), nanos);
    if (stamp <= this.#last) stamp = bumpNanos(this.#last);
    this.#last = stamp;
    return stamp;
  }
}

function bumpNanos(stamp: string): string {
  const head = stamp.slice(0, -9);
  const nanos = Number(stamp.slice(-9)) + 1;
  return `${head}${String(Math.min(nanos, NANOS_PER_SECOND - 1)).padStart(9, "0")}`;
}

const STAMP = /^(\d{4})\.(\d{2})\.(\d{2})\.(\d{2})\.(\d{2})\.(\d{2})(?:\.\d+)?$/;

/** True for a suffix Go's time.Parse accepts as "2006.01.02.15.04.05[.fraction]". */
export function isBackupStamp(stamp: string): boolean {
  const m = STAMP.exec(stamp);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Entry names in the log directory that are backups of `base`, oldest first. */
export function backupsOf(base: string, names: readonly string[]): string[] {
  const prefix = `${base}.`;
  return names
    .filter((name) => name.startsWith(prefix) && isBackupStamp(name.slice(prefix.length)))
    .sort();
}

/** The backups to remove so that at most `maxFiles - 1` remain (0: keep all). */
export function backupsToPurge(base: string, names: readonly string[], maxFiles: number): string[] {
  if (maxFiles <= 0) return [];
  const backups = backupsOf(base, names);
  const keep = maxFiles - 1;
  return backups.length > keep ? backups.slice(0, backups.length - keep) : [];
}
