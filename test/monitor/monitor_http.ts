/**
 * Helpers for monitoring integration tests: HTTP reads against a RunningServer's monitoring
 * port, and waiting for server-side state without sleeping (re-reading until it shows).
 * @module
 */
import { expect } from "bun:test";
import type { RunningServer } from "../harness/server_process.ts";

/** Re-reads at most this many times while waiting for state to appear. */
export const POLL_ATTEMPTS_MAX = 200;

export interface HttpReply {
  status: number;
  headers: Headers;
  body: string;
}

export function monitorUrl(server: RunningServer): string {
  if (!server.monitorUrl) throw new Error("server started without a monitoring port");
  return server.monitorUrl;
}

export async function get(server: RunningServer, path: string): Promise<HttpReply> {
  const response = await fetch(`${monitorUrl(server)}${path}`);
  return { status: response.status, headers: response.headers, body: await response.text() };
}

// Monitoring JSON is open-ended; tests read it as loosely typed records.
export type Json = Record<string, any>;

export async function getJson(server: RunningServer, path: string): Promise<Json> {
  const reply = await get(server, path);
  expect(reply.status).toBe(200);
  return JSON.parse(reply.body) as Json;
}

/**
 * Re-reads `path` until `ready` accepts the document. Each attempt waits for a full HTTP round
 * trip, so this waits on the server, never on a timer.
 */
export async function getJsonWhen(server: RunningServer, path: string,
  ready: (doc: Json) => boolean): Promise<Json> {
  let doc: Json = {};
  for (let attempt = 0; attempt < POLL_ATTEMPTS_MAX; attempt++) {
    doc = await getJson(server, path);
    if (ready(doc)) return doc;
  }
  throw new Error(`${path} never reached the expected state: ${JSON.stringify(doc)}`);
}

/** The connection named `name` in a /connz document. */
export function connectionNamed(connz: Json, name: string): Json {
  const found = (connz.connections as Json[]).find((c) => c.name === name);
  if (!found) throw new Error(`no connection named ${name} in ${JSON.stringify(connz)}`);
  return found;
}

/** True for Go's RFC 3339 timestamps with an optional fraction of up to 9 digits. */
export function isRfc3339(text: unknown): boolean {
  return typeof text === "string" &&
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/.test(text);
}

/**
 * One HTTP/1.1 GET over a raw socket, with the request target sent exactly as given (fetch
 * rewrites targets such as "//varz" and may follow redirects on its own).
 */
export async function rawGet(server: RunningServer, target: string): Promise<HttpReply> {
  const url = new URL(monitorUrl(server));
  let received = "";
  const closed = new Promise<void>((resolve, reject) => {
    void Bun.connect({
      hostname: url.hostname, port: Number(url.port),
      socket: {
        open: (socket) => {
          socket.write(`GET ${target} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`);
        },
        data: (_socket, data) => {
          received += Buffer.from(data).toString("latin1");
        },
        close: () => resolve(),
        error: (_socket, error) => reject(error),
      },
    }).catch(reject);
  });
  await closed;
  const [head, ...rest] = received.split("\r\n\r\n");
  const [statusLine, ...headerLines] = head.split("\r\n");
  const headers = new Headers();
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") };
}
