/**
 * The queue of pull requests waiting for messages (nats-server consumer.go waitQueue): FIFO,
 * where a request that still wants more messages goes to the back after each delivery, so
 * waiting requesters share the stream round-robin. With the `prioritized` policy requests are
 * kept sorted by their priority (0 first), FIFO within a priority.
 * @module
 */
import type { PullPriority } from "./pull_request.ts";

/** Priority of a request without one: after every explicit priority (Go's MaxInt32). */
const PRIORITY_NONE = 2 ** 31 - 1;

/** One waiting pull request. */
export class WaitingRequest {
  next: WaitingRequest | null = null;
  /** Messages still wanted (may go to 0 or below: then the request is done). */
  n: number;
  /** Messages delivered so far. */
  d = 0;
  /** Bytes still allowed; 0 means no byte limit. */
  b: number;
  constructor(
    readonly reply: string,
    batch: number,
    maxBytes: number,
    readonly noWait: boolean,
    /** Unix ns when the request expires; null when it does not. */
    readonly expiresNs: bigint | null,
    readonly receivedNs: bigint,
    readonly heartbeatNs: bigint,
    /** Unix ns of the next idle heartbeat; null without heartbeats. */
    public heartbeatAtNs: bigint | null,
    readonly priority: PullPriority | null,
  ) {
    this.n = batch;
    this.b = maxBytes;
  }

  get pending(): { msgs: number; bytes: number } {
    return { msgs: this.n, bytes: this.b };
  }

  get priorityRank(): number {
    return this.priority === null ? PRIORITY_NONE : this.priority.priority;
  }
}

export class WaitQueue {
  head: WaitingRequest | null = null;
  tail: WaitingRequest | null = null;
  #n = 0;
  /** Unix ns of the last request received (or other activity the consumer records). */
  lastNs = 0n;

  constructor(readonly max: number) {}

  get length(): number {
    return this.#n;
  }

  isFull(): boolean {
    return this.#n === this.max;
  }

  isEmpty(): boolean {
    return this.#n === 0;
  }

  /** Appends a request; false when the queue is full. */
  add(wr: WaitingRequest): boolean {
    if (this.isFull()) return false;
    if (this.head === null) this.head = wr;
    else this.tail!.next = wr;
    this.tail = wr;
    wr.next = null;
    this.lastNs = wr.receivedNs;
    this.#n++;
    return true;
  }

  /** Inserts a request after every request of the same or a better priority. */
  addPrioritized(wr: WaitingRequest): boolean {
    if (this.isFull()) return false;
    if (this.head === null) {
      this.head = wr;
      this.tail = wr;
      wr.next = null;
    } else {
      this.#insertByPriority(wr);
    }
    this.#n++;
    this.lastNs = wr.receivedNs;
    return true;
  }

  #insertByPriority(wr: WaitingRequest): void {
    const rank = wr.priorityRank;
    let prev: WaitingRequest | null = null;
    let current = this.head;
    while (current !== null && current.priorityRank <= rank) {
      prev = current;
      current = current.next;
    }
    if (prev === null) {
      wr.next = this.head;
      this.head = wr;
    } else {
      wr.next = prev.next;
      prev.next = wr;
      if (wr.next === null) this.tail = wr;
    }
  }

  /** Moves the head to the back. */
  cycle(): void {
    const wr = this.head;
    if (wr === null) return;
    this.removeCurrent();
    this.add(wr);
  }

  /** Takes one delivery from the head request; it moves to the back unless it is done. */
  pop(): WaitingRequest | null {
    const wr = this.head;
    if (wr === null) return null;
    wr.d++;
    wr.n--;
    if (wr.n > 0 && this.#n > 1) {
      this.removeCurrent();
      this.add(wr);
    } else if (wr.n <= 0) {
      this.removeCurrent();
    }
    return wr;
  }

  /** pop() for the prioritized policy: back to the end of its own priority. */
  popAndRequeue(): WaitingRequest | null {
    const wr = this.head;
    if (wr === null) return null;
    wr.d++;
    wr.n--;
    if (wr.n > 0 && this.#n > 1) {
      if (wr.next === null) return wr;
      this.head = wr.next;
      wr.next = null;
      this.#insertByPriority(wr);
    } else if (wr.n <= 0) {
      this.removeCurrent();
    }
    return wr;
  }

  removeCurrent(): void {
    this.remove(null, this.head);
  }

  /** Removes wr, whose predecessor is pre (null for the head). */
  remove(pre: WaitingRequest | null, wr: WaitingRequest | null): void {
    if (wr === null) return;
    if (pre !== null) pre.next = wr.next;
    else if (wr === this.head) this.head = wr.next;
    if (wr === this.tail) this.tail = wr.next === null ? pre : wr.next;
    this.#n--;
  }

  /** Finds the request answering to reply. */
  find(reply: string): WaitingRequest | null {
    for (let wr = this.head; wr !== null; wr = wr.next) if (wr.reply === reply) return wr;
    return null;
  }

  /** Empties the queue and returns what was in it, in order. */
  drain(): WaitingRequest[] {
    const out: WaitingRequest[] = [];
    for (let wr = this.head; wr !== null; wr = wr.next) out.push(wr);
    this.head = null;
    this.tail = null;
    this.#n = 0;
    return out;
  }
}
