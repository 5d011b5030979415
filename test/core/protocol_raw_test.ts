/**
 * Byte-exact client protocol tests over raw TCP. They run against natsd by default and
 * against Go nats-server with NATS_SERVER=nats-server; differences between nats-server 2.9.10
 * and the 2.14 behaviour natsd implements are branched on `isGoServer()` and named.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RawClient } from "../harness/raw_client.ts";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";

let server: RunningServer;
const clients: RawClient[] = [];

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  for (const client of clients) client.close();
  await server.stop();
});

async function connect(connectJson: string | null = '{"verbose":false,"pedantic":false}') {
  const client = await RawClient.connect(server.port);
  clients.push(client);
  await client.readInfo();
  if (connectJson !== null) client.send(`CONNECT ${connectJson}\r\n`);
  return client;
}

/** Sends `input` on a fresh connection and returns what arrives until the server closes it. */
async function sendAndWaitClose(input: string): Promise<string> {
  const client = await connect(null);
  client.send(input);
  return await client.waitClosed();
}

describe("INFO", () => {
  test("is sent first, with the fields clients rely on", async () => {
    const client = await RawClient.connect(server.port);
    clients.push(client);
    await client.waitFor((text) => text.includes("\r\n"));
    expect(client.buffered).toMatch(/^INFO \{.*\} \r\n$/);
    const info = await client.readInfo();
    expect(info.server_id).toMatch(/^N[A-Z2-7]{55}$/);
    expect(info.proto).toBe(1);
    expect(info.headers).toBe(true);
    expect(info.max_payload).toBe(1048576);
    expect(info.port).toBe(server.port);
    expect(typeof info.client_id).toBe("number");
    expect(info.client_ip).toBe("127.0.0.1");
    expect(info.auth_required).toBeUndefined();
    expect(Object.keys(info).slice(0, 4)).toEqual(["server_id", "server_name", "version", "proto"]);
  });
});

describe("PING and verbose", () => {
  test("PING before CONNECT gets PONG", async () => {
    const client = await connect(null);
    client.send("PING\r\n");
    await client.expect("PONG\r\n");
  });

  test("verbose is on until CONNECT turns it off", async () => {
    const client = await connect(null);
    client.send("SUB foo 1\r\nPUB foo 1\r\na\r\nPING\r\n");
    await client.expect("+OK\r\n+OK\r\nMSG foo 1 1\r\na\r\nPONG\r\n");
  });

  test("verbose CONNECT acknowledges CONNECT, SUB, UNSUB and PUB", async () => {
    const client = await connect('{"verbose":true}');
    client.send("SUB foo 1\r\nUNSUB 1\r\nUNSUB 99\r\nPUB foo 0\r\n\r\nPING\r\n");
    await client.expect("+OK\r\n+OK\r\n+OK\r\n+OK\r\n+OK\r\nPONG\r\n");
  });
});

