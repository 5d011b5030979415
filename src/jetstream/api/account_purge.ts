/**
 * $JS.API.ACCOUNT.PURGE.<account> (nats-server 2.10+): served in the system account only. It
 * deletes every stream of the account (with their consumers) and the account's store directory,
 * as nats-server's non-clustered handler does, and answers `account_purge_response` with
 * `initiated: true`. The account keeps JetStream enabled.
 * @module
 */
import type { InternalClient } from "../../server/internal_client.ts";
import { type ApiError, apiError } from "./api_error.ts";
import { JSStreamDeleteErrF, JSStreamGeneralErrorF } from "./errors_generated.ts";
import { goJson, type JsonValue } from "./go_json.ts";
import { apiResponse, RESPONSE_TYPE } from "./responses.ts";

export const ACCOUNT_PURGE_PATTERN = "ACCOUNT.PURGE.*";

/** What the handler needs from JetStream. */
export interface PurgeTarget {
  readonly domain: string;
  /** Deletes the account's streams; throws with the first failure. */
  deleteAccountStreams(account: string): Promise<number>;
  /** Removes `<store_dir>/jetstream/<account>`. */
  removeAccountDir(account: string): Promise<void>;
  log(message: string): void;
}

/** The response to a purge of `account`. */
export async function purgeAccount(target: PurgeTarget, account: string):
  Promise<Record<string, JsonValue>> {
  const fail = (e: ApiError) => apiResponse(RESPONSE_TYPE.accountPurge, e);
  if (/[\\/]/.test(account)) {
    return fail(apiError(JSStreamGeneralErrorF,
      { err: "account name can not contain path separators" }));
  }
  let deleted: number;
  try {
    deleted = await target.deleteAccountStreams(account);
  } catch (error) {
    return fail(apiError(JSStreamDeleteErrF, { err: error as Error }));
  }
  target.log(`Purge request for account ${account} (streams: ${deleted})`);
  try {
    await target.removeAccountDir(account);
  } catch (error) {
    return fail(apiError(JSStreamGeneralErrorF, { err: error as Error }));
  }
  return apiResponse(RESPONSE_TYPE.accountPurge, null, { initiated: true });
}

/**
 * Subscribes the purge subject (and its `$JS.<domain>.API` form) on a system-account client;
 * requests run one at a time. Returns the unsubscribe.
 */
export function serveAccountPurge(target: PurgeTarget, client: InternalClient): () => void {
  const subjects = [`$JS.API.${ACCOUNT_PURGE_PATTERN}`];
  if (target.domain !== "") subjects.push(`$JS.${target.domain}.API.${ACCOUNT_PURGE_PATTERN}`);
  let queue: Promise<void> = Promise.resolve();
  const subs = subjects.map((subject) => client.subscribe(subject, (s, reply) => {
    const account = s.split(".").at(-1) ?? "";
    queue = queue.then(async () => {
      const response = await purgeAccount(target, account);
      if (reply !== "") {
        client.publish(reply, "", null, new TextEncoder().encode(goJson(response)));
      }
    });
  }));
  return () => subs.forEach((sub) => client.unsubscribe(sub));
}
