/**
 * The live dashboard in a real browser (headless Chromium): it loads, renders the same numbers
 * /varz reports, lists the open connections, and produces no console errors. natsd only (Go has
 * no dashboard). Skipped where Chromium is absent outside CI; .ci/run installs it.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { RawClient } from "../harness/raw_client.ts";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";
import { CHROMIUM, HeadlessPage } from "../harness/headless_browser.ts";
import { getJson } from "./monitor_http.ts";

const RUN = !isGoServer() && (CHROMIUM !== null || !!process.env.CI);

let server: RunningServer;
let client: RawClient;
let page: HeadlessPage | null = null;

beforeAll(async () => {
  if (!RUN) return;
  server = await startServer({ args: ["-m", "-1"] });
  client = await RawClient.connect(server.port);
  await client.readInfo();
  client.send('CONNECT {"verbose":false,"name":"dash-client","lang":"raw"}\r\n' +
    "SUB dash.> 1\r\nPUB dash.a 4\r\nabcd\r\nPUB dash.b 2\r\nxy\r\n");
  await client.waitFor((text) => text.includes("xy\r\n"));
});

afterAll(async () => {
  await page?.close();
  client?.close();
  await server?.stop();
});

/** Resolves in the page once the dashboard has rendered a poll. */
const RENDERED = `new Promise((resolve) => {
  if (document.body.dataset.updated) return resolve(true);
  new MutationObserver(() => document.body.dataset.updated && resolve(true))
    .observe(document.body, { attributes: true });
})`;

test.skipIf(!RUN)("the dashboard shows /varz numbers and connections, no errors", async () => {
  page = await HeadlessPage.open(`${server.monitorUrl}/dashboard`);
  expect(await page.evaluate<boolean>(RENDERED)).toBe(true);
  const shown = await page.evaluate<Record<string, string>>(`Object.fromEntries(
    [...document.querySelectorAll("[data-field]")]
      .map((el) => [el.dataset.field, el.textContent]))`);
  const varz = await getJson(server, "/varz");
  const number = (text: string) => Number(text.replace(/,/g, ""));
  for (const field of ["connections", "total_connections", "subscriptions", "in_msgs",
    "out_msgs", "in_bytes", "out_bytes", "slow_consumers"]) {
    expect([field, number(shown[field])]).toEqual([field, varz[field]]);
  }
  expect(shown.in_msgs).toBe("2");
  expect(shown.out_bytes).toBe("6");
  const rows = await page.evaluate<string[][]>(`[...document.querySelectorAll("#conns tr")]
    .map((tr) => [...tr.children].map((td) => td.textContent))`);
  expect(rows).toHaveLength(1);
  expect(rows[0][1]).toBe("dash-client");
  expect(rows[0][4]).toBe("1");
  expect(await page.evaluate<string>(`document.getElementById("error").textContent`)).toBe("");
  expect(page.problems).toEqual([]);
});
