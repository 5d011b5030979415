import { describe, expect, test } from "bun:test";
import { ClientConnection, type ClientSocket } from "../client/connection.ts";
import { Logger } from "./logger.ts";
import { defaultOptions } from "./options.ts";
import { Server } from "./server.ts";
import { InternalKind } from "./internal_client.ts";

function setup() {
  const log = new Logger({ debug: false, trace: false, logtime: false, logtimeUtc: false, logFile: "" });
  log.captured = [];
  const server = new Server(defaultOptions(), log);
  const written: string[] = [];
  const socket: ClientSocket = {
    write: (data) => {
      written.push(new TextDecoder().decode(data));
      return data.length;
    },
    end: () => {},
    remoteAddress: "127.0.0.1",
  };
  const client = new ClientConnection(1000, socket, server);
  client.onData(new TextEncoder().encode('CONNECT {"verbose":false,"headers":true}\r\n'));
  return { server, client, written, bytes: (t: string) => new TextEncoder().encode(t) };
}

describe("InternalClient", () => {
  test("receives what socket clients publish, with reply and headers split out", () => {
    const { server, client, bytes } = setup();
    const internal = server.createInternalClient(server.globalAccount, InternalKind.system);
    const got: string[] = [];
    internal.subscribe("svc.>", (subject, reply, headers, payload) => {
      got.push(`${subject}|${reply}|${headers ? new TextDecoder().decode(headers) : "-"}|` +
        new TextDecoder().decode(payload));
    });
    client.onData(bytes("PUB svc.a r.1 2\r\nhi\r\nHPUB svc.b 12 14\r\nNATS/1.0\r\n\r\nyo\r\n"));
    expect(got).toEqual(["svc.a|r.1|-|hi", "svc.b||NATS/1.0\r\n\r\n|yo"]);
  });

  test("publishes to socket clients, and can answer a request from inside its handler", () => {
    const { server, client, written, bytes } = setup();
    const internal = server.createInternalClient(server.globalAccount, InternalKind.system);
    internal.subscribe("echo", (_subject, reply, _headers, payload) => {
      internal.publish(reply, "", null, payload);
    });
    client.onData(bytes("SUB inbox.1 9\r\nPUB echo inbox.1 4\r\nping\r\n"));
    server.flushQueue.flushAll();
    expect(written.join("")).toContain("MSG inbox.1 9 4\r\nping\r\n");
    const headers = bytes("NATS/1.0 200\r\n\r\n");
    internal.publish("inbox.1", "", headers, bytes("ok"));
    server.flushQueue.flushAll();
    expect(written.join("")).toContain(`HMSG inbox.1 9 ${headers.length} ${headers.length + 2}\r\n`);
  });

  test("closing removes its subscriptions", () => {
    const { server } = setup();
    const internal = server.createInternalClient(server.globalAccount, InternalKind.jetstream);
    internal.subscribe("a", () => {});
    expect(server.globalAccount.sublist.count()).toBe(1);
    internal.close();
    expect(server.globalAccount.sublist.count()).toBe(0);
    expect(internal.publish("a", "", null, new Uint8Array(0))).toBe(false);
  });
});
