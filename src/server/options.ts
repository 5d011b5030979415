/**
 * Server options: one flat record holding every setting natsd understands, in the units
 * natsd uses internally (milliseconds, bytes). Wire and config names are converted here once,
 * by `config/` (config files) and `server/cli.ts` (flags); nothing else parses settings.
 * @module
 */
import type { AccountConfig, MappingConfig } from "../accounts/types.ts";
import type { AuthCalloutConfig, NkeyUserConfig, UserConfig } from "../auth/types.ts";
import type { ResolverConfig } from "../auth/jwt/operator_mode.ts";

/** Limits and defaults as nats-server defines them (server/const.go, server/opts.go). */
export const DEFAULTS = {
  host: "0.0.0.0",
  port: 4222,
  maxPayloadBytes: 1024 * 1024,
  maxControlLineBytes: 4096,
  maxPendingBytes: 64 * 1024 * 1024,
  maxConnections: 64 * 1024,
  /** 0 means unlimited, as in nats-server. */
  maxSubscriptions: 0,
  maxSubTokens: 0,
  pingIntervalMs: 2 * 60 * 1000,
  pingMax: 2,
  writeDeadlineMs: 10 * 1000,
  authTimeoutMs: 2 * 1000,
  tlsTimeoutMs: 2 * 1000,
  wsHandshakeTimeoutMs: 2 * 1000,
  /** handshake_first "auto": how long to wait for a TLS ClientHello before sending INFO. */
  tlsHandshakeFirstFallbackMs: 50,
  lameDuckDurationMs: 2 * 60 * 1000,
  lameDuckGracePeriodMs: 10 * 1000,
  maxClosedClients: 10000,
  httpPortConventional: 8222,
  connectErrorReports: 3600,
  reconnectErrorReports: 1,
} as const;

export interface Options {
  configFile: string;
  serverName: string;
  /** `cluster { name }` / `--cluster_name`: picks cluster-scoped mapping destinations. */
  clusterName: string;
  host: string;
  /** -1 asks the OS for a free port. */
  port: number;
  clientAdvertise: string;

  // Logging
  debug: boolean;
  trace: boolean;
  traceVerbose: boolean;
  logtime: boolean;
  logtimeUtc: boolean;
  logFile: string;
  logSizeLimitBytes: number;
  logMaxFiles: number;
  syslog: boolean;
  remoteSyslog: string;
  maxTracedMsgLen: number;

  // Limits
  maxConnections: number;
  maxSubscriptions: number;
  maxSubTokens: number;
  maxPayloadBytes: number;
  maxControlLineBytes: number;
  maxPendingBytes: number;
  maxClosedClients: number;
  pingIntervalMs: number;
  pingMax: number;
  writeDeadlineMs: number;
  noHeaderSupport: boolean;
  disableShortFirstPing: boolean;

  // Process
  pidFile: string;
  portsFileDir: string;
  lameDuckDurationMs: number;
  lameDuckGracePeriodMs: number;

  // Simple auth (the full auth model arrives with the security issue)
  username: string;
  password: string;
  authToken: string;
  authTimeoutMs: number;
  noAuthUser: string;

  // Monitoring
  httpHost: string;
  /** 0 = disabled, -1 = random port. */
  httpPort: number;
  httpsPort: number;
  httpBasePath: string;

  // JetStream
  jetstream: boolean;
  storeDir: string;

  // Client TLS (the `tls {}` block and the --tls* flags)
  /** TLS required for clients (true when a certificate is configured). */
  tls: boolean;
  tlsCertFile: string;
  tlsKeyFile: string;
  tlsCaFile: string;
  /** Require and verify client certificates. */
  tlsVerify: boolean;
  /** Map the client certificate to a user (needs users; see the security issue). */
  tlsVerifyAndMap: boolean;
  tlsTimeoutMs: number;
  /** TLS before INFO; 0 = off, -1 = on, >0 = "auto" with this fallback delay in ms. */
  tlsHandshakeFirstMs: number;
  /** SHA-256 of accepted client certificates (hex, lower case); empty = any. */
  tlsPinnedCerts: string[];
  /** "1.2" or "1.3"; empty = the runtime's default. */
  tlsMinVersion: string;
  /** Go cipher suite names (cipher_suites); empty = the runtime's defaults. */
  tlsCipherSuites: string[];
  /** Go curve names (curve_preferences), in order; empty = the runtime's defaults. */
  tlsCurvePreferences: string[];
  allowNonTls: boolean;

