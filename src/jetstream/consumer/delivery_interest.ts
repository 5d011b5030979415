/**
 * Push consumer interest as nats-server decides it (sublist registerNotification): a push
 * consumer is active while a subscription on exactly its deliver subject exists, a plain one when
 * it has no deliver_group, a member of that queue group when it has one. Wildcard subscriptions
 * and other queue groups do not count. Interest may come through a stream import: the exporter's
 * import subscription counts when the importing account has interest in the mapped subject
 * (nats-server's shadow subscriptions).
 *
 * Changes are notified, not polled: every account's sublist reports inserts and removes
 * (`Sublist.onChange`), and a watcher registered for a subject is told when a subscription on
 * exactly that subject comes or goes, in whichever account (a false alarm costs one re-check).
 * @module
 */
import type { Account } from "../../accounts/account.ts";
import {
  IMPORT_HOPS_MAX, ResponseRouter, StreamImportSink,
} from "../../accounts/import_sinks.ts";
import type { Subscription } from "../../client/subscription.ts";

/** Where interest was looked for: the subjects whose subscriptions decide it. */
export interface InterestProbe {
  interest: boolean;
  /** The deliver subject and every subject it maps to through stream imports. */
  subjects: string[];
  /** The accounts those subjects were looked up in. */
  accounts: Account[];
}

/** The subject a stream import delivers `subject` to in the importing account. */
function importedSubject(sink: StreamImportSink, subject: string): string {
  const link = sink.link;
  if (link.transform !== null) return link.transform.transform(subject);
  return link.usePublished ? subject : link.to;
}

/** Whether `subject` (with `group`) has push interest in `account`, and what decided it. */
export function deliveryInterest(account: Account, subject: string, group: string):
  InterestProbe {
  const probe: InterestProbe = { interest: false, subjects: [], accounts: [] };
  // An explicit stack: imports chain across accounts, bounded by the forwarding hop limit.
  const stack: Array<{ account: Account; subject: string; hops: number }> =
    [{ account, subject, hops: 0 }];
  while (stack.length > 0) {
    const at = stack.pop()!;
    probe.subjects.push(at.subject);
    probe.accounts.push(at.account);
    const result = at.account.sublist.match(at.subject);
    if (group !== "") {
      for (const members of result.qsubs) {
        const first = members[0];
        if (first.subject === at.subject && first.queue === group) probe.interest = true;
      }
    }
    for (const sub of result.psubs) {
      const owner = (sub as Subscription).owner as unknown;
      if (owner instanceof StreamImportSink) {
        if (at.hops < IMPORT_HOPS_MAX) {
          const mapped = importedSubject(owner, at.subject);
          stack.push({ account: owner.importer, subject: mapped, hops: at.hops + 1 });
        }
      } else if (group === "" && sub.subject === at.subject) {
        probe.interest = true;
      }
    }
  }
  return probe;
}

const RESPONSE_PREFIX = "_R_.";

/**
 * Where a reply subject really leads: an `_R_` reply of a service import is followed back to the
 * requester's account and reply (nats-server trackDownAccountAndInterest); null when `reply` is
 * not such a reply.
 */
export function trackDownReply(account: Account, reply: string):
  { account: Account; subject: string } | null {
  let at: { account: Account; subject: string } | null = null;
  let subject = reply;
  let acc = account;
  for (let hops = 0; hops < IMPORT_HOPS_MAX && subject.startsWith(RESPONSE_PREFIX); hops++) {
    let next: { account: Account; subject: string } | null = null;
    for (const sub of acc.sublist.match(subject).psubs) {
      const owner = (sub as Subscription).owner as unknown;
      if (owner instanceof ResponseRouter) next = owner.destination(subject);
      if (next !== null) break;
    }
    if (next === null) break;
    at = next;
    acc = next.account;
    subject = next.subject;
  }
  return at;
}

/** Interest in a pull request's reply, in the requester's account when it came via an import. */
export function replyInterest(account: Account, reply: string): boolean {
  const origin = trackDownReply(account, reply);
  const target = origin ?? { account, subject: reply };
  const result = target.account.sublist.match(target.subject);
  return result.psubs.length > 0 || result.qsubs.length > 0;
}

type Watcher = () => void;

/** Watchers by subject, for every account (subjects are compared, accounts are not). */
const watchers = new Map<string, Set<Watcher>>();
const hooked = new WeakSet<Account>();

function notify(sub: { subject: string }): void {
  const set = watchers.get(sub.subject);
  if (set === undefined) return;
  for (const w of [...set]) w();
}

/** Makes `account`'s sublist report changes to the watchers (once per account). */
export function hookAccount(account: Account): void {
  if (hooked.has(account)) return;
  hooked.add(account);
  const previous = account.sublist.onChange;
  account.sublist.onChange = previous === null ? notify : (sub) => {
    previous(sub);
    notify(sub);
  };
}

/**
 * Registers `watcher` for changes on `subjects` (replacing what it watched before); the
 * accounts holding those subjects must be hooked. Returns the subjects now watched.
 */
export function watchSubjects(watcher: Watcher, before: readonly string[],
  subjects: readonly string[]): string[] {
  unwatchSubjects(watcher, before);
  for (const subject of subjects) {
    let set = watchers.get(subject);
    if (set === undefined) watchers.set(subject, set = new Set());
    set.add(watcher);
  }
  return [...subjects];
}

export function unwatchSubjects(watcher: Watcher, subjects: readonly string[]): void {
  for (const subject of subjects) {
    const set = watchers.get(subject);
    if (set === undefined) continue;
    set.delete(watcher);
    if (set.size === 0) watchers.delete(subject);
  }
}

/** How many subjects are watched (tests check nothing leaks). */
export function watchedSubjectCount(): number {
  return watchers.size;
}
