/**
 * Which config keys ask for something natsd cannot do yet. The server says so once, clearly,
 * instead of ignoring them. Edit this table as features land: a key listed here is still
 * parsed, type-checked and kept in the raw tree (and, where Options has a field, mapped).
 * Keys are canonical top-level names; aliases map to them in options_from_config.ts.
 * @module
 */

export const FEATURE_NOT_AVAILABLE: ReadonlyMap<string, string> = new Map([
  ["authorization.nkey", "nkey authentication"],
  ["authorization.account", "accounts"],
  ["accounts.msg_trace", "message tracing"],
  ["accounts.trace_dest", "message tracing"],
  ["accounts.exports.latency", "service latency tracking"],
  ["accounts.exports.allow_trace", "message tracing"],
  ["accounts.imports.allow_trace", "message tracing"],
  ["ocsp", "OCSP stapling"],
  ["ocsp_cache", "OCSP stapling"],
  ["resolver.url", "the URL account resolver"],
  ["resolver.cache", "the CACHE account resolver"],
  ["resolver_tls", "the URL account resolver"],
  ["cluster", "clustering (routes)"],
  ["gateway", "gateways (super-clusters)"],
  ["leafnodes", "leaf nodes"],
  ["jetstream.prev_key", "JetStream encryption key rotation"],
  ["jetstream.tpm", "JetStream TPM key storage"],
  ["jetstream.unique_tag", "clustered JetStream"],
  ["jetstream.cluster", "clustered JetStream"],
  ["jetstream.max_buffered", "JetStream stream ingest buffers"],
  ["jetstream.request_queue_limit", "JetStream API queue limits"],
  ["jetstream.io", "JetStream I/O concurrency limits"],
  ["jetstream.limits.batch", "JetStream batch publishing"],
  ["default_js_domain", "JetStream domains"],
  ["mqtt", "MQTT"],
  ["proxy_protocol", "the PROXY protocol"],
  ["prof_port", "profiling"],
  ["prof_block_rate", "profiling"],
]);

/** Command-line flags (canonical long name) for features natsd does not have yet. */
export const FLAG_NOT_AVAILABLE: ReadonlyMap<string, string> = new Map([
  ["routes", "clustering (routes)"], ["cluster", "clustering (routes)"],
  ["cluster_name", "clustering (routes)"], ["no_advertise", "clustering (routes)"],
  ["cluster_advertise", "clustering (routes)"], ["connect_retries", "clustering (routes)"],
  ["profile", "profiling"],
]);
