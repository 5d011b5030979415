import { runConsumerStoreCases } from "./consumer_store_cases.ts";
import { MemConsumerStore } from "./mem_consumer_store.ts";

runConsumerStoreCases("MemConsumerStore", {
  make: (config) => Promise.resolve(new MemConsumerStore(config)),
});
