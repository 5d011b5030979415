/**
 * Maps monitoring requests to endpoints and endpoint replies to HTTP responses the way
 * nats-server's ServeMux does: exact paths under `http_base_path`, the index only at the base
 * itself, 400 with a plain-text reason for bad parameters, Go's 404 page, JSON with CORS or
 * JSONP (`callback=`), and per-endpoint request counts for /varz `http_req_stats`.
 * @module
 */
import { goJson } from "./go_json.ts";
import { BadQueryError, Query } from "./query.ts";
import { NOT_FOUND, type Reply, text } from "./reply.ts";

/** What a handler gets: the query, and `count()` to record the request where Go does. */
export interface RequestContext {
  query: Query;
  count(): void;
}

export interface Route {
  /** The endpoint path without base path ("/varz"); the http_req_stats key. */
  path: string;
  handle(ctx: RequestContext): Reply;
}

/** A JavaScript identifier path: JSONP callbacks are restricted to these. */
const CALLBACK_PATTERN = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

/** nats-server's normalisation: leading slash, clean path, "" becomes "/". */
export function normalizeBasePath(base: string): string {
  const withSlash = base.startsWith("/") ? base : `/${base}`;
  const parts: string[] = [];
  for (const part of withSlash.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

export function joinPath(base: string, path: string): string {
  return normalizeBasePath(`${base}/${path}`);
}

export class Router {
  readonly #routes = new Map<string, Route>();
  readonly #requestCounts = new Map<string, number>();
  readonly basePath: string;

  constructor(basePath: string, routes: Route[]) {
    this.basePath = normalizeBasePath(basePath);
    for (const route of routes) {
      const full = route.path === "/" ? this.basePath : joinPath(this.basePath, route.path);
      this.#routes.set(full, route);
    }
  }

  /** Requests per endpoint so far (Go's http_req_stats). */
  get requestCounts(): ReadonlyMap<string, number> {
    return this.#requestCounts;
  }

  /** Records one request for the http_req_stats key `path`. */
  count(path: string): void {
    this.#requestCounts.set(path, (this.#requestCounts.get(path) ?? 0) + 1);
  }

  handle(url: URL): Response {
    const clean = cleanRequestPath(url.pathname);
    if (clean !== url.pathname) return movedPermanently(clean + url.search);
    const route = this.#routes.get(url.pathname);
    if (!route) return toResponse(NOT_FOUND, url);
    const ctx: RequestContext = {
      query: new Query(url.searchParams),
      count: () => this.count(route.path),
    };
    try {
      return toResponse(route.handle(ctx), url);
    } catch (error) {
      if (error instanceof BadQueryError) return toResponse(text(400, error.message), url);
      throw error;
    }
  }
}

/** Go's ServeMux cleaning: like normalizeBasePath, but a trailing slash is kept. */
export function cleanRequestPath(path: string): string {
  const clean = normalizeBasePath(path);
  return path.endsWith("/") && clean !== "/" ? `${clean}/` : clean;
}

/** Go's ServeMux answer for an unclean path ("//varz" -> "/varz"). */
function movedPermanently(location: string): Response {
  const escaped = location.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&#34;");
  return new Response(`<a href="${escaped}">Moved Permanently</a>.\n\n`, {
    status: 301,
    headers: { "Content-Type": "text/html; charset=utf-8", Location: location },
  });
}

function toResponse(reply: Reply, url: URL): Response {
  switch (reply.kind) {
    case "text": {
      const headers: Record<string, string> = { "Content-Type": "text/plain; charset=utf-8" };
      if (reply.status === 404) headers["X-Content-Type-Options"] = "nosniff";
      return new Response(reply.body, { status: reply.status, headers });
    }
    case "page":
      return new Response(reply.body, { headers: { "Content-Type": reply.contentType } });
    case "json": {
      const body = goJson(reply.value, reply.indent ?? "  ");
      const status = reply.status ?? 200;
      const callback = url.searchParams.get("callback") ?? "";
      if (callback !== "" && CALLBACK_PATTERN.test(callback)) {
        return new Response(`${callback}(${body})`, {
          status, headers: { "Content-Type": "application/javascript" },
        });
      }
      return new Response(body, {
        status,
        headers: { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*" },
      });
    }
  }
}