describe("publish and subscribe", () => {
  test("delivers MSG with reply and exact framing", async () => {
    const sub = await connect();
    sub.send("SUB foo.* 7\r\n");
    await sub.flush();
    const pub = await connect();
    pub.send("PUB foo.bar reply.to 5\r\nhello\r\nPUB foo.baz 0\r\n\r\n");
    await pub.flush();
    await sub.expect("MSG foo.bar 7 reply.to 5\r\nhello\r\nMSG foo.baz 7 0\r\n\r\n");
  });

  test("verbs are case-insensitive and tabs separate arguments", async () => {
    const client = await connect();
    client.send("sub FOO 1\r\npub\tFOO  1\r\nx\r\n");
    expect(await client.flush()).toBe("MSG FOO 1 1\r\nx\r\n");
  });

  test("wildcards: * matches one token, > the rest", async () => {
    const client = await connect();
    client.send("SUB foo.* 1\r\nSUB foo.> 2\r\nPUB foo.bar.baz 0\r\n\r\n");
    expect(await client.flush()).toBe("MSG foo.bar.baz 2 0\r\n\r\n");
  });

  test("a SUB repeating a sid is a no-op", async () => {
    const client = await connect();
    client.send("SUB foo 1\r\nSUB foo 1\r\nPUB foo 1\r\na\r\n");
    expect(await client.flush()).toBe("MSG foo 1 1\r\na\r\n");
  });

  test("invalid subjects get -ERR 'Invalid Subject' and the connection stays open", async () => {
    const client = await connect();
    client.send("SUB foo. 1\r\nSUB foo..bar 2\r\nSUB a.>.b 3\r\nSUB a* 5\r\nUNSUB 5\r\n");
    expect(await client.flush()).toBe("-ERR 'Invalid Subject'\r\n".repeat(3));
  });

  test("auto-unsubscribe stops after max messages", async () => {
    const client = await connect();
    client.send("SUB foo 1\r\nUNSUB 1 2\r\n" + "PUB foo 1\r\na\r\n".repeat(3));
    expect(await client.flush()).toBe("MSG foo 1 1\r\na\r\n".repeat(2));
  });

  test("UNSUB with max at or below delivered count unsubscribes at once", async () => {
    const client = await connect();
    client.send("SUB foo 1\r\nPUB foo 1\r\na\r\nUNSUB 1 1\r\nPUB foo 1\r\nb\r\n");
    expect(await client.flush()).toBe("MSG foo 1 1\r\na\r\n");
  });

  test("echo:false suppresses a client's own messages", async () => {
    const client = await connect('{"verbose":false,"echo":false}');
    client.send("SUB foo 1\r\nPUB foo 0\r\n\r\n");
    expect(await client.flush()).toBe("");
  });

  test("queue groups: each message reaches exactly one member of each group", async () => {
    const members = [await connect(), await connect(), await connect()];
    members[0].send("SUB work q1 1\r\n");
    members[1].send("SUB work q1 1\r\n");
    members[2].send("SUB work q2 1\r\nSUB work 2\r\n");
    for (const m of members) await m.flush();
    const pub = await connect();
    const count = 50;
    pub.send("PUB work 1\r\nx\r\n".repeat(count));
    await pub.flush();
    const received = [];
    for (const m of members) received.push(await m.flush());
    const countOf = (text: string, sid: number) =>
      text.split(`MSG work ${sid} 1\r\n`).length - 1;
    expect(countOf(received[0], 1) + countOf(received[1], 1)).toBe(count);
    expect(countOf(received[2], 1)).toBe(count);
    expect(countOf(received[2], 2)).toBe(count);
  });
});

describe("headers", () => {
  test("HPUB is delivered as HMSG to header-capable subscribers", async () => {
    const client = await connect('{"verbose":false,"headers":true}');
    client.send("SUB foo 1\r\nHPUB foo r 12 14\r\nNATS/1.0\r\n\r\nhi\r\n");
    expect(await client.flush()).toBe("HMSG foo 1 r 12 14\r\nNATS/1.0\r\n\r\nhi\r\n");
  });

  test("headers are stripped for subscribers that did not ask for them", async () => {
    const plain = await connect('{"verbose":false,"headers":false}');
    plain.send("SUB foo 1\r\n");
    await plain.flush();
    const pub = await connect('{"verbose":false,"headers":true}');
    pub.send("HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n");
    await pub.flush();
    expect(await plain.flush()).toBe("MSG foo 1 2\r\nhi\r\n");
  });

  test("HPUB without headers negotiated closes the connection without -ERR", async () => {
    const received = await sendAndWaitClose("HPUB foo 2 2\r\n\r\n\r\n");
    expect(received).toBe("");
  });

  test("no responders: a request nobody receives gets a 503 status", async () => {
    const client = await connect('{"verbose":false,"headers":true,"no_responders":true}');
    client.send("SUB _INBOX.x 1\r\nPUB nobody.home _INBOX.x 2\r\nhi\r\n");
    const got = await client.flush();
    // Since 2.10 the status carries the original subject (2.9 sends only the status line).
    const expected = isGoServer()
      ? "HMSG _INBOX.x 1 16 16\r\nNATS/1.0 503\r\n\r\n\r\n"
      : "HMSG _INBOX.x 1 43 43\r\nNATS/1.0 503\r\nNats-Subject: nobody.home\r\n\r\n\r\n";
    expect(got).toBe(expected);
  });

  test("no_responders without headers is refused", async () => {
    const received = await sendAndWaitClose('CONNECT {"no_responders":true}\r\n');
    expect(received).toBe("-ERR 'no responders requires headers support'\r\n");
  });
});

