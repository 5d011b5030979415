import { describe, expect, test } from "bun:test";
import { BackupStamps, backupStamp, backupsOf, backupsToPurge, isBackupStamp } from "./rotation.ts";

describe("backup names (Go's <file>.YYYY.MM.DD.HH.MM.SS.NNNNNNNNN)", () => {
  test("local time with nanoseconds", () => {
    const date = new Date(2024, 0, 2, 3, 4, 5);
    expect(backupStamp(date, 123_456_789)).toBe("2024.01.02.03.04.05.123456789");
    expect(backupStamp(date, 7)).toBe("2024.01.02.03.04.05.000000007");
  });

  test("stamps within one millisecond stay distinct and ordered", () => {
    const stamps = new BackupStamps();
    const at = new Date(2024, 5, 6, 7, 8, 9).getTime() + 999;
    const a = stamps.next(at);
    const b = stamps.next(at);
    const c = stamps.next(at - 5); // a clock step backwards
    expect(a).toBe("2024.06.06.07.08.09.999000000");
    expect(b).toBe("2024.06.06.07.08.09.999000001");
    expect(c > b).toBe(true);
  });

  test("a suffix is a backup when Go's time.Parse accepts it", () => {
    expect(isBackupStamp("2024.01.02.03.04.05.123456789")).toBe(true);
    expect(isBackupStamp("2024.01.02.03.04.05")).toBe(true);
    expect(isBackupStamp("2024.01.02.03.04.05.1")).toBe(true);
    expect(isBackupStamp("2024.02.30.03.04.05.1")).toBe(false); // no Feb 30
    expect(isBackupStamp("2024.02.29.03.04.05.1")).toBe(true);
    expect(isBackupStamp("2024.13.02.03.04.05.1")).toBe(false);
    expect(isBackupStamp("2024.01.02.24.04.05.1")).toBe(false);
    expect(isBackupStamp("old")).toBe(false);
    expect(isBackupStamp("2024.01.02.03.04.05.x")).toBe(false);
  });
});

describe("purging (logfile_max_num)", () => {
  const names = [
    "nats.log", "nats.log.2024.01.02.03.04.07.000000000", "nats.log.2024.01.02.03.04.05.000000000",
    "nats.log.2024.01.02.03.04.06.000000000", "nats.log.old", "other.log.2024.01.02.03.04.05.0",
    "nats.logx.2024.01.02.03.04.05.0",
  ];

  test("backups of the file only, oldest first", () => {
    expect(backupsOf("nats.log", names)).toEqual([
      "nats.log.2024.01.02.03.04.05.000000000", "nats.log.2024.01.02.03.04.06.000000000",
      "nats.log.2024.01.02.03.04.07.000000000",
    ]);
  });

  test("max_num N keeps N-1 backups beside the active file", () => {
    expect(backupsToPurge("nats.log", names, 2)).toEqual([
      "nats.log.2024.01.02.03.04.05.000000000", "nats.log.2024.01.02.03.04.06.000000000",
    ]);
    expect(backupsToPurge("nats.log", names, 3))
      .toEqual(["nats.log.2024.01.02.03.04.05.000000000"]);
    expect(backupsToPurge("nats.log", names, 4)).toEqual([]);
    expect(backupsToPurge("nats.log", names, 1)).toHaveLength(3);
    expect(backupsToPurge("nats.log", names, 0)).toEqual([]);
  });
});
