/**
 * Protocol error texts sent to clients as `-ERR '<text>'`, verbatim from nats-server
 * (reference section 1.4), and the closed-connection reasons reported by /connz.
 * @module
 */

export const ERR = {
  unknownProtocolOperation: "Unknown Protocol Operation",
  maxPayloadViolation: "Maximum Payload Violation",
  maxControlLineExceeded: "maximum control line exceeded",
  authorizationViolation: "Authorization Violation",
  authenticationTimeout: "Authentication Timeout",
  staleConnection: "Stale Connection",
  maxConnectionsExceeded: "maximum connections exceeded",
  maxAccountConnectionsExceeded: "maximum account active connections exceeded",
  maxSubscriptionsExceeded: "maximum subscriptions exceeded",
  invalidSubject: "Invalid Subject",
  invalidPublishSubject: "Invalid Publish Subject",
  invalidClientProtocol: "invalid client protocol",
  noRespondersRequiresHeaders: "no responders requires headers support",
} as const;

/** Why a connection closed, as nats-server names it in /connz `reason`. */
export const ClosedReason = {
  clientClosed: "Client Closed",
  authenticationTimeout: "Authentication Timeout",
  authenticationFailure: "Authentication Failure",
  tlsHandshakeFailure: "TLS Handshake Failure",
  slowConsumerPendingBytes: "Slow Consumer (Pending Bytes)",
  slowConsumerWriteDeadline: "Slow Consumer (Write Deadline)",
  writeError: "Write Error",
  readError: "Read Error",
  parseError: "Parse Error",
  staleConnection: "Stale Connection",
  protocolViolation: "Protocol Violation",
  badClientProtocolVersion: "Bad Client Protocol Version",
  maxConnectionsExceeded: "Maximum Connections Exceeded",
  maxAccountConnectionsExceeded: "Maximum Account Connections Exceeded",
  maxPayloadExceeded: "Maximum Message Payload Exceeded",
  maxControlLineExceeded: "Maximum Control Line Exceeded",
  maxSubscriptionsExceeded: "Maximum Subscriptions Exceeded",
  serverShutdown: "Server Shutdown",
  noRespondersRequiresHeaders: "No Responders Requires Headers",
  messageHeaderViolation: "Message Header Violation",
  authenticationExpired: "Authentication Expired",
  revocation: "Credentials Revoked",
  proxyNotTrusted: "Proxy Not Trusted",
  proxyRequired: "Proxy Required",
  kicked: "Kicked",
} as const;
export type ClosedReason = (typeof ClosedReason)[keyof typeof ClosedReason];
