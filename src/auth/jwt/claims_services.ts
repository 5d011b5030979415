/**
 * The full resolver's `$SYS` services, as nats-server's DirAccResolver serves them:
 * - `$SYS.REQ.ACCOUNT.<key>.CLAIMS.UPDATE` (and the older `$SYS.ACCOUNT.<key>.CLAIMS.UPDATE`),
 *   `$SYS.REQ.CLAIMS.UPDATE`: store a pushed account JWT; live accounts take it at once;
 * - `$SYS.REQ.ACCOUNT.<key>.CLAIMS.LOOKUP`: the stored JWT (empty when unknown);
 * - `$SYS.REQ.CLAIMS.LIST`: every stored account key;
 * - `$SYS.REQ.CLAIMS.DELETE`: an operator-signed request deleting accounts (allow_delete).
 * Replies carry Go's ServerAPIClaimUpdateResponse shape. The cluster pack sync is not served:
 * natsd runs a single server.
 * @module
 */
import { isValidPublicAccountKey } from "../nkeys.ts";
import { type AccountClaims, decodeClaims, JwtError } from "./claims.ts";
import type { OperatorMode } from "./operator_mode.ts";

const HTTP_OK = 200;
const HTTP_INTERNAL_ERROR = 500;

export const ClaimsSubject = {
  updateNew: "$SYS.REQ.ACCOUNT.*.CLAIMS.UPDATE",
  updateOld: "$SYS.ACCOUNT.*.CLAIMS.UPDATE",
  update: "$SYS.REQ.CLAIMS.UPDATE",
  lookup: "$SYS.REQ.ACCOUNT.*.CLAIMS.LOOKUP",
  list: "$SYS.REQ.CLAIMS.LIST",
  delete: "$SYS.REQ.CLAIMS.DELETE",
} as const;

export interface ClaimsServiceDeps {
  readonly operator: OperatorMode;
  /** The system account's name (it may not be deleted). */
  readonly systemAccount: string;
  subscribe(subject: string, handle: (subject: string, reply: string, body: string) => void):
    void;
  /** Sends a reply (a JSON value, or raw text) after the current delivery. */
  reply(subject: string, body: unknown): void;
  /** A fresh `server` object for replies. */
  serverInfo(): unknown;
  log: { debug(m: string): void; error(m: string): void };
}

/** Go's respondToUpdate: logs, then answers `data` or `error`. */
function respond(deps: ClaimsServiceDeps, reply: string, account: string, message: string,
  error: string | null): void {
  const suffix = account === "" ? "" : ` - ${account}`;
  if (error === null) deps.log.debug(`${message}${suffix}`);
  else deps.log.error(`${message}${suffix} - ${error}`);
  if (reply === "") return;
  const body = error === null
    ? { server: deps.serverInfo(), data: { ...(account ? { account } : {}), code: HTTP_OK,
      message } }
    : { server: deps.serverInfo(), error: { ...(account ? { account } : {}),
      code: HTTP_INTERNAL_ERROR, description: `${message} - ${error}` } };
  deps.reply(reply, body);
}

function update(deps: ClaimsServiceDeps, reply: string, key: string | null, jwt: string): void {
  let claims: AccountClaims;
  try {
    claims = decodeClaims(jwt, "account");
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    respond(deps, reply, "n/a", "jwt update resulted in error", error.message);
    return;
  }
  const account = key ?? claims.sub;
  if (key !== null && claims.sub !== key) {
    respond(deps, reply, key, "jwt update resulted in error",
      "subject does not match jwt content");
    return;
  }
  const op = deps.operator.operators.find((o) => o.sub === claims.iss);
  if (op?.nats.strict_signing_key_usage === true) {
    respond(deps, reply, account, "jwt update resulted in error",
      "operator requires issuer to be a signing key");
    return;
  }
  const problem = deps.operator.store(account, jwt, true);
  if (problem !== null) respond(deps, reply, account, "jwt update resulted in error", problem);
  else respond(deps, reply, account, "jwt updated", null);
}

/** Go's handleDeleteRequest: only an operator (or its signing key), self-signed. */
function deleteAccounts(deps: ClaimsServiceDeps, reply: string, jwt: string): void {
  let subject = "";
  let problem: string | null = null;
  let accounts: string[] = [];
  try {
    const claims = decodeClaims<{ accounts?: unknown }>(jwt, "generic");
    subject = claims.sub;
    const list = claims.nats.accounts;
    if (deps.operator.resolver?.type !== "FULL" ||
      (deps.operator.resolver as { config?: { deleteMode: string } }).config?.deleteMode ===
        "none") {
      problem = "delete must be enabled in server config";
    } else if (claims.sub !== claims.iss) problem = "not self signed";
    else if (!deps.operator.isTrustedIssuer(claims.iss)) problem = "not trusted";
    else if (!Array.isArray(list)) problem = "malformed request";
    else {
      for (const entry of list) {
        if (typeof entry !== "string" || !isValidPublicAccountKey(entry)) {
          problem = "malformed request";
          break;
        }
        if (entry === deps.systemAccount) {
          problem = "not allowed to delete system account";
          break;
        }
      }
      accounts = list as string[];
    }
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    problem = error.message;
  }
  if (problem !== null) {
    respond(deps, reply, "", `delete accounts request by ${subject} failed`, problem);
    return;
  }
  const errors: string[] = [];
  for (const key of accounts) {
    try {
      deps.operator.resolver!.delete(key);
      deps.operator.accountDeleted(key);
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  const passed = accounts.length - errors.length;
  if (errors.length === 0) respond(deps, reply, "", `deleted ${passed} accounts`, null);
  else {
    respond(deps, reply, "", `deleted ${passed} accounts, failed for ${errors.length}`,
      errors.join("\n"));
  }
}

/** Subscribes the services (only for a resolver that serves them). */
export function startClaimsServices(deps: ClaimsServiceDeps): void {
  const resolver = deps.operator.resolver;
  if (resolver === null || !resolver.servesClaimRequests) return;
  deps.subscribe(ClaimsSubject.updateNew, (s, reply, body) =>
    update(deps, reply, s.split(".")[3], body));
  deps.subscribe(ClaimsSubject.updateOld, (s, reply, body) =>
    update(deps, reply, s.split(".")[2], body));
  deps.subscribe(ClaimsSubject.update, (_s, reply, body) => update(deps, reply, null, body));
  deps.subscribe(ClaimsSubject.lookup, (s, reply) => {
    if (reply === "") return;
    const key = s.split(".")[3];
    deps.reply(reply, resolver.fetch(key) ?? "");
  });
  deps.subscribe(ClaimsSubject.list, (_s, reply) => {
    if (reply === "") return;
    deps.reply(reply, { server: deps.serverInfo(), data: resolver.list() });
  });
  deps.subscribe(ClaimsSubject.delete, (_s, reply, body) => deleteAccounts(deps, reply, body));
}
