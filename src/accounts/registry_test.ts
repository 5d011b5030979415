import { describe, expect, test } from "bun:test";
import { Account } from "./account.ts";
import { AccountRegistry } from "./registry.ts";
import { type AccountConfig, emptyAccountConfig } from "./types.ts";

const deps = { nowMs: () => 0, warn: () => {} };

function configs(withImport: boolean): AccountConfig[] {
  return [
    { ...emptyAccountConfig("A"),
      streamExports: [{ subject: "s.>", accounts: null, accountTokenPosition: 0 }],
      limits: { maxConnections: 5, maxSubscriptions: -1, maxPayload: -1, maxLeafnodes: -1 } },
    { ...emptyAccountConfig("B"), streamImports: withImport
      ? [{ account: "A", subject: "s.>", prefix: "", to: "" }] : [] },
  ];
}

describe("AccountRegistry", () => {
  test("builds accounts with limits and wires imports as subscriptions", () => {
    const registry = new AccountRegistry(new Account("$G"), { accounts: configs(true),
      mappings: [{ source: "x", destinations: [{ subject: "y", weight: 100, cluster: "" }] }],
      noSublistCache: false }, deps);
    expect([...registry.accounts.keys()]).toEqual(["$G", "A", "B"]);
    expect(registry.accounts.get("A")!.limits.maxConnections).toBe(5);
    expect(registry.global.mappings?.select("x")).toBe("y");
    // The stream import subscribes in the exporting account.
    expect(registry.accounts.get("A")!.sublist.count()).toBe(1);
  });

  test("reload updates accounts in place, drops removed ones and rewires", () => {
    const registry = new AccountRegistry(new Account("$G"), { accounts: configs(true),
      mappings: [], noSublistCache: false }, deps);
    const sys = new Account("$SYS");
    registry.adopt(sys);
    const a = registry.accounts.get("A")!;
    const removed = registry.reload({ accounts: [configs(false)[0]], mappings: [],
      noSublistCache: false });
    expect(removed.map((r) => r.name)).toEqual(["B"]);
    expect(registry.accounts.get("A")).toBe(a);
    expect(registry.accounts.get("$SYS")).toBe(sys);
    expect(a.sublist.count()).toBe(0);
    registry.reload({ accounts: configs(true), mappings: [], noSublistCache: false });
    expect(registry.accounts.get("A")).toBe(a);
    expect(a.sublist.count()).toBe(1);
  });
});
