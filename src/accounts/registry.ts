/**
 * Builds the server's accounts from the options: one Account per `accounts {}` entry with its
 * limits and mappings, the global account's mappings (top-level `mappings`), the links between
 * accounts (links.ts), and the subscriptions that forward imported messages
 * (import_sinks.ts). A reload updates accounts in place (clients stay bound to the same
 * objects), drops removed ones and rebuilds every link.
 * @module
 */
import { Subscription } from "../client/subscription.ts";
import { Account } from "./account.ts";
import {
  type ForwardingDeps, ResponseRouter, ServiceImportSink, StreamImportSink,
} from "./import_sinks.ts";
import { AccountLinks, addServiceImport, linkAccounts } from "./links.ts";
import { SubjectMapper } from "./mappings.ts";
import { type AccountConfig, type MappingConfig, unlimited } from "./types.ts";

export interface AccountOptions {
  accounts: readonly AccountConfig[];
  /** Top-level mappings: the global account's. */
  mappings: readonly MappingConfig[];
  noSublistCache: boolean;
  /** The server's cluster name: selects cluster-scoped mapping destinations ("" for none). */
  clusterName?: string;
}

export interface RegistryDeps {
  nowMs(): number;
  /** Problems a config file would have reported at load (options built in code). */
  warn(message: string): void;
}

interface Wired {
  account: Account;
  sub: Subscription;
}

/** The accounts by name, global account included, ready to route. */
export class AccountRegistry {
  readonly accounts = new Map<string, Account>();
  readonly #routers = new Map<Account, ResponseRouter>();
  readonly #forwarding: ForwardingDeps;
  /** Accounts kept whatever the config says (the global and system accounts). */
  readonly #adopted = new Set<Account>();
  /** Every import subscription wired, so a reload can take them all out. */
  #wired: Wired[] = [];

  constructor(readonly global: Account, options: AccountOptions, readonly deps: RegistryDeps) {
    this.#forwarding = { nowMs: () => deps.nowMs(), routerOf: (a) => this.routerOf(a) };
    this.adopt(global);
    this.#apply(options);
  }

  /** Keeps `account` across reloads though no config names it (e.g. the default `$SYS`). */
  adopt(account: Account): void {
    this.#adopted.add(account);
    this.accounts.set(account.name, account);
  }

  /**
   * Applies reloaded options: changed accounts are updated in place, new ones created,
   * removed ones dropped (returned, for the caller to forget), every link rebuilt.
   */
  reload(options: AccountOptions): Account[] {
    for (const { account, sub } of this.#wired) account.sublist.remove(sub);
    this.#wired = [];
    const named = new Set(options.accounts.map((c) => c.name));
    const removed: Account[] = [];
    for (const [name, account] of this.accounts) {
      if (this.#adopted.has(account) || named.has(name)) continue;
      this.accounts.delete(name);
      removed.push(account);
    }
    this.#apply(options);
    return removed;
  }

  #apply(options: AccountOptions): void {
    const global = this.global;
    const clusterName = options.clusterName ?? "";
    global.mappings = options.mappings.length > 0
      ? new SubjectMapper(options.mappings, Math.random, clusterName) : null;
    for (const account of this.#adopted) {
      account.links = new AccountLinks(account.name);
      if (account !== global) account.mappings = null;
    }
    for (const config of options.accounts) {
      let account = this.accounts.get(config.name);
      if (account === undefined) {
        account = new Account(config.name, { sublistCacheEnabled: !options.noSublistCache });
        this.accounts.set(config.name, account);
      }
      account.limits = { ...unlimited(), ...config.limits };
      account.mappings = config.mappings.length > 0
        ? new SubjectMapper(config.mappings, Math.random, clusterName) : null;
    }
    const { links, errors } = linkAccounts(options.accounts);
    for (const error of errors) this.deps.warn(error);
    for (const [name, accountLinks] of links) this.accounts.get(name)!.links = accountLinks;
    for (const account of this.accounts.values()) this.#wireImports(account);
  }

  /** The response router of `account`, created on first use. */
  routerOf(account: Account): ResponseRouter {
    let router = this.#routers.get(account);
    if (router === undefined) {
      router = new ResponseRouter(account, this.#forwarding);
      this.#routers.set(account, router);
    }
    return router;
  }

  /** Requests in flight whose responses `account` would route back. */
  pendingResponses(account: Account): number {
    return this.#routers.get(account)?.pending ?? 0;
  }

  /** Adds a service import at run time (the system account's per-account services). */
  importService(importer: Account, exporter: Account, from: string, to: string,
    options: { share?: boolean; internal?: boolean } = {}): void {
    const link = addServiceImport(importer.links, exporter.links, from, to,
      options.share === true, options.internal === true);
    const sink = new ServiceImportSink(link, importer, exporter, this.#forwarding);
    const sid = `si${importer.links.serviceImports.length}`;
    this.#wire(importer, new Subscription(sink, link.from, null, sid));
  }

  #wire(account: Account, sub: Subscription<StreamImportSink | ServiceImportSink>): void {
    const plain = sub as unknown as Subscription;
    account.sublist.insert(plain);
    this.#wired.push({ account, sub: plain });
  }

  #wireImports(importer: Account): void {
    let sid = 1;
    for (const link of importer.links.streamImports) {
      const exporter = this.accounts.get(link.exporter.name)!;
      const sink = new StreamImportSink(link, importer);
      this.#wire(exporter, new Subscription(sink, link.from, null, `si${sid++}`));
    }
    for (const link of importer.links.serviceImports) {
      const exporter = this.accounts.get(link.exporter.name)!;
      const sink = new ServiceImportSink(link, importer, exporter, this.#forwarding);
      this.#wire(importer, new Subscription(sink, link.from, null, `si${sid++}`));
    }
  }
}
