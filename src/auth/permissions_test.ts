import { describe, expect, test } from "bun:test";
import { PUBLISH_DECISIONS_MAX } from "./decision_cache.ts";
import {
  ClientPermissions, CompiledPermissions, REPLY_PRUNE_INTERVAL_MS,
} from "./permissions.ts";
import type { PermissionsConfig } from "./types.ts";

const encoder = new TextEncoder();

/** A clock the test moves by hand. */
class FakeClock {
  now = 0;
  nowMs(): number {
    return this.now;
  }
}

const at = (now: number) => Object.assign(new FakeClock(), { now });

function perms(config: Partial<PermissionsConfig>): CompiledPermissions {
  return new CompiledPermissions({ publish: null, subscribe: null, response: null, ...config });
}

describe("CompiledPermissions", () => {
  test("allow lists restrict, deny lists override, wildcards apply", () => {
    const p = perms({
      publish: { allow: ["orders.>", "audit"], deny: ["orders.secret.*"] },
      subscribe: { allow: ["_INBOX.>", "events.*"], deny: ["events.private"] },
    });
    expect(p.publishAllowed("orders.new")).toBe(true);
    expect(p.publishAllowed("orders.secret.x")).toBe(false);
    expect(p.publishAllowed("audit")).toBe(true);
    expect(p.publishAllowed("other")).toBe(false);
    expect(p.subscribeAllowed("events.x", null)).toBe(true);
    expect(p.subscribeAllowed("events.private", null)).toBe(false);
    // As in Go: `events.*` covers the token ">", and a literal deny does not stop a wildcard
    // subscription (delivery filters it instead).
    expect(p.subscribeAllowed("events.>", null)).toBe(true);
    expect(p.subscribeAllowed("other.>", null)).toBe(false);
    expect(p.subscribeAllowed("_INBOX.abc.*", null)).toBe(true);
  });

  test("an empty publish allow list allows nothing, an empty subscribe one all", () => {
    const p = perms({ publish: { allow: [], deny: null }, subscribe: { allow: [], deny: null } });
    expect(p.publishAllowed("a")).toBe(false);
    expect(p.subscribeAllowed("a", null)).toBe(true);
    expect(p.checksPublish).toBe(true);
    expect(perms({}).checksPublish).toBe(false);
  });

  test("allow_responses turns off the blanket publish allow", () => {
    const p = perms({ response: { maxMsgs: 1, expiresMs: 1000 } });
    expect(p.publishAllowed("anything")).toBe(false);
    expect(p.toConfig().publish).toEqual({ allow: [], deny: null });
    const withDeny = perms({ publish: { allow: null, deny: ["x"] },
      response: { maxMsgs: 1, expiresMs: 1000 } });
    expect(withDeny.toConfig().publish).toEqual({ allow: [], deny: ["x"] });
  });

  test("deny-only lists allow everything else; queue entries qualify subscribe rules", () => {
    const p = perms({ publish: { allow: null, deny: [">"] },
      subscribe: { allow: ["work v1", "status"], deny: ["work.* v2"] } });
    expect(p.publishAllowed("a.b")).toBe(false);
    expect(p.subscribeAllowed("work", "v1")).toBe(true);
    expect(p.subscribeAllowed("work", null)).toBe(false);
    expect(p.subscribeAllowed("status", "v9")).toBe(true);
    expect(perms({ subscribe: { allow: null, deny: ["work.* v2"] } })
      .subscribeAllowed("work.a", "v2")).toBe(false);
  });
});

