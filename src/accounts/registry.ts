/**
 * Builds the server's accounts from the options: one Account per `accounts {}` entry with its
 * limits and mappings, the global account's mappings (top-level `mappings`), the links between
 * accounts (links.ts), and the subscriptions that forward imported messages
 * (import_sinks.ts).
 * @module
 */
import { Subscription } from "../client/subscription.ts";
import { Account } from "./account.ts";
import {
  type ForwardingDeps, ResponseRouter, ServiceImportSink, StreamImportSink,
} from "./import_sinks.ts";
import { addServiceImport, linkAccounts } from "./links.ts";
import { SubjectMapper } from "./mappings.ts";
import type { AccountConfig, MappingConfig } from "./types.ts";

export interface AccountOptions {
  accounts: readonly AccountConfig[];
  /** Top-level mappings: the global account's. */
  mappings: readonly MappingConfig[];
  noSublistCache: boolean;
}

export interface RegistryDeps {
  nowMs(): number;
  /** Problems a config file would have reported at load (options built in code). */
  warn(message: string): void;
}

/** The accounts by name, global account included, ready to route. */
export class AccountRegistry {
  readonly accounts = new Map<string, Account>();
  readonly #routers = new Map<Account, ResponseRouter>();
  readonly #forwarding: ForwardingDeps;

  constructor(readonly global: Account, options: AccountOptions, deps: RegistryDeps) {
    this.#forwarding = { nowMs: () => deps.nowMs(), routerOf: (a) => this.routerOf(a) };
    this.accounts.set(global.name, global);
    global.mappings = options.mappings.length > 0 ? new SubjectMapper(options.mappings) : null;
    for (const config of options.accounts) {
      const account = new Account(config.name, { sublistCacheEnabled: !options.noSublistCache });
      account.limits = { ...config.limits };
      account.mappings = config.mappings.length > 0 ? new SubjectMapper(config.mappings) : null;
      this.accounts.set(config.name, account);
    }
    const { links, errors } = linkAccounts(options.accounts);
    for (const error of errors) deps.warn(error);
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
    const sub = new Subscription(sink, link.from, null, sid);
    importer.sublist.insert(sub as unknown as Subscription);
  }

  #wireImports(importer: Account): void {
    let sid = 1;
    for (const link of importer.links.streamImports) {
      const exporter = this.accounts.get(link.exporter.name)!;
      const sink = new StreamImportSink(link, importer);
      const sub = new Subscription(sink, link.from, null, `si${sid++}`);
      exporter.sublist.insert(sub as unknown as Subscription);
    }
    for (const link of importer.links.serviceImports) {
      const exporter = this.accounts.get(link.exporter.name)!;
      const sink = new ServiceImportSink(link, importer, exporter, this.#forwarding);
      const sub = new Subscription(sink, link.from, null, `si${sid++}`);
      importer.sublist.insert(sub as unknown as Subscription);
    }
  }
}
