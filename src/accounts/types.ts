/**
 * Account settings as plain data: what the `accounts {}` block and the top-level `mappings`
 * produce (config/auth_options.ts) and the server builds accounts from (accounts/registry.ts).
 * Names follow nats-server's config keys; durations are milliseconds.
 * @module
 */

/** How a service answers: one message, a stream of them, or one response in chunks. */
export type ResponseType = "Singleton" | "Streamed" | "Chunked";

export interface StreamExportConfig {
  subject: string;
  /** Accounts allowed to import; null for a public export. */
  accounts: string[] | null;
  /** 1-based token of the subject that must name the importing account; 0 for none. */
  accountTokenPosition: number;
}

export interface ServiceExportConfig extends StreamExportConfig {
  responseType: ResponseType;
  /** How long a response may take before the reply mapping is dropped; 0 = default. */
  responseThresholdMs: number;
}

export interface StreamImportConfig {
  /** The exporting account. */
  account: string;
  /** The exported subject (may hold wildcards). */
  subject: string;
  /** Prepended to the subject in the importing account ("" for none). */
  prefix: string;
  /** Subject transform destination in the importing account ("" for none). */
  to: string;
}

export interface ServiceImportConfig {
  account: string;
  /** The subject in the exporting account. */
  subject: string;
  /** The subject the importing account publishes requests to (defaults to `subject`). */
  to: string;
  /** Share the requester's connection info with the exporter (Nats-Request-Info header). */
  share: boolean;
}

export interface MappingDestinationConfig {
  subject: string;
  /** Percentage 0..100. */
  weight: number;
  /** Only on servers of this cluster; "" for any. */
  cluster: string;
}

export interface MappingConfig {
  source: string;
  destinations: MappingDestinationConfig[];
}

/** -1 means unlimited, as nats-server's jwt.NoLimit. */
export interface AccountLimitsConfig {
  maxConnections: number;
  maxSubscriptions: number;
  maxPayload: number;
  maxLeafnodes: number;
}

export const NO_LIMIT = -1;

export function unlimited(): AccountLimitsConfig {
  return { maxConnections: NO_LIMIT, maxSubscriptions: NO_LIMIT, maxPayload: NO_LIMIT,
    maxLeafnodes: NO_LIMIT };
}

export interface AccountConfig {
  name: string;
  /** The account's public nkey ("" for none). */
  nkey: string;
  streamExports: StreamExportConfig[];
  serviceExports: ServiceExportConfig[];
  streamImports: StreamImportConfig[];
  serviceImports: ServiceImportConfig[];
  mappings: MappingConfig[];
  limits: AccountLimitsConfig;
}

export function emptyAccountConfig(name: string): AccountConfig {
  return { name, nkey: "", streamExports: [], serviceExports: [], streamImports: [],
    serviceImports: [], mappings: [], limits: unlimited() };
}
