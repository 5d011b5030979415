/**
 * /varz reports the system account and the configuration's digest and load time, and both move
 * when SIGHUP reloads a changed file. Against Go 2.9.10 only the system account is checked
 * (config_digest arrived later).
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { RawClient } from "../harness/raw_client.ts";
import { isGoServer, startServer } from "../harness/server_process.ts";
import { getJson } from "./monitor_http.ts";

test("/varz: system_account, config_digest and config_load_time follow reloads", async () => {
  const server = await startServer({ args: ["-m", "-1"], config: "ping_max: 3\n" });
  try {
    const before = await getJson(server, "/varz");
    expect(before.system_account).toBe("$SYS");
    expect((await getJson(server, "/accountz")).system_account).toBe("$SYS");
    if (isGoServer()) return;
    expect(before.config_digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    await Bun.write(join(server.dir, "server.conf"), "ping_max: 4\n");
    server.signal("SIGHUP");
    await server.waitForLog(/Reloaded server configuration/);
    const after = await getJson(server, "/varz");
    expect(after.config_digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(after.config_digest).not.toBe(before.config_digest);
    expect(Date.parse(after.config_load_time as string))
      .toBeGreaterThanOrEqual(Date.parse(before.config_load_time as string));
    expect(after.config_load_time).not.toBe(before.config_load_time);
  } finally {
    await server.stop();
  }
});

test("/debug/vars serves the command line and memory numbers", async () => {
  if (isGoServer()) return; // /debug/vars arrived in 2.14
  const server = await startServer({ args: ["-m", "-1"] });
  try {
    const vars = await getJson(server, "/debug/vars");
    expect(Array.isArray(vars.cmdline)).toBe(true);
    expect((vars.memstats as { Sys: number }).Sys).toBeGreaterThan(0);
  } finally {
    await server.stop();
  }
});

test("/connz last_activity does not move on PING, only on messages and subscriptions", async () => {
  const server = await startServer({ args: ["-m", "-1"] });
  try {
    const client = await RawClient.connect(server.port);
    await client.readInfo();
    client.send('CONNECT {"verbose":false,"name":"act"}\r\nSUB act 1\r\n');
    await client.flush();
    const activity = async () => {
      const connz = await getJson(server, "/connz");
      const conns = connz.connections as { name: string; last_activity: string }[];
      return conns.find((c) => c.name === "act")!.last_activity;
    };
    const before = await activity();
    for (let i = 0; i < 3; i++) await client.flush(); // PINGs only
    expect(await activity()).toBe(before);
    client.close();
  } finally {
    await server.stop();
  }
});
