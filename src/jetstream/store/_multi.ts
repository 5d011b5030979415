/**
 * Multi-filter queries (consumers with several filter subjects, nats-server 2.10), built on the
 * single-filter ones so both stores share one implementation.
 * @module
 */
import type { NumPending, SimpleState, StoredMsg, StreamStore } from "./store.ts";

type SingleFilterStore = Pick<
  StreamStore,
  "loadNextMsg" | "numPending" | "subjectsState" | "filteredState" | "fastState"
>;

/** The first message at or after start matching any filter, or null. */
export function loadNextMsgMulti(
  store: SingleFilterStore,
  filters: readonly string[],
  start: number,
): StoredMsg | null {
  let best: StoredMsg | null = null;
  for (const filter of filters) {
    const msg = store.loadNextMsg(filter, start);
    if (msg !== null && (best === null || msg.seq < best.seq)) best = msg;
  }
  return best;
}

/** numPending over the union of the filters: each message (or subject) counts once. */
export function numPendingMulti(
  store: SingleFilterStore,
  start: number,
  filters: readonly string[],
  lastPerSubject: boolean,
): NumPending {
  if (filters.length === 0 || filters.some((f) => f === "" || f === ">")) {
    return store.numPending(start, ">", lastPerSubject);
  }
  const subjects = new Map<string, SimpleState>();
  for (const filter of filters) {
    for (const [subject, ss] of store.subjectsState(filter)) subjects.set(subject, ss);
  }
  let total = 0;
  for (const [subject, ss] of subjects) {
    if (ss.last < start) continue;
    if (lastPerSubject) total++;
    else total += start <= ss.first ? ss.msgs : store.filteredState(start, subject).msgs;
  }
  return { total, validThrough: store.fastState().lastSeq };
}
