/**
 * Auth settings as plain data: what the config file and flags produce (config/auth_options.ts)
 * and the server compiles (auth/auth_setup.ts). Field meanings follow nats-server's `User`,
 * `NkeyUser` and `Permissions` structs; durations are milliseconds.
 * @module
 */

/** One direction's lists. `allow: null` means "not restricted"; `deny: null` "nothing denied". */
export interface SubjectPermissionConfig {
  allow: string[] | null;
  deny: string[] | null;
}

/** `allow_responses`: temporary publish rights to the reply subjects of received requests. */
export interface ResponsePermissionConfig {
  /** Responses allowed per request; negative means unlimited. */
  maxMsgs: number;
  /** How long a reply subject stays publishable; negative means forever. */
  expiresMs: number;
}

export interface PermissionsConfig {
  publish: SubjectPermissionConfig | null;
  subscribe: SubjectPermissionConfig | null;
  response: ResponsePermissionConfig | null;
}

/** Go's DEFAULT_ALLOW_RESPONSE_MAX_MSGS and DEFAULT_ALLOW_RESPONSE_EXPIRATION. */
export const RESPONSE_PERMISSION_DEFAULTS: ResponsePermissionConfig = {
  maxMsgs: 1,
  expiresMs: 2 * 60 * 1000,
};

/** The connection types nats-server knows (jwt.ConnectionType*). */
export const CONNECTION_TYPES = [
  "STANDARD", "WEBSOCKET", "LEAFNODE", "LEAFNODE_WS", "MQTT", "MQTT_WS", "IN_PROCESS",
] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

interface UserCommon {
  permissions: PermissionsConfig | null;
  /** True when `permissions` came from default_permissions (reload updates them). */
  defaultPermissions: boolean;
  /** Account name; "" binds the global account. */
  account: string;
  /** Empty means every connection type. */
  allowedConnectionTypes: ConnectionType[];
  /** Only through a trusted proxy (`proxy_required`, nats-server 2.12+). */
  proxyRequired?: boolean;
}

export interface UserConfig extends UserCommon {
  username: string;
  /** Plain text or a bcrypt hash. */
  password: string;
}

export interface NkeyUserConfig extends UserCommon {
  /** The user's public nkey ("U…"). */
  nkey: string;
}

/** `authorization { auth_callout {} }`: delegate authentication to a service (Go 2.10+). */
export interface AuthCalloutConfig {
  /** The account public key that signs the service's responses and the users they carry. */
  issuer: string;
  /** The account the service listens in (`$SYS.REQ.USER.AUTH`); "$G" by default. */
  account: string;
  /** Users (names or nkeys) that authenticate normally: the service's own connections. */
  authUsers: string[];
  /** Curve public key to encrypt requests for ("" = plain JWTs). */
  xkey: string;
  /** Accounts whose users are delegated; empty = every account. */
  allowedAccounts: string[];
}
