/**
 * Auth callout at run time: for a client to be decided by the service, send the request
 * (request.ts) to `$SYS.REQ.USER.AUTH` in the callout account (config mode: the configured
 * one; operator mode: the account whose JWT names the service) with a reply
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
import {
  type CalloutExpectation, type CalloutVerdict, checkCalloutResponse,
} from "./response.ts";

/** Reply subjects of the server's own requests (Go's newRespInbox shape). */
const REPLY_PREFIX = "$SYS._INBOX.";
const REPLY_TOKEN_BYTES = 12;

/** Where one request goes and how its answer is judged. */
export interface CalloutTarget {
  /** The account the service listens in. */
  account: Account;
  /** Config mode: the configured issuer; operator mode: the account's public key. */
  issuer: string;
  /** The service's curve key ("" = plain requests). */
  xkey: string;
  /** Operator mode's extra rules (see response.ts); null in config mode. */
  operator: CalloutExpectation["operator"];
}

export interface CalloutDeps {
  /** Config mode's `auth_callout`; null in operator mode (accounts carry the settings). */
  readonly config: AuthCalloutConfig | null;
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
  readonly #xkp: KeyPair = createCurve();
  readonly #clients = new Map<Account, InternalClient>();

  constructor(readonly deps: CalloutDeps) {}

  /** Go's configureAuthorization check: the account and auth users should exist. */
  checkSetup(knownUsers: ReadonlySet<string>): void {
    const config = this.deps.config;
    if (config === null) return;
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
    return this.deps.config?.authUsers.includes(user) ?? false;
  }

  /** Accounts whose users are delegated (empty list: all). */
  delegates(account: string): boolean {
    const allowed = this.deps.config?.allowedAccounts ?? [];
    return allowed.length === 0 || allowed.includes(account);
  }

  /** Config mode: the configured callout account and issuer, or why it cannot be used. */
  configTarget(): CalloutTarget | string {
    const config = this.deps.config!;
    const account = this.deps.accountNamed(config.account);
    if (account === null) {
      return `No valid account ${JSON.stringify(config.account)} for auth callout request: ` +
        "account missing";
    }
    return { account, issuer: config.issuer, xkey: config.xkey, operator: null };
  }

  /** Asks the service about `client`; `done` gets the verdict (once, after this returns). */
  start(client: CalloutClient, target: CalloutTarget | string,
    done: (verdict: CalloutVerdict) => void): void {
    if (typeof target === "string") {
      this.deps.log.warn(target);
      queueMicrotask(() => done({ ok: false, reason: target }));
      return;
    }
    const account = target.account;
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
      body.slice(), { account: account.name, issuer: target.issuer, userNkey,
        serverId: this.deps.serverKeys.getPublicKey(),
        xkp: target.xkey !== "" ? this.#xkp : null, serviceXkey: target.xkey,
        nowMs: this.deps.nowMs(), operator: target.operator })));
    this.#send(internal, target, client, userNkey, reply).catch((error: Error) =>
      finish({ ok: false, reason: `Error encoding auth request claim on account ` +
        `${JSON.stringify(account.name)}: ${error.message}` }));
  }

  async #send(internal: InternalClient, target: CalloutTarget, client: CalloutClient,
    userNkey: string, reply: string): Promise<void> {
    const sealed = target.xkey !== "";
    const server = { ...this.deps.server(), xkey: sealed ? this.#xkp.getPublicKey() : "" };
    const expiresAtSec = Math.floor((this.deps.nowMs() + this.deps.authTimeoutMs()) / 1000);
    const claims = authRequestClaims(target.issuer, userNkey, server, client, expiresAtSec);
    let payload: Uint8Array = new TextEncoder().encode(await encodeAuthRequest(claims,
      this.deps.serverKeys));
    let headers: Uint8Array | null = null;
    if (sealed) {
      payload = this.#xkp.seal(payload, target.xkey);
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
