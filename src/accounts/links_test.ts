import { describe, expect, test } from "bun:test";
import {
  AccountLinks, addMappedStreamImport, addServiceExport, addServiceImport, addStreamExport,
  addStreamImport, LinkError, linkAccounts, serviceImportAuthorized, streamImportAuthorized,
} from "./links.ts";
import { emptyAccountConfig } from "./types.ts";

function accounts(...names: string[]): AccountLinks[] {
  return names.map((n) => new AccountLinks(n));
}

describe("export authorization", () => {
  test("public exports admit anyone; restricted ones only the listed accounts", () => {
    const [a] = accounts("A");
    addStreamExport(a, "public.>", null);
    addStreamExport(a, "private.>", ["B"]);
    expect(streamImportAuthorized(a, "X", "public.x")).toBe(true);
    expect(streamImportAuthorized(a, "B", "private.x")).toBe(true);
    expect(streamImportAuthorized(a, "C", "private.x")).toBe(false);
    expect(streamImportAuthorized(a, "B", "elsewhere")).toBe(false);
    // An import may be narrower than the export, never wider.
    expect(streamImportAuthorized(a, "X", "public.*.y")).toBe(true);
    expect(streamImportAuthorized(a, "X", ">")).toBe(false);
  });

  test("an account token position requires the importer's name in that token", () => {
    const [a] = accounts("A");
    addServiceExport(a, "svc.*.req", { responseType: "Singleton", accounts: null,
      tokenPosition: 2 });
    expect(serviceImportAuthorized(a, "B", "svc.B.req")).toBe(true);
    expect(serviceImportAuthorized(a, "B", "svc.C.req")).toBe(false);
    expect(() => addStreamExport(a, "x.y", null, 2)).toThrow("sublist: invalid subject");
  });

  test("an empty accounts list requires an activation token: nobody may import here", () => {
    const [a] = accounts("A");
    addStreamExport(a, "s", []);
    expect(streamImportAuthorized(a, "B", "s")).toBe(false);
  });
});

describe("imports", () => {
  test("stream imports: prefix, transform, duplicates and nats-server's errors", () => {
    const [a, b] = accounts("A", "B");
    addStreamExport(a, "orders.*", null);
    addStreamImport(b, a, "orders.*", "pre");
    expect(b.streamImports[0]).toMatchObject({ from: "orders.*", to: "pre.orders.*" });
    expect(b.streamImports[0].transform?.transform("orders.1")).toBe("pre.orders.1");
    expect(() => addStreamImport(b, a, "orders.*", "x")).toThrow("stream import already exists");
    expect(() => addStreamImport(b, a, "nope", "")).toThrow("stream import not authorized");
    const [c] = accounts("C");
    expect(() => addStreamImport(c, a, "orders.*", "p.*"))
      .toThrow("stream import prefix can not contain wildcard tokens");
    addMappedStreamImport(c, a, "orders.*", "new.$1");
    expect(c.streamImports[0].transform?.transform("orders.9")).toBe("new.9");
    expect(c.streamImports[0].to).toBe("new.*");
  });

  test("service imports: exporter subject, response type and wildcard renaming", () => {
    const [a, b] = accounts("A", "B");
    addServiceExport(a, "svc.items.*", { responseType: "Streamed", accounts: ["B"] });
    const link = addServiceImport(b, a, "items.*", "svc.items.*");
    expect(link.responseType).toBe("Streamed");
    expect(link.transform?.transform("items.4")).toBe("svc.items.4");
    expect(() => addServiceImport(b, a, "items.*", "svc.items.*")).toThrow(
      'duplicate service import subject "items.*", previously used in import for account ' +
      '"A", subject "svc.items.*"');
    const [c] = accounts("C");
    expect(() => addServiceImport(c, a, "x", "svc.items.1")).toThrow(
      "service import not authorized");
    expect(() => addServiceImport(c, a, "x..y", "svc.items.1")).toThrow(LinkError);
  });

  test("import cycles are refused", () => {
    const [a, b] = accounts("A", "B");
    addStreamExport(a, "loop.>", null);
    addStreamExport(b, "loop.>", null);
    addStreamImport(b, a, "loop.>", "");
    expect(() => addStreamImport(a, b, "loop.>", "")).toThrow("import forms a cycle");
    addServiceExport(a, "ping", { responseType: "Singleton", accounts: null });
    addServiceExport(b, "ping", { responseType: "Singleton", accounts: null });
    addServiceImport(b, a, "ping", "ping");
    expect(() => addServiceImport(a, b, "ping", "ping")).toThrow("import forms a cycle");
  });
});

describe("linkAccounts", () => {
  test("reports nats-server's config errors and keeps the good links", () => {
    const a = { ...emptyAccountConfig("A"),
      streamExports: [{ subject: "s.>", accounts: ["B", "Z"], accountTokenPosition: 0 }] };
    const b = { ...emptyAccountConfig("B"),
      streamImports: [{ account: "A", subject: "s.>", prefix: "", to: "" },
        { account: "Q", subject: "s.>", prefix: "", to: "" },
        { account: "A", subject: "t", prefix: "", to: "" }],
      serviceImports: [{ account: "A", subject: "svc", to: "svc", share: false }] };
    const { links, errors } = linkAccounts([a, b]);
    expect(errors).toEqual([
      '"Z" account not defined for stream export',
      '"Q" account not defined for stream import',
      'Error adding stream import "t": stream import not authorized',
      'Error adding service import "svc": service import not authorized',
    ]);
    expect(links.get("B")!.streamImports.map((s) => s.from)).toEqual(["s.>"]);
  });
});
