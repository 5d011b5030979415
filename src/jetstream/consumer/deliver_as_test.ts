import { describe, expect, test } from "bun:test";
import { Account } from "../../accounts/account.ts";
import { InternalClient, InternalKind } from "../../server/internal_client.ts";
import { deliverAs, hasInterest } from "./deliver_as.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

describe("deliverAs", () => {
  test("routes by the delivery subject and shows the stream subject, headers intact", () => {
    const account = new Account("A");
    const client = new InternalClient(1, account, InternalKind.account);
    const got: string[] = [];
    client.subscribe("inbox.1", (s, r, h, b) =>
      got.push(`${s}|${r}|${h === null ? "" : dec.decode(h)}|${dec.decode(b)}`));
    const hdr = enc.encode("NATS/1.0\r\nA: 1\r\n\r\n");
    expect(deliverAs(account, { to: "inbox.1", subject: "orders.new", reply: "$JS.ACK.x",
      hdr, payload: enc.encode("body") })).toBe(true);
    expect(got).toEqual(["orders.new|$JS.ACK.x|NATS/1.0\r\nA: 1\r\n\r\n|body"]);
    deliverAs(account, { to: "inbox.1", subject: "größe.€", reply: "r.ü",
      hdr: new Uint8Array(0), payload: enc.encode("x") });
    expect(got[1]).toBe("größe.€|r.ü||x");
  });

  test("a queue group gets one copy; nobody listening is false", () => {
    const account = new Account("A");
    const client = new InternalClient(1, account, InternalKind.account);
    let count = 0;
    for (let i = 0; i < 3; i++) client.subscribe("grp", () => count++, "q");
    client.subscribe("grp", () => count++);
    const msg = { to: "grp", subject: "s", reply: "", hdr: new Uint8Array(0),
      payload: new Uint8Array(0) };
    expect(deliverAs(account, msg, () => 0.5)).toBe(true);
    expect(count).toBe(2);
    expect(deliverAs(account, { ...msg, to: "nobody" })).toBe(false);
    expect([hasInterest(account, "grp"), hasInterest(account, "nobody")]).toEqual([true, false]);
  });
});
