/**
 * The page script of the browser test: the official client (@nats-io/nats-core), bundled for
 * the browser by the test, connects to natsd over WebSocket, subscribes, publishes and
 * reports what it received.
 */
import { wsconnect } from "@nats-io/nats-core";

async function natsRoundTrip(url: string): Promise<string[]> {
  const nc = await wsconnect({ servers: url });
  const sub = nc.subscribe("browser.>", { max: 2 });
  nc.publish("browser.hello", "from the browser");
  nc.publish("browser.bytes", new Uint8Array([1, 2, 3]));
  const received: string[] = [];
  for await (const msg of sub) {
    received.push(msg.subject === "browser.hello" ? `${msg.subject}: ${msg.string()}` :
      `${msg.subject}: ${Array.from(msg.data).join(",")}`);
  }
  await nc.close();
  return received;
}

(globalThis as unknown as { natsRoundTrip: typeof natsRoundTrip }).natsRoundTrip = natsRoundTrip;
