/**
 * Exports and imports between accounts, as nats-server's accounts.go adds and checks them:
 * who may import what (public exports, `accounts: [...]` lists, `account_token_position`),
 * prefixes and subject transforms of imports, duplicates, and import cycles. Pure data: the
 * server wires the runtime forwarding (import_sinks.ts) from the links built here, and the
 * config loader builds them on scratch objects to report problems at load time.
 * Error texts are nats-server's.
 * @module
 */
import { subjectsCollide } from "../auth/subject_patterns.ts";
import { isLiteralSubject, isValidSubject, subjectIsSubsetOf } from "../subjects/subject.ts";
import {
  SubjectTransform, TransformError, tokenizeWildcards, untokenizeWildcards,
} from "./subject_transform.ts";
import type { AccountConfig, ResponseType } from "./types.ts";

/** Go's MaxAccountCycleSearchDepth. */
export const CYCLE_SEARCH_ACCOUNTS_MAX = 1024;
/** Go's DEFAULT_SERVICE_EXPORT_RESPONSE_THRESHOLD. */
export const RESPONSE_THRESHOLD_MS_DEFAULT = 2 * 60 * 1000;

export const LinkErrorText = {
  missingAccount: "account missing",
  invalidSubject: "sublist: invalid subject",
  streamNotAuthorized: "stream import not authorized",
  streamBadPrefix: "stream import prefix can not contain wildcard tokens",
  streamDuplicate: "stream import already exists",
  serviceNotAuthorized: "service import not authorized",
  cycle: "import forms a cycle",
  cycleDepth: "search cycle depth exhausted",
} as const;

export class LinkError extends Error {
  override name = "LinkError";
}

/** Who may import an export: null approved = public (unless a token position is set). */
export interface ExportAuth {
  approved: ReadonlySet<string> | null;
  /** An empty `accounts` list: an activation token is required (JWT only). */
  tokenRequired: boolean;
  accountTokenPosition: number;
}

export interface ServiceExport extends ExportAuth {
  subject: string;
  responseType: ResponseType;
  responseThresholdMs: number;
}

export interface StreamImportLink {
  exporter: AccountLinks;
  /** Subject in the exporting account. */
  from: string;
  /** Subject in the importing account (literal or the untokenized pattern). */
  to: string;
  transform: SubjectTransform | null;
  /** Deliver under the published subject (wildcard imports without renaming). */
  usePublished: boolean;
}

export interface ServiceImportLink {
  exporter: AccountLinks;
  /** Subject requests are published to in the importing account. */
  from: string;
  /** Subject in the exporting account. */
  to: string;
  transform: SubjectTransform | null;
  usePublished: boolean;
  share: boolean;
  export: ServiceExport | null;
  responseType: ResponseType;
}

export class AccountLinks {
  readonly streamExports = new Map<string, ExportAuth | null>();
  readonly serviceExports = new Map<string, ServiceExport>();
  readonly streamImports: StreamImportLink[] = [];
  readonly serviceImports: ServiceImportLink[] = [];

  constructor(readonly name: string) {}

  /** Go's getServiceExport: by exact subject, else the first wildcard export covering it. */
  serviceExportFor(subject: string): ServiceExport | null {
    const exact = this.serviceExports.get(subject);
    if (exact !== undefined) return exact;
    for (const [pattern, se] of this.serviceExports) {
      if (subjectIsSubsetOf(subject, pattern)) return se;
    }
    return null;
  }
}

function exportAuth(subject: string, accounts: readonly string[] | null,
  tokenPosition: number): ExportAuth {
  if (tokenPosition > 0) {
    const tokens = subject.split(".");
    if (tokens.length < tokenPosition || tokens[tokenPosition - 1] !== "*") {
      throw new LinkError(LinkErrorText.invalidSubject);
    }
  }
  return {
    approved: accounts === null || accounts.length === 0 ? null : new Set(accounts),
    tokenRequired: accounts !== null && accounts.length === 0,
    accountTokenPosition: tokenPosition,
  };
}

export function addStreamExport(links: AccountLinks, subject: string,
  accounts: readonly string[] | null, tokenPosition = 0): void {
  const auth = accounts !== null || tokenPosition > 0
    ? exportAuth(subject, accounts, tokenPosition) : null;
  links.streamExports.set(subject, auth);
}

export function addServiceExport(links: AccountLinks, subject: string,
  options: { responseType: ResponseType; accounts: readonly string[] | null;
    tokenPosition?: number; responseThresholdMs?: number }): void {
  const tokenPosition = options.tokenPosition ?? 0;
  const auth = options.accounts !== null || tokenPosition > 0
    ? exportAuth(subject, options.accounts, tokenPosition)
    : { approved: null, tokenRequired: false, accountTokenPosition: 0 };
  const threshold = options.responseThresholdMs ?? 0;
  links.serviceExports.set(subject, { ...auth, subject, responseType: options.responseType,
    responseThresholdMs: threshold > 0 ? threshold : RESPONSE_THRESHOLD_MS_DEFAULT });
}

