/**
 * Request handling shared by every endpoint, against natsd or Go nats-server: bad parameters
 * give Go's exact 400 texts, unknown paths Go's 404, JSONP wraps documents, and the
 * official client's connections and traffic show up in /connz and /varz.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";
import { connectionNamed, get, getJson, rawGet } from "./monitor_http.ts";

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ args: ["-m", "-1", "--user", "alice", "--pass", "s3cret"] });
});
afterAll(async () => {
  await server.stop();
});

describe("bad parameters", () => {
  const cases: [string, string][] = [
    ["/connz?sort=bogus", "invalid sorting option: bogus"],
    ["/connz?sort=stop", "sort by stop only valid on closed connections"],
    ["/connz?sort=reason&state=all", "sort by reason only valid on closed connections"],
    ["/connz?limit=x", `Error decoding int for 'limit': strconv.Atoi: parsing "x": invalid syntax`],
    ["/connz?offset=1.5",
      `Error decoding int for 'offset': strconv.Atoi: parsing "1.5": invalid syntax`],
    ["/connz?cid=abc",
      `Error decoding uint64 for 'cid': strconv.ParseUint: parsing "abc": invalid syntax`],
    ["/connz?cid=-1",
      `Error decoding uint64 for 'cid': strconv.ParseUint: parsing "-1": invalid syntax`],
    ["/connz?state=weird", "Error decoding state for weird"],
    ["/connz?auth=maybe",
      `Error decoding boolean for 'auth': strconv.ParseBool: parsing "maybe": invalid syntax`],
    ["/connz?subs=yes",
      `Error decoding boolean for 'subs': strconv.ParseBool: parsing "yes": invalid syntax`],
    ["/subsz?test=foo.*", "invalid test subject, must be valid publish subject: foo.*"],
    ["/subsz?limit=ten",
      `Error decoding int for 'limit': strconv.Atoi: parsing "ten": invalid syntax`],
    ["/accountz?acc=nope", "Account nope does not exist"],
    ["/accstatz?unused=2",
      `Error decoding boolean for 'unused': strconv.ParseBool: parsing "2": invalid syntax`],
    ["/jsz?leader-only=true", "filtered response: not leader"],
    ["/jsz?accounts=x",
      `Error decoding boolean for 'accounts': strconv.ParseBool: parsing "x": invalid syntax`],
    ["/healthz?js-enabled-only=x", "Error decoding boolean for 'js-enabled-only': " +
      `strconv.ParseBool: parsing "x": invalid syntax`],
    ["/routez?subs=x",
      `Error decoding boolean for 'subs': strconv.ParseBool: parsing "x": invalid syntax`],
  ];
  for (const [path, message] of cases) {
    test(`${path} -> 400`, async () => {
      const reply = await get(server, path);
      expect(reply.status).toBe(400);
      expect(reply.body).toBe(message);
      expect(reply.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    });
  }

  test("healthz: a stream needs an account (400 JSON)", async () => {
    const reply = await get(server, "/healthz?stream=S");
    // 2.9.10 predates the account/stream/consumer health checks and ignores the parameter.
    if (isGoServer()) return expect(reply.status).toBe(200);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toEqual({
      status: "error", error: `"account" must not be empty when checking stream health`,
    });
  });
});

describe("paths and framing", () => {
  test("unknown paths get Go's 404 page", async () => {
    for (const path of ["/nope", "/varz/", "/connz/x"]) {
      const reply = await get(server, path);
      expect([reply.status, reply.body]).toEqual([404, "404 page not found\n"]);
    }
  });

  test("unclean paths are redirected (301) to their clean form", async () => {
    const response = await rawGet(server, "//varz?x=1");
    expect(response.status).toBe(301);
    expect(response.headers.get("location")).toBe("/varz?x=1");
    expect(response.body).toBe('<a href="/varz?x=1">Moved Permanently</a>.\n\n');
  });

  test("the root serves an HTML index linking the endpoints", async () => {
    const reply = await get(server, "/");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toBe("text/html; charset=utf-8");
    for (const path of ["varz", "connz", "subsz", "routez", "healthz"]) {
      expect(reply.body).toContain(`./${path}`);
    }
  });

  test("JSON is indented with two spaces; JSONP wraps it", async () => {
    const plain = await get(server, "/varz");
    expect(plain.headers.get("content-type")).toBe("application/json");
    expect(plain.body).toMatch(/^\{\n {2}"server_id": "N/);
    if (!isGoServer()) expect(plain.headers.get("access-control-allow-origin")).toBe("*");
    const wrapped = await get(server, "/varz?callback=onVarz");
    expect(wrapped.headers.get("content-type")).toBe("application/javascript");
    expect(wrapped.body.startsWith("onVarz({\n")).toBe(true);
    expect(wrapped.body.endsWith("})")).toBe(true);
  });

  test("varz reports that authentication is required", async () => {
    expect((await getJson(server, "/varz")).auth_required).toBe(true);
  });
});

describe("official client", () => {
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connect({ servers: server.url, name: "official", user: "alice", pass: "s3cret" });
  });
  afterAll(async () => {
    await nc.close();
  });

  test("its connection, user and traffic are reported exactly", async () => {
    const before = await getJson(server, "/varz");
    const payload = new Uint8Array(100);
    let received = 0;
    const done = new Promise<void>((resolve) => {
      nc.subscribe("official.>", { callback: () => {
        if (++received === 10) resolve();
      } });
    });
    await nc.flush();
    for (let i = 0; i < 10; i++) nc.publish(`official.${i}`, payload);
    await done;
    await nc.flush();
    const after = await getJson(server, "/varz");
    expect(after.in_msgs - before.in_msgs).toBe(10);
    expect(after.in_bytes - before.in_bytes).toBe(1000);
    expect(after.out_msgs - before.out_msgs).toBe(10);
    expect(after.out_bytes - before.out_bytes).toBe(1000);
    const info = connectionNamed(await getJson(server, "/connz?auth=true&subs=1"), "official");
    expect(info).toMatchObject({
      lang: "nats.js", subscriptions: 1, subscriptions_list: ["official.>"],
      in_msgs: 10, in_bytes: 1000, out_msgs: 10, out_bytes: 1000, authorized_user: "alice",
    });
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
