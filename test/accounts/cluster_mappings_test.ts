/**
 * Cluster-scoped mapping destinations through a server process: the server's cluster name
 * (`cluster { name }`) picks its own destinations; a server of another cluster has none (Go 2.9.10 cannot parse scoped and unscoped destinations side by side; the
 * mixed case is covered by src/accounts/mappings_test.ts). Runs against natsd, or Go nats-server with NATS_SERVER=nats-server.
 */
import { describe, expect, test } from "bun:test";
import { RawClient } from "../harness/raw_client.ts";
import { startServer } from "../harness/server_process.ts";

const MAPPINGS = `
  mappings = {
    work: [ {destination: "work.east", weight: 100%, cluster: "east"} ]
  }`;

async function deliveredSubject(clusterName: string): Promise<string> {
  const server = await startServer({ config: `${MAPPINGS}
    cluster { name: "${clusterName}", listen: "127.0.0.1:-1" }` });
  try {
    const c = await RawClient.connect(server.port);
    await c.readInfo();
    c.send('CONNECT {"verbose":false}\r\nSUB work.> 1\r\nPUB work 1\r\nx\r\n');
    const text = await c.flush();
    c.close();
    return text;
  } finally {
    await server.stop();
  }
}

describe("cluster-scoped mapping destinations", () => {
  test("a server of the named cluster uses that cluster's destination", async () => {
    expect(await deliveredSubject("east")).toBe("MSG work.east 1 1\r\nx\r\n");
  });

  test("a server of another cluster has no destination: nothing is delivered, as nats-server",
    async () => {
      expect(await deliveredSubject("west")).toBe("");
    });
});
