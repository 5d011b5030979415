/**
 * A real browser: headless Chromium loads a page whose script is the official client bundle,
 * connects to the server over WebSocket, publishes and receives. Skipped where Chromium is
 * absent outside CI; .ci/run installs it.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { CHROMIUM, HeadlessPage } from "../harness/headless_browser.ts";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";

const RUN = CHROMIUM !== null || !!process.env.CI;

let server: RunningServer;
let site: ReturnType<typeof Bun.serve> | null = null;
let page: HeadlessPage | null = null;

beforeAll(async () => {
  if (!RUN) return;
  server = await startServer({ config: "websocket { port: -1, no_tls: true }\n" });
  const build = await Bun.build({
    entrypoints: [join(import.meta.dir, "browser_entry.ts")], target: "browser",
  });
  if (!build.success) throw new Error(`bundle failed: ${build.logs.join("\n")}`);
  const bundle = await build.outputs[0].text();
  site = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      if (new URL(request.url).pathname === "/client.js") {
        return new Response(bundle, { headers: { "content-type": "text/javascript" } });
      }
      return new Response('<!doctype html><script src="/client.js"></script>',
        { headers: { "content-type": "text/html" } });
    },
  });
});

afterAll(async () => {
  await page?.close();
  site?.stop(true);
  await server?.stop();
});

test.skipIf(!RUN)("the official client in Chromium publishes and receives over WebSocket", async () => {
  page = await HeadlessPage.open(`http://127.0.0.1:${site!.port}/`);
  const received = await page.evaluate<string[]>(
    `natsRoundTrip(${JSON.stringify(server.websocketUrl)})`,
  );
  expect(received).toEqual(["browser.hello: from the browser", "browser.bytes: 1,2,3"]);
  // nats-server 2.9.10 answers the client's close with a reserved status code, which Chromium
  // logs; natsd closes cleanly.
  const problems = isGoServer()
    ? page.problems.filter((p) => !p.includes("broken close frame"))
    : page.problems;
  expect(problems).toEqual([]);
});