  // WebSocket listener (the `websocket {}` block); wsPort 0 = off, -1 = random
  wsHost: string;
  wsPort: number;
  wsNoTls: boolean;
  wsTlsCertFile: string;
  wsTlsKeyFile: string;
  /** websocket.tls: client certificates (verify, ca_file), cipher and curve lists. */
  wsTlsCaFile: string;
  wsTlsVerify: boolean;
  wsTlsCipherSuites: string[];
  wsTlsCurvePreferences: string[];
  wsSameOrigin: boolean;
  wsAllowedOrigins: string[];
  wsCompression: boolean;
  wsHandshakeTimeoutMs: number;
  /** websocket { authorization }: overrides the server's authorization for WebSocket clients. */
  wsAuthUsername: string;
  wsAuthPassword: string;
  wsAuthToken: string;
  wsNoAuthUser: string;
  /** Cookie names that carry credentials ("" = not used). */
  wsUserCookie: string;
  wsPassCookie: string;
  wsTokenCookie: string;
  /** Cookie carrying a user JWT for operator mode (jwt_cookie; "" = not used). */
  wsJwtCookie: string;

  // Remaining nats-server keys of the identity/logging/limits/process sections (config/)
  serverTags: string[];
  serverMetadata: Record<string, string>;
  featureFlags: Record<string, boolean>;
  traceHeaders: boolean;
  connectErrorReports: number;
  reconnectErrorReports: number;
  writeTimeoutPolicy: "default" | "close" | "retry";
  noFastProducerStall: boolean;
  noSublistCache: boolean;
  profPort: number;
  profBlockRate: number;

  // Users, accounts and the system account (config/auth_options.ts; src/auth, src/accounts)
  /** Users of `authorization { users }` and of every account; `account` "" is the global one. */
  users: UserConfig[];
  nkeys: NkeyUserConfig[];
  /** The `accounts {}` block (the global account `$G` is implicit). */
  accounts: AccountConfig[];
  /** Server-level `mappings`: they apply to the global account. */
  mappings: MappingConfig[];
  /** "" = the default `$SYS`. */
  systemAccount: string;
  noSystemAccount: boolean;

  // Operator mode (config/auth_options.ts; src/auth/jwt)
  /** Trusted operator JWTs (the `operator` files' contents, or inline JWTs). */
  trustedOperators: string[];
  /** `trusted_keys`: operator public keys trusted to sign accounts. */
  trustedKeys: string[];
  /** `resolver`: where account JWTs come from; null = none. */
  accountResolver: ResolverConfig | null;
  /** `resolver_preload`: account public key → account JWT. */
  resolverPreload: Record<string, string>;
  /** `resolver_pinned_accounts`: only these accounts' users may connect (empty = any). */
  resolverPinnedAccounts: string[];
  /** `default_sentinel`: a bearer user JWT for clients that present none. */
  defaultSentinel: string;
  /** `authorization { auth_callout }`: delegated authentication; null = none. */
  authCallout: AuthCalloutConfig | null;
  /** `proxies { trusted: [{key}] }`: public nkeys of trusted proxies (2.12+). */
  proxiesTrusted: string[];
  /** `authorization { proxy_required }`: the single user/token only through a proxy. */
  proxyRequired: boolean;

  // The `jetstream {}` block (src/jetstream); `jetstream` and `storeDir` above come from -js/-sd
  /** max_memory_store in bytes; -1 = default (75% of system memory). */
  jetstreamMaxMemoryBytes: number;
  /** max_file_store in bytes; -1 = default (free disk space, at most 1 TiB). */
  jetstreamMaxStoreBytes: number;
  /** sync_interval in ms; 0 = fsync before every publish ack (natsd's default, Go's `always`). */
  jetstreamSyncIntervalMs: number;
  jetstreamDomain: string;
  /** The encryption key ("" = none) and its cipher. */
  jetstreamKey: string;
  jetstreamCipher: "chacha" | "aes";
  /** Strict decoding of API requests (nats-server 2.11+ default). */
  jetstreamStrict: boolean;
  /** limits.duplicate_window in ms; 0 = no server limit. */
  jetstreamDuplicateWindowMaxMs: number;
  /** limits.max_ack_pending, max_request_batch, max_ha_assets; 0 = no limit (consumers). */
  jetstreamMaxAckPending: number;
  jetstreamMaxRequestBatch: number;
  jetstreamMaxHaAssets: number;
  /** Per-account `jetstream` settings of `accounts {}` (config/jetstream_options.ts). */
  jetstreamAccounts: Record<string, import("../jetstream/js_account.ts").AccountJetStreamOptions>;
}