/** Go's checkAuth (without activation tokens: natsd has no JWT accounts). */
function authorized(auth: ExportAuth | null, importer: string, tokens: string[] | null): boolean {
  if (auth === null) return true;
  if (auth.approved === null && !auth.tokenRequired && auth.accountTokenPosition === 0) {
    return true;
  }
  if (auth.accountTokenPosition > 0) {
    return tokens !== null && auth.accountTokenPosition <= tokens.length &&
      tokens[auth.accountTokenPosition - 1] === importer;
  }
  if (auth.tokenRequired) return false;
  return auth.approved?.has(importer) ?? false;
}

/** Go's checkStreamExportApproved / checkServiceExportApproved. */
function exportApproved<T extends ExportAuth | null>(exports: ReadonlyMap<string, T>,
  importer: string, subject: string): boolean {
  if (exports.has(subject)) return authorized(exports.get(subject)!, importer, null);
  const tokens = subject.split(".");
  for (const [pattern, auth] of exports) {
    if (subjectIsSubsetOf(subject, pattern)) return authorized(auth, importer, tokens);
  }
  return false;
}

export function streamImportAuthorized(exporter: AccountLinks, importer: string,
  subject: string): boolean {
  return exporter.streamExports.size > 0 && isValidSubject(subject) &&
    exportApproved(exporter.streamExports, importer, subject);
}

export function serviceImportAuthorized(exporter: AccountLinks, importer: string,
  subject: string): boolean {
  return exporter.serviceExports.size > 0 &&
    exportApproved(exporter.serviceExports, importer, subject);
}

function checkStreamCycles(account: AccountLinks, to: string, visited: Set<string>): void {
  if (visited.size >= CYCLE_SEARCH_ACCOUNTS_MAX) throw new LinkError(LinkErrorText.cycleDepth);
  const exported = [...account.streamExports.keys()].some((s) => subjectIsSubsetOf(to, s));
  if (!exported) return;
  for (const si of account.streamImports) {
    if (!subjectsCollide(to, si.to)) continue;
    if (visited.has(si.exporter.name)) throw new LinkError(LinkErrorText.cycle);
    visited.add(account.name);
    checkStreamCycles(si.exporter, subjectIsSubsetOf(si.to, to) ? si.to : to, visited);
  }
}

function checkServiceCycles(account: AccountLinks, from: string, visited: Set<string>): void {
  if (visited.size >= CYCLE_SEARCH_ACCOUNTS_MAX) throw new LinkError(LinkErrorText.cycleDepth);
  for (const si of account.serviceImports) {
    if (!subjectsCollide(from, si.to)) continue;
    if (visited.has(si.exporter.name)) throw new LinkError(LinkErrorText.cycle);
    visited.add(account.name);
    checkServiceCycles(si.exporter, subjectIsSubsetOf(si.from, from) ? si.from : from, visited);
  }
}

/** Go's addStreamImportWithClaim: `prefix` (literal) is prepended to the exported subject. */
export function addStreamImport(importer: AccountLinks, exporter: AccountLinks, from: string,
  prefix: string): void {
  if (!streamImportAuthorized(exporter, importer.name, from)) {
    throw new LinkError(LinkErrorText.streamNotAuthorized);
  }
  let pre = prefix;
  if (pre !== "") {
    if (!isLiteralSubject(pre)) throw new LinkError(LinkErrorText.streamBadPrefix);
    if (!pre.endsWith(".")) pre += ".";
  }
  addMappedStreamImport(importer, exporter, from, pre + from);
}

/** Go's addMappedStreamImportWithClaim: the exported `from` appears as `to` here. */
export function addMappedStreamImport(importer: AccountLinks, exporter: AccountLinks,
  from: string, toSubject: string): void {
  if (!streamImportAuthorized(exporter, importer.name, from)) {
    throw new LinkError(LinkErrorText.streamNotAuthorized);
  }
  let to = toSubject === "" ? from : toSubject;
  checkStreamCycles(exporter, to, new Set([importer.name]));
  checkStreamCycles(exporter, from, new Set([importer.name]));
  let transform: SubjectTransform | null = null;
  let usePublished = false;
  if (!isLiteralSubject(from)) {
    if (to === from) {
      usePublished = true;
    } else {
      transform = strictTransform(from, tokenizeWildcards(to), "stream", to);
      to = untokenizeWildcards(to).subject;
    }
  }
  if (importer.streamImports.some((si) => si.exporter === exporter && si.from === from)) {
    throw new LinkError(LinkErrorText.streamDuplicate);
  }
  importer.streamImports.push({ exporter, from, to, transform, usePublished });
}

