/**
 * Auth callout at run time (config mode): for a client to be decided by the service, send
 * the request (request.ts) to `$SYS.REQ.USER.AUTH` in the callout account with a reply
 * subject of the server's, wait at most the auth timeout, and check the answer
 * (response.ts). Each request expects its own fresh user nkey, which stops replays.
 * @module
 */
import { randomBytes } from "node:crypto";
import { createCurve, createUser, type KeyPair } from "@nats-io/jwt";
import type { Account } from "../../accounts/account.ts";
import type { Subscription } from "../../client/subscription.ts";
import type { InternalClient } from "../../server/internal_client.ts";
import type { AuthCalloutConfig } from "../types.ts";
import {
  AUTH_CALLOUT_SUBJECT, AUTH_REQUEST_XKEY_HEADER, authRequestClaims, type CalloutClient,
  type CalloutServer, encodeAuthRequest,
} from "./request.ts";
import { type CalloutVerdict, checkCalloutResponse } from "./response.ts";

/** Reply subjects of the server's own requests (Go's newRespInbox shape). */
const REPLY_PREFIX = "$SYS._INBOX.";
const REPLY_TOKEN_BYTES = 12;

export interface CalloutDeps {
  readonly config: AuthCalloutConfig;
  /** The server's nkey pair: it signs requests, and its public key is the server id. */
  readonly serverKeys: KeyPair;
  server(): Omit<CalloutServer, "xkey">;
  accountNamed(name: string): Account | null;
  internalClient(account: Account): InternalClient;
  authTimeoutMs(): number;
  nowMs(): number;
  log: { debug(m: string): void; warn(m: string): void; error(m: string): void };
}

export class AuthCallout {
  /** The server's curve key pair, when the service asked for encryption (xkey). */
  readonly #xkp: KeyPair | null;
  readonly #clients = new Map<Account, InternalClient>();

  constructor(readonly deps: CalloutDeps) {
    this.#xkp = deps.config.xkey !== "" ? createCurve() : null;
  }

  /** Go's configureAuthorization check: the account and auth users should exist. */
  checkSetup(knownUsers: ReadonlySet<string>): void {
    const { config } = this.deps;
    if (this.deps.accountNamed(config.account) === null) {
      this.deps.log.error(`Authorization callout account ${JSON.stringify(config.account)} ` +
        "not valid");
    }
    for (const user of config.authUsers) {
      if (!knownUsers.has(user)) {
        this.deps.log.error(`Authorization callout user ${JSON.stringify(user)} not valid: <nil>`);
      }
    }
  }

  /** True when this user authenticates normally (the service's own connections). */
  isAuthUser(user: string): boolean {
    return this.deps.config.authUsers.includes(user);
  }

  /** Accounts whose users are delegated (empty list: all). */
  delegates(account: string): boolean {
    const allowed = this.deps.config.allowedAccounts;
    return allowed.length === 0 || allowed.includes(account);
  }

  /** Asks the service about `client`; `done` gets the verdict (once, after this returns). */
  start(client: CalloutClient, done: (verdict: CalloutVerdict) => void): void {
    const { config } = this.deps;
    const account = this.deps.accountNamed(config.account);
    if (account === null) {
      const reason = `No valid account ${JSON.stringify(config.account)} for auth callout ` +
        "request: account missing";
      this.deps.log.warn(reason);
      queueMicrotask(() => done({ ok: false, reason }));
      return;
    }
    const internal = this.#clientOf(account);
    const userNkey = createUser().getPublicKey();
    const reply = REPLY_PREFIX + randomBytes(REPLY_TOKEN_BYTES).toString("base64url");
    let settled = false;
    let sub: Subscription<InternalClient> | null = null;
    const finish = (verdict: CalloutVerdict) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (sub !== null) internal.unsubscribe(sub);
      if (!verdict.ok && verdict.reason !== "") this.deps.log.warn(verdict.reason);
      // The verdict may publish (events, stalled input): not from inside this delivery.
      queueMicrotask(() => done(verdict));
    };
    const timer = setTimeout(() => {
      this.deps.log.debug("Authorization callout response not received in time on account " +
        JSON.stringify(account.name));
      finish({ ok: false, reason: "" });
    }, this.deps.authTimeoutMs());
    sub = internal.subscribe(reply, (_s, _r, _h, body) => finish(checkCalloutResponse(
      body.slice(), { account: account.name, issuer: config.issuer, userNkey,
        serverId: this.deps.serverKeys.getPublicKey(), xkp: this.#xkp,
        serviceXkey: config.xkey, nowMs: this.deps.nowMs() })));
    this.#send(internal, client, userNkey, reply).catch((error: Error) =>
      finish({ ok: false, reason: `Error encoding auth request claim on account ` +
        `${JSON.stringify(account.name)}: ${error.message}` }));
  }

  async #send(internal: InternalClient, client: CalloutClient, userNkey: string,
    reply: string): Promise<void> {
    const server = { ...this.deps.server(), xkey: this.#xkp?.getPublicKey() ?? "" };
    const expiresAtSec = Math.floor((this.deps.nowMs() + this.deps.authTimeoutMs()) / 1000);
    const claims = authRequestClaims(this.deps.config.issuer, userNkey, server, client,
      expiresAtSec);
    let payload: Uint8Array = new TextEncoder().encode(await encodeAuthRequest(claims,
      this.deps.serverKeys));
    let headers: Uint8Array | null = null;
    if (this.#xkp !== null) {
      payload = this.#xkp.seal(payload, this.deps.config.xkey);
      headers = new TextEncoder().encode(
        `NATS/1.0\r\n${AUTH_REQUEST_XKEY_HEADER}: ${server.xkey}\r\n\r\n`);
    }
    internal.publish(AUTH_CALLOUT_SUBJECT, reply, headers, payload);
  }

  #clientOf(account: Account): InternalClient {
    let client = this.#clients.get(account);
    if (client === undefined) {
      client = this.deps.internalClient(account);
      this.#clients.set(account, client);
    }
    return client;
  }
}
