/**
 * The $JS.API request router of one account: subscribes the registered API subjects (also in
 * their `$JS.<domain>.API` form), copies each request off the delivery path, runs the handlers
 * one at a time per account (so concurrent creates of one stream cannot interleave), sends the
 * response, counts API calls and errors, and publishes the API audit advisory. Handlers never
 * build error JSON: they return a response object whose `error` is an ApiError.
 * @module
 */
import type { Subscription } from "../../client/subscription.ts";
import type { InternalClient } from "../../server/internal_client.ts";
import { subjectMatchesPattern } from "../../subjects/subject.ts";
import { ApiError, apiError } from "./api_error.ts";
import { JSBadRequestErr } from "./errors_generated.ts";
import { goJson, type JsonValue } from "./go_json.ts";
import { systemError } from "./responses.ts";

export const API_PREFIX = "$JS.API";
export const AUDIT_SUBJECT = "$JS.EVENT.ADVISORY.API";
export const AUDIT_TYPE = "io.nats.jetstream.advisory.v1.api_audit";
/** A request body larger than this is not copied into the audit advisory. */
const AUDIT_REQUEST_BYTES_MAX = 64 * 1024;

/** One API request, copied off the delivery path. */
export interface ApiRequest {
  /** The subject in its `$JS.API.…` form (a domain prefix is removed). */
  readonly subject: string;
  /** `subject` split on `.`. */
  readonly tokens: readonly string[];
  readonly reply: string;
  readonly hdr: Uint8Array | null;
  readonly body: Uint8Array;
}

/** A response: the JSON object (starting with `type`), or null to stay silent. */
export type ApiResponse = Record<string, JsonValue> | null;

export type ApiHandler = (req: ApiRequest) => ApiResponse | Promise<ApiResponse>;

/** A route: a subscription pattern below $JS.API (e.g. "STREAM.>") and its handler. */
export interface ApiRoute {
  readonly pattern: string;
  readonly handler: ApiHandler;
}

/** What the router needs from its account. */
export interface RouterHost {
  readonly client: InternalClient;
  readonly domain: string;
  readonly serverName: string;
  readonly accountName: string;
  /** True when someone subscribes to `subject` in the account (skip unwanted advisories). */
  hasInterest(subject: string): boolean;
  newId(): string;
  nowRfc3339(): string;
  warn(message: string): void;
}

/** A response is an error response when its `error` is set. */
function isError(response: Record<string, JsonValue>): boolean {
  return response.error instanceof ApiError;
}

export class ApiRouter {
  readonly #host: RouterHost;
  readonly #subs = new Map<string, Subscription<InternalClient>[]>();
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  total = 0;
  errors = 0;
  /** Requests received and not yet answered. */
  inflight = 0;

  constructor(host: RouterHost) {
    this.#host = host;
  }

  readonly #routes: ApiRoute[] = [];

  /** Subscribes a route; requests run its handler. */
  add(route: ApiRoute): void {
    if (this.#subs.has(route.pattern)) return;
    this.#routes.push(route);
    this.#subscribe(route.pattern, route.handler);
  }

  /**
   * Answers requests under `pattern` that no route takes with nats-server's bad request
   * (system_response, 10003). Keep DIRECT.GET and CONSUMER.MSG.NEXT out of fallbacks: their
   * requesters rely on no responders when nothing serves them.
   */
  addFallback(pattern: string): void {
    if (this.#subs.has(pattern)) return;
    this.#subscribe(pattern, (req) => {
      const taken = this.#routes.some((r) =>
        subjectMatchesPattern(req.subject, `${API_PREFIX}.${r.pattern}`));
      return taken ? null : systemError(apiError(JSBadRequestErr));
    });
  }

  #subscribe(pattern: string, handler: ApiHandler): void {
    const subjects = [`${API_PREFIX}.${pattern}`];
    if (this.#host.domain !== "") subjects.push(`$JS.${this.#host.domain}.API.${pattern}`);
    this.#subs.set(pattern, subjects.map((subject) =>
      this.#host.client.subscribe(subject, (s, reply, hdr, body) =>
        this.#enqueue(handler, s, reply, hdr, body))));
  }

  #enqueue(handler: ApiHandler, subject: string, reply: string, hdr: Uint8Array | null,
    body: Uint8Array): void {
    if (this.#closed) return;
    const normalized = this.#normalize(subject);
    const req: ApiRequest = {
      subject: normalized,
      tokens: normalized.split("."),
      reply,
      hdr: hdr === null ? null : hdr.slice(),
      body: body.slice(),
    };
    this.inflight++;
    this.#queue = this.#queue.then(() => this.#run(handler, req));
  }

  #normalize(subject: string): string {
    const domain = this.#host.domain;
    const prefix = `$JS.${domain}.API`;
    if (domain !== "" && subject.startsWith(`${prefix}.`)) {
      return API_PREFIX + subject.slice(prefix.length);
    }
    return subject;
  }

  async #run(handler: ApiHandler, req: ApiRequest): Promise<void> {
    try {
      const response = await handler(req);
      if (response !== null) this.respond(req, response);
    } catch (error) {
      this.#host.warn(`JetStream API request on "${req.subject}" failed: ${
        (error as Error).stack ?? error}`);
    } finally {
      this.inflight--;
    }
  }

  /** Sends `response` to the requester, counts it, and publishes the audit advisory. */
  respond(req: ApiRequest, response: Record<string, JsonValue>): void {
    const text = goJson(response);
    this.total++;
    if (isError(response)) this.errors++;
    if (req.reply !== "") {
      this.#host.client.publish(req.reply, "", null, new TextEncoder().encode(text));
    }
    this.#audit(req, text);
  }

  #audit(req: ApiRequest, response: string): void {
    if (!this.#host.hasInterest(AUDIT_SUBJECT)) return;
    const request = req.body.length <= AUDIT_REQUEST_BYTES_MAX
      ? new TextDecoder().decode(req.body) : "";
    const advisory = {
      type: AUDIT_TYPE,
      id: this.#host.newId(),
      timestamp: this.#host.nowRfc3339(),
      server: this.#host.serverName,
      client: { acc: this.#host.accountName },
      subject: req.subject,
      request: request !== "" ? request : undefined,
      response,
      domain: this.#host.domain !== "" ? this.#host.domain : undefined,
    };
    this.#host.client.publish(AUDIT_SUBJECT, "", null, new TextEncoder().encode(goJson(advisory)));
  }

  /** Waits for the requests already received. */
  drain(): Promise<void> {
    return this.#queue;
  }

  /** Unsubscribes everything. */
  close(): void {
    this.#closed = true;
    for (const subs of this.#subs.values()) {
      for (const sub of subs) this.#host.client.unsubscribe(sub);
    }
    this.#subs.clear();
  }
}