function strictTransform(source: string, destination: string, kind: "stream" | "service",
  shown: string): SubjectTransform {
  try {
    return SubjectTransform.create(source, destination, { strict: true });
  } catch (error) {
    if (!(error instanceof TransformError)) throw error;
    const [a, b] = kind === "stream" ? [source, shown] : [shown, source];
    throw new LinkError(`failed to create mapping transform for ${kind} import subject from ` +
      `${JSON.stringify(a)} to ${JSON.stringify(b)}: ${error.message}`);
  }
}

/**
 * Go's addServiceImportWithClaim: requests published to `from` here go to `to` in the
 * exporting account. `internal` imports (the server's own) skip the authorization check.
 */
export function addServiceImport(importer: AccountLinks, exporter: AccountLinks,
  fromSubject: string, toSubject: string, share = false, internal = false): ServiceImportLink {
  let to = toSubject === "" ? fromSubject : toSubject;
  let from = fromSubject;
  if (!isValidSubject(from) || !isValidSubject(to)) {
    throw new LinkError(LinkErrorText.invalidSubject);
  }
  // The server's own imports (system services) need no export to allow them.
  if (!internal && !serviceImportAuthorized(exporter, importer.name, to)) {
    throw new LinkError(LinkErrorText.serviceNotAuthorized);
  }
  const fromForCycles = isLiteralSubject(to) ? from : untokenizeWildcards(from).subject;
  checkServiceCycles(exporter, fromForCycles, new Set([importer.name]));
  const se = exporter.serviceExportFor(to);
  const dup = importer.serviceImports.find((si) => si.exporter === exporter && si.from === from);
  if (dup !== undefined) {
    throw new LinkError(`duplicate service import subject ${JSON.stringify(from)}, previously ` +
      `used in import for account ${JSON.stringify(exporter.name)}, subject ` +
      JSON.stringify(dup.to));
  }
  let transform: SubjectTransform | null = null;
  let usePublished = false;
  if (!isLiteralSubject(to)) {
    if (to === from) {
      usePublished = true;
    } else {
      to = untokenizeWildcards(to).subject;
      const forward = strictTransform(to, tokenizeWildcards(from), "service", from);
      from = untokenizeWildcards(from).subject;
      transform = forward.reverse();
    }
  }
  const link: ServiceImportLink = { exporter, from, to, transform, usePublished, share,
    export: se, responseType: se?.responseType ?? "Singleton" };
  importer.serviceImports.push(link);
  return link;
}

/**
 * Builds the links of every configured account in nats-server's order (stream exports,
 * service exports, stream imports, service imports). Problems are returned as nats-server's
 * config error texts; the faulty link is skipped.
 */
export function linkAccounts(configs: readonly AccountConfig[]):
  { links: Map<string, AccountLinks>; errors: string[] } {
  const links = new Map<string, AccountLinks>(configs.map((c) => [c.name,
    new AccountLinks(c.name)]));
  const errors: string[] = [];
  const known = (names: string[] | null, what: string): string[] | null => {
    if (names === null) return null;
    return names.filter((n) => {
      if (links.has(n)) return true;
      errors.push(`${JSON.stringify(n)} account not defined for ${what}`);
      return false;
    });
  };
  const attempt = (prefix: string, work: () => void) => {
    try {
      work();
    } catch (error) {
      if (!(error instanceof LinkError)) throw error;
      errors.push(`${prefix}: ${error.message}`);
    }
  };
  for (const c of configs) {
    for (const e of c.streamExports) {
      const accounts = known(e.accounts, "stream export");
      attempt(`Error adding stream export ${JSON.stringify(e.subject)}`, () =>
        addStreamExport(links.get(c.name)!, e.subject, accounts, e.accountTokenPosition));
    }
  }
  for (const c of configs) {
    for (const e of c.serviceExports) {
      const accounts = known(e.accounts, "service export");
      attempt(`Error adding service export ${JSON.stringify(e.subject)}`, () =>
        addServiceExport(links.get(c.name)!, e.subject, { responseType: e.responseType,
          accounts, tokenPosition: e.accountTokenPosition,
          responseThresholdMs: e.responseThresholdMs }));
    }
  }
  for (const c of configs) {
    for (const i of c.streamImports) {
      const exporter = links.get(i.account);
      if (exporter === undefined) {
        errors.push(`${JSON.stringify(i.account)} account not defined for stream import`);
        continue;
      }
      attempt(`Error adding stream import ${JSON.stringify(i.subject)}`, () => (i.prefix !== ""
        ? addStreamImport(links.get(c.name)!, exporter, i.subject, i.prefix)
        : addMappedStreamImport(links.get(c.name)!, exporter, i.subject, i.to)));
    }
  }
  for (const c of configs) {
    for (const i of c.serviceImports) {
      const exporter = links.get(i.account);
      if (exporter === undefined) {
        errors.push(`${JSON.stringify(i.account)} account not defined for service import`);
        continue;
      }
      attempt(`Error adding service import ${JSON.stringify(i.subject)}`, () =>
        addServiceImport(links.get(c.name)!, exporter, i.to, i.subject, i.share));
    }
  }
  return { links, errors };
}
