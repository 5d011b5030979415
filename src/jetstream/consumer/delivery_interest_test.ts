import { describe, expect, test } from "bun:test";
import { Account } from "../../accounts/account.ts";
import { ResponseRouter } from "../../accounts/import_sinks.ts";
import { InternalClient, InternalKind } from "../../server/internal_client.ts";
import { replyInterest, trackDownReply } from "./delivery_interest.ts";

/** An exporter A whose `_R_` replies lead to requesters in B (a service import's responses). */
function accounts() {
  const exporter = new Account("A");
  const importer = new Account("B");
  const byAccount = new Map<Account, ResponseRouter>();
  const deps = {
    nowMs: () => 0,
    routerOf: (account: Account) => byAccount.get(account)!,
  };
  byAccount.set(exporter, new ResponseRouter(exporter, deps));
  byAccount.set(importer, new ResponseRouter(importer, deps));
  return { exporter, importer, router: byAccount.get(exporter)! };
}

describe("pull request replies through service imports", () => {
  test("an _R_ reply is tracked down to the requester's account and reply", () => {
    const { exporter, importer, router } = accounts();
    const entry = router.add(importer, "_INBOX.b.1", null, "Streamed");
    expect(entry.reply).toStartWith("_R_.");
    expect(trackDownReply(exporter, entry.reply)).toEqual({ account: importer,
      subject: "_INBOX.b.1" });
    expect(trackDownReply(exporter, "_INBOX.a.1")).toBeNull();
    expect(trackDownReply(exporter, "_R_.unknown.x")).toBeNull();
  });

  test("interest is the requester's, not the exporter's response subscription", () => {
    const { exporter, importer, router } = accounts();
    const entry = router.add(importer, "_INBOX.b.1", null, "Streamed");
    // The exporter always has its `_R_.<prefix>.>` subscription; that does not count.
    expect(replyInterest(exporter, entry.reply)).toBe(false);
    const b = new InternalClient(2, importer, InternalKind.jetstream);
    const sub = b.subscribe("_INBOX.b.1", () => {});
    expect(replyInterest(exporter, entry.reply)).toBe(true);
    b.unsubscribe(sub);
    expect(replyInterest(exporter, entry.reply)).toBe(false);
  });

  test("a plain reply is looked up where it is", () => {
    const { exporter } = accounts();
    const a = new InternalClient(1, exporter, InternalKind.jetstream);
    expect(replyInterest(exporter, "_INBOX.a.1")).toBe(false);
    a.subscribe("_INBOX.a.*", () => {});
    expect(replyInterest(exporter, "_INBOX.a.1")).toBe(true);
  });
});
