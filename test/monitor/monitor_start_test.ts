/**
 * Monitoring start-up failures are fatal with nats-server's messages, against natsd or Go:
 * a busy port, HTTPS without TLS certificates, and both ports at once.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TCPSocketListener } from "bun";
import { startServer } from "../harness/server_process.ts";

let blocker: TCPSocketListener;

beforeAll(() => {
  blocker = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
});
afterAll(() => {
  blocker.stop(true);
});

async function startupFailure(args: string[]): Promise<string> {
  try {
    const server = await startServer({ args });
    await server.stop();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`the server started with ${args.join(" ")}`);
}

describe("monitoring start-up", () => {
  test("a busy port stops the server", async () => {
    const message = await startupFailure(["-m", String(blocker.port)]);
    expect(message).toContain("[FTL] Can't start monitoring: can't listen to the monitor port: " +
      `listen tcp 127.0.0.1:${blocker.port}: bind: address already in use`);
  });

  test("HTTPS needs TLS certificates", async () => {
    expect(await startupFailure(["-ms", "-1"])).toContain(
      "[FTL] Can't start monitoring: TLS cert and key required for HTTPS");
  });

  test("HTTP and HTTPS ports together are refused", async () => {
    expect(await startupFailure(["-m", "-1", "-ms", "-1"])).toContain(
      "[FTL] Can't start monitoring: can't specify both HTTP (-1) and HTTPs (-1) ports");
  });
});
