/**
 * Drives headless Chromium (Debian's `chromium`) over the DevTools protocol for page tests:
 * opens a URL, records console errors and uncaught exceptions, and evaluates expressions.
 * Waits are on browser events and awaited page promises, never on timers.
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";

export const CHROMIUM = Bun.which("chromium") ?? Bun.which("chromium-browser");

interface CdpMessage {
  id?: number;
  method?: string;
  // DevTools results and events are open-ended JSON.
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
}

export class HeadlessPage {
  /** Console errors, uncaught exceptions and failed loads, as text. */
  readonly problems: string[] = [];
  #nextId = 1;
  #pending = new Map<number, (message: CdpMessage) => void>();
  #loadWaiters: (() => void)[] = [];

  private constructor(
    private readonly browser: Subprocess, private readonly socket: WebSocket,
    private readonly profileDir: string,
  ) {}

  static async open(url: string): Promise<HeadlessPage> {
    if (!CHROMIUM) throw new Error("chromium is not installed");
    const profileDir = mkdtempSync(join(tmpdir(), "natsd-chromium-"));
    const browser = Bun.spawn([
      CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--no-default-browser-check", "--disable-extensions", "--remote-debugging-port=0",
      `--user-data-dir=${profileDir}`, "about:blank",
    ], { stdout: "ignore", stderr: "pipe" });
    const endpoint = await devtoolsEndpoint(browser.stderr as ReadableStream<Uint8Array>);
    const targets = await (await fetch(`http://${endpoint}/json/list`)).json() as
      { type: string; webSocketDebuggerUrl: string }[];
    const target = targets.find((t) => t.type === "page");
    if (!target) throw new Error("no page target in headless chromium");
    const socket = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      socket.addEventListener("open", resolve, { once: true });
      socket.addEventListener("error", reject, { once: true });
    });
    const page = new HeadlessPage(browser, socket, profileDir);
    socket.addEventListener("message", (event) => page.#onMessage(String(event.data)));
    await page.send("Runtime.enable");
    await page.send("Log.enable");
    await page.send("Page.enable");
    const loaded = page.#nextLoad();
    await page.send("Page.navigate", { url });
    await loaded;
    return page;
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<CdpMessage> {
    const id = this.#nextId++;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve) => this.#pending.set(id, resolve));
  }

  /** Evaluates `expression` in the page, awaiting it if it is a promise. */
  async evaluate<T>(expression: string): Promise<T> {
    const reply = await this.send("Runtime.evaluate", {
      expression, awaitPromise: true, returnByValue: true,
    });
    const result = reply.result as { result?: { value?: T }; exceptionDetails?: unknown };
    if (reply.error || result.exceptionDetails) {
      const detail = JSON.stringify(reply.error ?? result.exceptionDetails);
      throw new Error(`evaluation failed: ${detail}`);
    }
    return result.result?.value as T;
  }

  async close(): Promise<void> {
    this.socket.close();
    this.browser.kill();
    await this.browser.exited;
    rmSync(this.profileDir, { recursive: true, force: true });
  }

  #nextLoad(): Promise<void> {
    return new Promise((resolve) => this.#loadWaiters.push(resolve));
  }

  #onMessage(text: string): void {
    const message = JSON.parse(text) as CdpMessage;
    if (message.id !== undefined) {
      this.#pending.get(message.id)?.(message);
      this.#pending.delete(message.id);
      return;
    }
    const params = message.params ?? {};
    switch (message.method) {
      case "Page.loadEventFired":
        for (const resolve of this.#loadWaiters.splice(0)) resolve();
        break;
      case "Runtime.consoleAPICalled":
        if (params.type === "error") {
          this.problems.push(`console.error ${JSON.stringify(params.args)}`);
        }
        break;
      case "Runtime.exceptionThrown":
        this.problems.push(`exception ${JSON.stringify(params.exceptionDetails)}`);
        break;
      case "Log.entryAdded": {
        const entry = params.entry as { level: string; text: string; url?: string };
        if (entry.level === "error") this.problems.push(`log ${entry.text} ${entry.url ?? ""}`);
        break;
      }
    }
  }
}

/** Reads Chromium's stderr until it prints the DevTools address ("127.0.0.1:port"). */
async function devtoolsEndpoint(stderr: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let seen = "";
  const reader = stderr.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`chromium exited before DevTools started: ${seen}`);
    seen += decoder.decode(value, { stream: true });
    const match = /DevTools listening on ws:\/\/([^/\s]+)\//.exec(seen);
    if (match) {
      reader.releaseLock();
      // Keep draining stderr so the browser never blocks on a full pipe.
      void stderr.pipeTo(new WritableStream());
      return match[1];
    }
  }
}
