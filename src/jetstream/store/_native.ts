/**
 * The shape of the native file store binding (native/src/napi/store_binding.cc). Only
 * file_store.ts uses it.
 * @module
 */
import { nativeAddon } from "../../native.ts";

export interface NativeLimits {
  maxMsgs: number;
  maxBytes: number;
  maxAgeNs: bigint;
  maxMsgsPerSubject: number;
  maxMsgSize: number;
  discardNew: boolean;
  discardNewPerSubject: boolean;
}

export interface NativeOpenOptions {
  dir: string;
  blockSize: number;
  compress: boolean;
  cipher: 0 | 1 | 2;
  key?: Uint8Array;
  syncAlways: boolean;
  limits: NativeLimits;
}

export interface NativeDamage {
  block: number;
  offset: number;
  length: number;
  reason: string;
}

/** One native store. Results that are numbers < 0 are native error codes (errors.ts). */
export interface NativeFileStoreHandle {
  open(options: NativeOpenOptions, cb: (err: string | null, code: string | null) => void): void;
  append(frames: Uint8Array, checkDiscardNew: boolean): number;
  fastState(out: ArrayBuffer): void;
  skip(seq: number, count: number, ts: bigint): number;
  remove(seq: number, secure: boolean): number;
  purge(): number;
  purgeEx(filter: string, seq: number, keep: number): number;
  compact(seq: number): number;
  truncate(seq: number): number;
  updateLimits(limits: NativeLimits): void;
  expire(nowNs: bigint): number;
  load(seq: number): Uint8Array | number;
  loadNext(filter: string, start: number): Uint8Array | number;
  loadPrev(filter: string, start: number): Uint8Array | number;
  loadLast(filter: string): Uint8Array | number;
  subjectForSeq(seq: number): string | number;
  getSeqFromTime(ts: bigint): number;
  filteredState(start: number, filter: string): Float64Array;
  subjectsState(filter: string): Uint8Array;
  numPending(start: number, filter: string, lastPerSubject: boolean): number;
  allLastSeqs(): Float64Array;
  deletedSeqs(): Float64Array;
  lostSeqs(): Float64Array;
  takeDamage(): NativeDamage[];
  hasPendingWork(): boolean;
  flush(sync: boolean, cb: (err: string | null) => void): boolean;
  close(cb: (err: string | null) => void): void;
  snapshotOpen(): number;
  snapshotNext(id: number, maxBytes: number): Uint8Array | null;
  snapshotClose(id: number): void;
}

/** A new, unopened native store. */
export function newNativeFileStore(): NativeFileStoreHandle {
  const addon = nativeAddon();
  return new addon.NativeFileStore() as NativeFileStoreHandle;
}
