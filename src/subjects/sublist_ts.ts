/**
 * The TypeScript subject trie: the reference the native trie is cross-checked against, and the
 * fallback when the addon is not built. Written for clarity over speed; the `Sublist` cache in
 * front of it absorbs most matches.
 *
 * Entries are kept in an array indexed by id and subscription lists are arrays with swap-remove,
 * not Maps or Sets keyed by id: in Bun 1.4.5 re-adding a key that was deleted from a Map or Set
 * costs time proportional to its size (~17 µs at 100k entries), and the `Sublist` facade reuses
 * freed ids at once.
 * @module
 */
import { isWellFormedSubject } from "./subject.ts";
import {
  type SubjectTrie,
  TRIE_ID_MAX,
  TRIE_OUTPUT_INTS_INITIAL,
  TRIE_RESULT_HEADER_INTS,
  TrieInsertStatus,
} from "./subject_trie.ts";

interface Level {
  readonly nodes: Map<string, Node>;
  pwc: Node | null;
  fwc: Node | null;
}

interface Node {
  next: Level | null;
  readonly psubs: number[];
  readonly qsubs: Map<string, number[]>;
}

interface Entry {
  readonly subject: string;
  readonly queue: string | null;
  readonly node: Node;
  /** The array holding this id: `node.psubs` or the queue group's members. */
  readonly list: number[];
  /** Index of this id in `list`. */
  position: number;
}

/** One step of a path from the root: the level, the token taken and the node it led to. */
interface Step {
  readonly level: Level;
  readonly token: string;
  readonly node: Node;
}

const newLevel = (): Level => ({ nodes: new Map(), pwc: null, fwc: null });
const newNode = (): Node => ({ next: null, psubs: [], qsubs: new Map() });

function childOf(level: Level, token: string): Node | null {
  if (token === "*") return level.pwc;
  if (token === ">") return level.fwc;
  return level.nodes.get(token) ?? null;
}

function addChild(level: Level, token: string): Node {
  const node = newNode();
  if (token === "*") level.pwc = node;
  else if (token === ">") level.fwc = node;
  else level.nodes.set(token, node);
  return node;
}

function dropChild(level: Level, token: string): void {
  if (token === "*") level.pwc = null;
  else if (token === ">") level.fwc = null;
  else level.nodes.delete(token);
}

function isLevelEmpty(level: Level): boolean {
  return level.nodes.size === 0 && level.pwc === null && level.fwc === null;
}

function isNodeEmpty(node: Node): boolean {
  return node.psubs.length === 0 && node.qsubs.size === 0 && node.next === null;
}

export class TsSubjectTrie implements SubjectTrie {
  readonly impl = "ts";
  #root: Level = newLevel();
  /** Indexed by id; dense when ids are (the facade reuses freed ids). */
  #entries: (Entry | undefined)[] = [];
  #count = 0;
  #output = new Int32Array(TRIE_OUTPUT_INTS_INITIAL);

  get output(): Int32Array {
    return this.#output;
  }

  count(): number {
    return this.#count;
  }

  insert(id: number, subject: string, queue: string | null): TrieInsertStatus {
    if (!Number.isInteger(id) || id < 0 || id > TRIE_ID_MAX) {
      throw new RangeError(`Cannot insert subscription id ${id}: not an int32 id`);
    }
    if (!isWellFormedSubject(subject) || queue === "") return TrieInsertStatus.invalidSubject;
    if (this.#entries[id] !== undefined) return TrieInsertStatus.duplicateId;
    let level = this.#root;
    let node: Node | null = null;
    for (const token of subject.split(".")) {
      if (node !== null) level = node.next ??= newLevel();
      node = childOf(level, token) ?? addChild(level, token);
    }
    if (node === null) throw new Error("unreachable: a well-formed subject has a token");
    let list = node.psubs;
    if (queue !== null) {
      let group = node.qsubs.get(queue);
      if (group === undefined) node.qsubs.set(queue, (group = []));
      list = group;
    }
    this.#entries[id] = { subject, queue, node, list, position: list.length };
    list.push(id);
    this.#count++;
    return TrieInsertStatus.ok;
  }

  remove(id: number): boolean {
    const entry = this.#entries[id];
    if (entry === undefined) return false;
    this.#entries[id] = undefined;
    this.#count--;
    // Swap-remove: the last id takes the removed id's place, and its entry follows it.
    const { list, position } = entry;
    const moved = list.pop()!;
    if (moved !== id) {
      list[position] = moved;
      this.#entries[moved]!.position = position;
    }
    if (entry.queue !== null && list.length === 0) entry.node.qsubs.delete(entry.queue);
    this.#prune(this.#path(entry.subject));
    return true;
  }

  match(subject: string): number {
    const tokens = subject.split(".");
    for (const token of tokens) if (token.length === 0) return 0;
    const psubs: number[] = [];
    const groups = new Map<string, number[]>();
    // Explicit stack instead of recursion: each entry is one token deeper, so the depth is
    // bounded by the subject's token count whatever the trie holds.
    const stack: { level: Level; index: number }[] = [{ level: this.#root, index: 0 }];
    while (stack.length > 0) {
      const { level, index } = stack.pop()!;
      if (level.fwc !== null) collect(level.fwc, psubs, groups);
      const last = index === tokens.length - 1;
      for (const node of [level.nodes.get(tokens[index]) ?? null, level.pwc]) {
        if (node === null) continue;
        if (last) collect(node, psubs, groups);
        else if (node.next !== null) stack.push({ level: node.next, index: index + 1 });
      }
    }
    return this.#pack(psubs, groups);
  }

  #path(subject: string): Step[] {
    const path: Step[] = [];
    let level = this.#root;
    for (const token of subject.split(".")) {
      const node = childOf(level, token)!;
      path.push({ level, token, node });
      if (node.next !== null) level = node.next;
    }
    return path;
  }

  /** Frees the empty nodes and levels on `path`, from the leaf up. */
  #prune(path: Step[]): void {
    for (let i = path.length - 1; i >= 0; i--) {
      const { level, token, node } = path[i];
      if (node.next !== null && isLevelEmpty(node.next)) node.next = null;
      if (!isNodeEmpty(node)) return;
      dropChild(level, token);
    }
  }

  #pack(psubs: number[], groups: Map<string, number[]>): number {
    let length = TRIE_RESULT_HEADER_INTS + psubs.length + groups.size;
    for (const members of groups.values()) length += members.length;
    if (length > this.#output.length) {
      this.#output = new Int32Array(Math.max(length, this.#output.length * 2));
    }
    const output = this.#output;
    output[0] = psubs.length;
    output[1] = groups.size;
    let at = TRIE_RESULT_HEADER_INTS;
    for (const id of psubs) output[at++] = id;
    for (const members of groups.values()) {
      output[at++] = members.length;
      for (const id of members) output[at++] = id;
    }
    return at;
  }
}

function collect(node: Node, psubs: number[], groups: Map<string, number[]>): void {
  for (const id of node.psubs) psubs.push(id);
  for (const [queue, members] of node.qsubs) {
    let group = groups.get(queue);
    if (group === undefined) groups.set(queue, (group = []));
    for (const id of members) group.push(id);
  }
}
