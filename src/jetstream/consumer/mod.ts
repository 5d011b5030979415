/**
 * JetStream consumers: the delivery state machine (core/), consumer state stores (store/), and
 * the layer that runs them on a stream (consumer manager, driver, configuration, API support).
 * The streams layer attaches a ConsumerManager to each stream with attachConsumerManager.
 * @module
 */
import type { Stream } from "../stream/stream.ts";
import { ConsumerManager, type ManagerHost } from "./manager.ts";

export { ConsumerManager, type ManagerHost } from "./manager.ts";
export { Consumer } from "./consumer.ts";

/** Gives a stream its consumers; a recovered stream also gets its stored durables back. */
export async function attachConsumerManager(
  host: ManagerHost,
  stream: Stream,
  recovering: boolean,
): Promise<ConsumerManager> {
  const manager = new ConsumerManager(host, stream);
  stream.attachConsumers(manager);
  if (recovering) await manager.recover();
  return manager;
}