describe("ClientPermissions", () => {
  test("publish decisions are cached and the cache stays bounded", () => {
    const client = new ClientPermissions(perms({ publish: { allow: ["ok.>"], deny: null } }),
      at(0));
    for (let i = 0; i < PUBLISH_DECISIONS_MAX * 3; i++) {
      expect(client.publishAllowed(`ok.${i}`)).toBe(true);
      expect(client.publishAllowed(`no.${i}`)).toBe(false);
    }
  });

  test("publishAllowedBytes decides from bytes, reusing the last static decision", () => {
    const client = new ClientPermissions(perms({ publish: { allow: ["a"], deny: null } }), at(0));
    const buf = encoder.encode("xxaxxb");
    expect(client.publishAllowedBytes(buf, 2, 3)).toBe(true);
    expect(client.publishAllowedBytes(buf, 2, 3)).toBe(true);
    expect(client.publishAllowedBytes(buf, 5, 6)).toBe(false);
    expect(client.publishAllowedBytes(encoder.encode("a"), 0, 1)).toBe(true);
  });

  test("the delivery filter is armed only by a subscription a deny entry could overlap", () => {
    const compiled = perms({ subscribe: { allow: null, deny: ["foo.secret", "bar v2"] } });
    const literal = new ClientPermissions(compiled, at(0));
    expect(literal.subscribeAllowed("foo.public", null)).toBe(true);
    expect(literal.checksDelivery).toBe(false);
    const unrelated = new ClientPermissions(compiled, at(0));
    expect(unrelated.subscribeAllowed("baz.*", null)).toBe(true);
    expect(unrelated.checksDelivery).toBe(false);
    const wild = new ClientPermissions(compiled, at(0));
    expect(wild.subscribeAllowed("foo.*", null)).toBe(true);
    expect(wild.checksDelivery).toBe(true);
    expect(wild.deliveryDenied("foo.secret", null)).toBe(true);
    expect(wild.deliveryDenied("foo.secret", null)).toBe(true);
    expect(wild.deliveryDenied("foo.open", null)).toBe(false);
    const queued = new ClientPermissions(compiled, at(0));
    expect(queued.subscribeAllowed("bar", "v1")).toBe(true);
    expect(queued.checksDelivery).toBe(true);
    expect(queued.deliveryDenied("bar", "v2")).toBe(true);
    expect(queued.deliveryDenied("bar", "v1")).toBe(false);
  });

  test("allow_responses: a delivered reply may be published max times within expires", () => {
    const compiled = perms({ publish: { allow: ["svc.>"], deny: null },
      response: { maxMsgs: 2, expiresMs: 1000 } });
    const clock = at(0);
    const client = new ClientPermissions(compiled, clock);
    expect(client.checksDelivery).toBe(true);
    expect(client.publishAllowed("_INBOX.1")).toBe(false);
    clock.now = 10;
    client.recordReply("_INBOX.1");
    clock.now = 20;
    expect(client.publishAllowed("_INBOX.1")).toBe(true);
    expect(client.publishAllowed("_INBOX.1")).toBe(true);
    expect(client.publishAllowed("_INBOX.1")).toBe(false);
    clock.now = 100;
    client.recordReply("_INBOX.2");
    clock.now = 1101;
    expect(client.publishAllowed("_INBOX.2")).toBe(false);
    // A statically allowed reply is not tracked.
    client.recordReply("svc.reply");
    expect(client.trackedReplyCount).toBe(0);
  });

  test("tracked replies are pruned once used up or expired", () => {
    const clock = at(0);
    const client = new ClientPermissions(perms({ response: { maxMsgs: 1, expiresMs: 50 } }),
      clock);
    client.recordReply("r.1");
    client.recordReply("r.2");
    clock.now = 1;
    expect(client.publishAllowed("r.1")).toBe(true);
    expect(client.trackedReplyCount).toBe(2);
    clock.now = REPLY_PRUNE_INTERVAL_MS + 1;
    client.recordReply("r.3");
    // r.1 was used up, r.2 expired: only r.3 remains.
    expect(client.trackedReplyCount).toBe(1);
  });

  test("negative max and expires mean unlimited", () => {
    const clock = at(0);
    const client = new ClientPermissions(perms({ response: { maxMsgs: -1, expiresMs: -1 } }),
      clock);
    client.recordReply("r");
    for (let i = 0; i < 10; i++) {
      clock.now = i * 1e9;
      expect(client.publishAllowed("r")).toBe(true);
    }
  });
});