describe("pedantic", () => {
  test("pedantic clients get Invalid Publish Subject and the message is still processed", async () => {
    const client = await connect('{"verbose":false,"pedantic":true}');
    client.send("SUB foo.* 1\r\nPUB foo.* 0\r\n\r\n");
    expect(await client.flush()).toBe("-ERR 'Invalid Publish Subject'\r\nMSG foo.* 1 0\r\n\r\n");
  });
});

describe("errors that close the connection", () => {
  const unknownOp = "-ERR 'Unknown Protocol Operation'\r\n";
  const cases: [string, string, string][] = [
    ["an unknown verb", "FOO\r\n", unknownOp],
    ["a leading CRLF", "\r\nPING\r\n", unknownOp],
    ["MSG from a client", "MSG foo 1 2\r\n", unknownOp],
    ["a payload longer than announced", "PUB foo 2\r\nhello\r\n", unknownOp],
    ["UNSUB without arguments", "UNSUB\r\n", unknownOp],
    ["a PUB without size", "PUB foo\r\n", ""],
    ["a negative size", "PUB foo -1\r\n", ""],
    ["an overflowing size", "PUB foo 99999999999999999999\r\n", ""],
    ["a SUB without sid", "SUB foo\r\n", ""],
    ["bad CONNECT JSON", "CONNECT {bad\r\n", ""],
    ["CONNECT with a wrongly typed field", 'CONNECT {"verbose":"yes"}\r\n', ""],
    ["CONNECT with an array", "CONNECT []\r\n", ""],
    ["CONNECT with an account", 'CONNECT {"account":"x"}\r\n', "-ERR 'Authorization Violation'\r\n"],
    ["an unsupported protocol", 'CONNECT {"protocol":2}\r\n', "-ERR 'invalid client protocol'\r\n"],
    ["a payload over max_payload", "PUB foo 1048577\r\n", "-ERR 'Maximum Payload Violation'\r\n"],
    ["a client -ERR", "-ERR 'x'\r\n", ""],
  ];
  for (const [name, input, expected] of cases) {
    test(`${name}`, async () => {
      expect(await sendAndWaitClose(input)).toBe(expected);
    });
  }

  test("an oversized control line", async () => {
    const received = await sendAndWaitClose(`PUB ${"a".repeat(5000)} 1\r\n`);
    expect(received).toBe("-ERR 'maximum control line exceeded'\r\n");
  });

  test("a control line that never ends is cut off", async () => {
    const client = await connect(null);
    client.send(`SUB ${"a".repeat(10000)}`);
    expect(await client.waitClosed()).toBe("-ERR 'maximum control line exceeded'\r\n");
  });

  test("other clients keep being served after a bad client is closed", async () => {
    const good = await connect();
    good.send("SUB keep 1\r\n");
    await good.flush();
    await sendAndWaitClose("\x00\x01garbage\r\n");
    good.send("PUB keep 2\r\nok\r\n");
    expect(await good.flush()).toBe("MSG keep 1 2\r\nok\r\n");
  });
});

describe("split input", () => {
  test("a PUB cut at every byte boundary is delivered intact", async () => {
    const client = await connect();
    client.send("SUB split 1\r\n");
    await client.flush();
    const pub = "PUB split reply 11\r\nhello world\r\n";
    for (let cut = 1; cut < pub.length; cut++) {
      client.send(pub.slice(0, cut));
      await new Promise((resolve) => setImmediate(resolve)); // let the halves go as two writes
      client.send(pub.slice(cut));
    }
    const expected = "MSG split 1 reply 11\r\nhello world\r\n".repeat(pub.length - 1);
    expect(await client.flush()).toBe(expected);
  });
});
