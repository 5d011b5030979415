/**
 * The native subject trie (C++, `native/src/subjects/`) behind the `SubjectTrie` interface.
 * Every method is one N-API call; `match` writes into an `Int32Array` owned here and is retried
 * once with a larger array when the result does not fit.
 * @module
 */
import { nativeAddon } from "../native.ts";
import {
  type SubjectTrie,
  TRIE_ID_MAX,
  TRIE_OUTPUT_INTS_INITIAL,
  type TrieInsertStatus,
} from "./subject_trie.ts";

/** The shape of `NativeSublist` exported by `native/src/napi/sublist_binding.cc`. */
interface NativeSublistHandle {
  insert(id: number, subject: string, queue: string | null): number;
  remove(id: number): boolean;
  /** Returns ints written, 0 for an empty token, or -(ints needed) when `output` is too small. */
  match(subject: string, output: Int32Array): number;
  count(): number;
}

type NativeSublistClass = new () => NativeSublistHandle;

let nativeClass: NativeSublistClass | null | undefined;

function loadNativeClass(): NativeSublistClass | null {
  if (nativeClass !== undefined) return nativeClass;
  try {
    nativeClass = (nativeAddon().NativeSublist as NativeSublistClass | undefined) ?? null;
  } catch {
    nativeClass = null;
  }
  return nativeClass;
}

/** True when the addon is built and exports the native trie. */
export function isNativeTrieAvailable(): boolean {
  return loadNativeClass() !== null;
}

export function createNativeTrie(): SubjectTrie {
  const NativeSublist = loadNativeClass();
  if (NativeSublist === null) {
    // Load again without the catch, so that the error says why (and how to build the addon).
    if (typeof nativeAddon().NativeSublist !== "function") {
      throw new Error("Cannot create a native sublist: the addon has no NativeSublist");
    }
  }
  return new NativeSubjectTrie(new NativeSublist!());
}

class NativeSubjectTrie implements SubjectTrie {
  readonly impl = "native";
  #handle: NativeSublistHandle;
  #output = new Int32Array(TRIE_OUTPUT_INTS_INITIAL);

  constructor(handle: NativeSublistHandle) {
    this.#handle = handle;
  }

  get output(): Int32Array {
    return this.#output;
  }

  insert(id: number, subject: string, queue: string | null): TrieInsertStatus {
    if (!Number.isInteger(id) || id < 0 || id > TRIE_ID_MAX) {
      throw new RangeError(`Cannot insert subscription id ${id}: not an int32 id`);
    }
    return this.#handle.insert(id, subject, queue) as TrieInsertStatus;
  }

  remove(id: number): boolean {
    return this.#handle.remove(id);
  }

  match(subject: string): number {
    const written = this.#handle.match(subject, this.#output);
    if (written >= 0) return written;
    this.#output = new Int32Array(Math.max(-written, this.#output.length * 2));
    const retried = this.#handle.match(subject, this.#output);
    if (retried < 0) throw new Error(`Native sublist match needs ${-retried} ints after growing`);
    return retried;
  }

  count(): number {
    return this.#handle.count();
  }
}
