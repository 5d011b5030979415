/**
 * The TLS process tests' round trip: publish and receive through the official client with
 * given TLS options.
 * @module
 */
import { connect } from "@nats-io/transport-node";

/** Connects with `tls`, publishes "over tls" to itself and returns what came back. */
export async function roundTrip(url: string, tls: Record<string, unknown>): Promise<string> {
  const nc = await connect({ servers: url, tls, reconnect: false, timeout: 5000 });
  try {
    const sub = nc.subscribe("tls.echo", { max: 1 });
    nc.publish("tls.echo", "over tls");
    for await (const msg of sub) return new TextDecoder().decode(msg.data);
    return "";
  } finally {
    await nc.close();
  }
}