export function defaultOptions(): Options {
  return {
    configFile: "",
    serverName: "",
    clusterName: "",
    host: DEFAULTS.host,
    port: DEFAULTS.port,
    clientAdvertise: "",
    debug: false,
    trace: false,
    traceVerbose: false,
    logtime: true,
    logtimeUtc: false,
    logFile: "",
    logSizeLimitBytes: 0,
    logMaxFiles: 0,
    syslog: false,
    remoteSyslog: "",
    maxTracedMsgLen: 0,
    maxConnections: DEFAULTS.maxConnections,
    maxSubscriptions: DEFAULTS.maxSubscriptions,
    maxSubTokens: DEFAULTS.maxSubTokens,
    maxPayloadBytes: DEFAULTS.maxPayloadBytes,
    maxControlLineBytes: DEFAULTS.maxControlLineBytes,
    maxPendingBytes: DEFAULTS.maxPendingBytes,
    maxClosedClients: DEFAULTS.maxClosedClients,
    pingIntervalMs: DEFAULTS.pingIntervalMs,
    pingMax: DEFAULTS.pingMax,
    writeDeadlineMs: DEFAULTS.writeDeadlineMs,
    noHeaderSupport: false,
    disableShortFirstPing: false,
    pidFile: "",
    portsFileDir: "",
    lameDuckDurationMs: DEFAULTS.lameDuckDurationMs,
    lameDuckGracePeriodMs: DEFAULTS.lameDuckGracePeriodMs,
    username: "",
    password: "",
    authToken: "",
    authTimeoutMs: DEFAULTS.authTimeoutMs,
    noAuthUser: "",
    // Empty: the monitor binds the client host, as nats-server defaults it.
    httpHost: "",
    httpPort: 0,
    httpsPort: 0,
    httpBasePath: "",
    jetstream: false,
    storeDir: "",
    tls: false,
    tlsCertFile: "",
    tlsKeyFile: "",
    tlsCaFile: "",
    tlsVerify: false,
    tlsVerifyAndMap: false,
    tlsTimeoutMs: DEFAULTS.tlsTimeoutMs,
    tlsHandshakeFirstMs: 0,
    tlsPinnedCerts: [],
    tlsMinVersion: "",
    tlsCipherSuites: [],
    tlsCurvePreferences: [],
    allowNonTls: false,
    wsHost: "",
    wsPort: 0,
    wsNoTls: false,
    wsTlsCertFile: "",
    wsTlsKeyFile: "",
    wsTlsCaFile: "",
    wsTlsVerify: false,
    wsTlsCipherSuites: [],
    wsTlsCurvePreferences: [],
    wsSameOrigin: false,
    wsAllowedOrigins: [],
    wsCompression: false,
    wsHandshakeTimeoutMs: DEFAULTS.wsHandshakeTimeoutMs,
    wsAuthUsername: "",
    wsAuthPassword: "",
    wsAuthToken: "",
    wsNoAuthUser: "",
    wsUserCookie: "",
    wsPassCookie: "",
    wsTokenCookie: "",
    wsJwtCookie: "",
    serverTags: [],
    serverMetadata: {},
    featureFlags: {},
    traceHeaders: false,
    connectErrorReports: DEFAULTS.connectErrorReports,
    reconnectErrorReports: DEFAULTS.reconnectErrorReports,
    writeTimeoutPolicy: "default",
    noFastProducerStall: false,
    noSublistCache: false,
    profPort: 0,
    profBlockRate: 0,
    users: [],
    nkeys: [],
    accounts: [],
    mappings: [],
    systemAccount: "",
    noSystemAccount: false,
    trustedOperators: [],
    trustedKeys: [],
    accountResolver: null,
    resolverPreload: {},
    resolverPinnedAccounts: [],
    defaultSentinel: "",
    authCallout: null,
    proxiesTrusted: [],
    proxyRequired: false,
    jetstreamMaxMemoryBytes: -1,
    jetstreamMaxStoreBytes: -1,
    jetstreamSyncIntervalMs: 0,
    jetstreamDomain: "",
    jetstreamKey: "",
    jetstreamCipher: "chacha",
    jetstreamStrict: true,
    jetstreamDuplicateWindowMaxMs: 0,
    jetstreamMaxAckPending: 0,
    jetstreamMaxRequestBatch: 0,
    jetstreamMaxHaAssets: 0,
    jetstreamAccounts: {},
  };
}
