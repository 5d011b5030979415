import { describe, expect, test } from "bun:test";
import { Exposition, formatValue, MetricNameError } from "./exposition.ts";
import { ExpositionSyntaxError, parseExposition } from "./exposition_check.ts";
import { FakeSource } from "./fake_source.ts";
import { Monitor } from "./monitor.ts";

const quietLog = { info() {}, warn() {}, error() {} };

function scrape(configure: (source: FakeSource) => void, query = "") {
  const source = new FakeSource();
  configure(source);
  const monitor = new Monitor(source, quietLog);
  return monitor.handle(new Request(`http://monitor/metrics${query}`));
}

describe("Exposition writer", () => {
  test("HELP and TYPE precede samples; label values are escaped", () => {
    const exposition = new Exposition();
    exposition.add("x_total", "counter", "line\\one\ntwo", { a: 'q"\\\n' }, 3);
    exposition.add("x_total", "counter", "ignored", { a: "b" }, 4);
    expect(exposition.text()).toBe(
      '# HELP x_total line\\\\one\\ntwo\n# TYPE x_total counter\n' +
        'x_total{a="q\\"\\\\\\n"} 3\nx_total{a="b"} 4\n',
    );
    const parsed = parseExposition(exposition.text()).get("x_total")!;
    expect(parsed.samples[0].labels.a).toBe('q"\\\n');
  });

  test("invalid names are refused", () => {
    expect(() => new Exposition().add("1bad", "gauge", "h", {}, 1)).toThrow(MetricNameError);
    expect(() => new Exposition().add("ok", "gauge", "h", { "a-b": "x" }, 1))
      .toThrow(MetricNameError);
  });

  test("special values", () => {
    expect([NaN, Infinity, -Infinity, 1.5].map(formatValue))
      .toEqual(["NaN", "+Inf", "-Inf", "1.5"]);
  });

  test("the checker rejects malformed text", () => {
    expect(() => parseExposition("x 1\n")).toThrow(ExpositionSyntaxError);
    expect(() => parseExposition("# HELP x h\n# TYPE x gauge\nx{a=b} 1\n"))
      .toThrow(ExpositionSyntaxError);
    expect(() => parseExposition("# HELP x h\n# TYPE x gauge\nx one\n"))
      .toThrow(ExpositionSyntaxError);
  });
});

describe("/metrics", () => {
  test("parses, with exporter-compatible names and server_id labels", async () => {
    const response = scrape((s) => {
      Object.assign(s.stats, { inMsgs: 7, outBytes: 70 });
      const c = s.connect(1, { connect: { name: 'weird "name"' }, inMsgs: 7 });
      s.subscribe(c, "a.b", "1");
    });
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const families = parseExposition(await response.text());
    const one = (name: string) => families.get(name)!.samples[0];
    expect(one("gnatsd_varz_in_msgs")).toEqual({
      name: "gnatsd_varz_in_msgs", labels: { server_id: "NFAKESERVERID" }, value: 7,
    });
    expect(families.get("gnatsd_varz_in_msgs")!.type).toBe("counter");
    expect(families.get("gnatsd_varz_connections")!.type).toBe("gauge");
    expect(one("gnatsd_varz_version").labels.value).toBe("2.14.0");
    expect(one("gnatsd_varz_out_bytes").value).toBe(70);
    expect(one("gnatsd_connz_num_connections").value).toBe(1);
    expect(one("gnatsd_connz_in_msgs").value).toBe(7);
    expect(one("gnatsd_subsz_num_subscriptions").value).toBe(1);
    expect(one("gnatsd_accstatz_current_connections").labels).toEqual({
      server_id: "NFAKESERVERID", account: "$G", account_id: "$G", account_name: "$G",
    });
    expect(one("gnatsd_accstatz_received_messages").value).toBe(7);
  });

  test("connz_detailed adds per-connection samples with escaped labels", async () => {
    const response = scrape((s) => {
      s.connect(1, { connect: { name: 'weird "name"' }, outMsgs: 2 });
      s.connect(2, { outMsgs: 5 });
    }, "?connz_detailed=true");
    const samples = parseExposition(await response.text()).get("gnatsd_connz_out_msgs")!.samples;
    expect(samples.map((s) => [s.labels.cid ?? "total", s.value])).toEqual([
      ["total", 7], ["1", 2], ["2", 5],
    ]);
    expect(samples[1].labels.name).toBe('weird "name"');
  });
});
