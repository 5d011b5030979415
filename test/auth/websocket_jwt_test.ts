/**
 * WebSocket `jwt_cookie` in operator mode: a browser's user JWT arrives in a cookie; a bearer
 * JWT needs nothing else, a regular one still signs the nonce in CONNECT.
 * Runs against natsd, or any server named by NATS_SERVER (Go 2.9.10 passes).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type RunningServer, startServer } from "../harness/server_process.ts";
import { type TestAccount, TestOperator, type TestUser, userOf } from "./jwt_fixtures.ts";

/** Opens a WebSocket with `cookie`, sends CONNECT (signed when `signer` is given). */
function outcome(server: RunningServer, cookie: string, signer: TestUser | null):
  Promise<"accepted" | "refused"> {
  return new Promise((resolve) => {
    const raw = new WebSocket(server.websocketUrl!, { headers: { Cookie: cookie } } as never);
    raw.binaryType = "arraybuffer";
    let text = "";
    let sent = false;
    raw.onmessage = (event) => {
      text += new TextDecoder().decode(event.data as ArrayBuffer);
      const info = /^INFO (.*)\r\n/.exec(text);
      if (info !== null && !sent) {
        sent = true;
        const nonce = String(JSON.parse(info[1]).nonce);
        const sig = signer === null ? undefined
          : Buffer.from(signer.kp.sign(new TextEncoder().encode(nonce))).toString("base64url");
        raw.send(new TextEncoder().encode(`CONNECT ${JSON.stringify({ verbose: false,
          ...(sig ? { sig } : {}) })}\r\nPING\r\n`));
      }
      if (text.includes("PONG") || text.includes("-ERR")) {
        raw.close();
        resolve(text.includes("PONG") ? "accepted" : "refused");
      }
    };
  });
}

describe("websocket jwt_cookie", () => {
  let server: RunningServer;
  let op: TestOperator;
  let a: TestAccount;

  beforeAll(async () => {
    op = await TestOperator.create();
    a = await op.account("A");
    server = await startServer({ config: `operator: "${op.jwt}"
resolver: MEMORY
${op.preload(a)}
websocket { port: -1, no_tls: true, jwt_cookie: "natsjwt" }
` });
  });
  afterAll(async () => await server.stop());

  test("a bearer JWT in the cookie authenticates; a signed one needs the nonce signature",
    async () => {
      const bearer = await userOf(a, { bearer_token: true });
      expect(await outcome(server, `natsjwt=${bearer.jwt}`, null)).toBe("accepted");
      const signed = await userOf(a);
      expect(await outcome(server, `natsjwt=${signed.jwt}`, signed)).toBe("accepted");
      expect(await outcome(server, `natsjwt=${signed.jwt}`, null)).toBe("refused");
      expect(await outcome(server, `other=${bearer.jwt}`, null)).toBe("refused");
    });
});
