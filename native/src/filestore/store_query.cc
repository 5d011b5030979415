// Store: filtered reads and per-subject queries (store.h). A subject's live messages form a
// doubly linked list through the sequence index; queries walk it from whichever end is closer,
// or scan the sequence range when that is shorter than the subject table.
#include <algorithm>

#include "filestore/store.h"

namespace natsd::filestore {
namespace {
// How far a forward or backward scan of the sequence index may go before a query switches to
// walking the subject's list.
constexpr uint64_t kShortScanSlots = 256;
// Above this many matching subjects, a wildcard next/prev scans the sequence range instead of
// asking each subject.
constexpr size_t kPerSubjectLookupsMax = 64;
}  // namespace

// (messages of subject id at or after start, the first of them)
std::pair<uint64_t, uint64_t> Store::SubjectCountFrom(uint32_t id, uint64_t start) {
  const SubjectState& st = subjects_.Get(id);
  if (start <= st.first) return {st.msgs, st.first};
  if (start > st.last) return {0, 0};
  uint64_t fwd = st.first, back = st.last, before = 0, after = 0, first_after = 0;
  while (true) {
    // One step from the front: counts messages before start.
    if (fwd >= start) return {st.msgs - before, fwd};
    before++;
    const Slot* f = index_.Find(fwd);
    fwd = fwd + f->next;
    // One step from the back: counts messages at or after start.
    if (back < start) return {after, first_after};
    after++;
    first_after = back;
    const Slot* b = index_.Find(back);
    if (b->prev == 0) return {after, first_after};
    back -= b->prev;
  }
}

uint64_t Store::SubjectNextFrom(uint32_t id, uint64_t start) {
  const SubjectState& st = subjects_.Get(id);
  if (start <= st.first) return st.first;
  if (start > st.last) return 0;
  const uint64_t scan_end = std::min(st.last, start + kShortScanSlots);
  for (uint64_t s = index_.NextLive(start, scan_end); s != 0;
       s = index_.NextLive(s + 1, scan_end)) {
    if (index_.Find(s)->subject == id) return s;
  }
  return SubjectCountFrom(id, start).second;
}

uint64_t Store::SubjectPrevFrom(uint32_t id, uint64_t start) {
  const SubjectState& st = subjects_.Get(id);
  if (start >= st.last) return st.last;
  if (start < st.first) return 0;
  const uint64_t scan_begin =
      start > st.first + kShortScanSlots ? start - kShortScanSlots : st.first;
  for (uint64_t s = index_.PrevLive(scan_begin, start); s != 0 && s >= scan_begin;
       s = s > scan_begin ? index_.PrevLive(scan_begin, s - 1) : 0) {
    if (index_.Find(s)->subject == id) return s;
  }
  // The last message before the first one at or after start+1.
  const uint64_t next = SubjectCountFrom(id, start + 1).second;
  if (next == 0) return st.last;
  const Slot* slot = index_.Find(next);
  return slot->prev ? next - slot->prev : 0;
}

uint64_t Store::NextMatch(const SubjectFilter& f, uint64_t start) {
  if (f.matches_all()) return index_.NextLive(start, last_seq_);
  if (f.literal()) {
    const int64_t id = subjects_.Find(f.text());
    return id < 0 ? 0 : SubjectNextFrom(static_cast<uint32_t>(id), start);
  }
  std::vector<uint32_t> ids;
  subjects_.ForEachMatch(f, [&](uint32_t id, const SubjectState& st) {
    if (st.last >= start) ids.push_back(id);
  });
  if (ids.empty()) return 0;
  if (ids.size() <= kPerSubjectLookupsMax) {
    uint64_t best = 0;
    for (uint32_t id : ids) {
      const uint64_t s = SubjectNextFrom(id, start);
      if (s != 0 && (best == 0 || s < best)) best = s;
    }
    return best;
  }
  std::vector<int8_t> wanted(subjects_.id_limit(), 0);
  for (uint32_t id : ids) wanted[id] = 1;
  for (uint64_t s = index_.NextLive(start, last_seq_); s != 0;
       s = index_.NextLive(s + 1, last_seq_)) {
    if (wanted[index_.Find(s)->subject]) return s;
  }
  return 0;
}

uint64_t Store::PrevMatch(const SubjectFilter& f, uint64_t start) {
  if (f.matches_all()) return index_.PrevLive(first_seq_, start);
  if (f.literal()) {
    const int64_t id = subjects_.Find(f.text());
    return id < 0 ? 0 : SubjectPrevFrom(static_cast<uint32_t>(id), start);
  }
  std::vector<uint32_t> ids;
  subjects_.ForEachMatch(f, [&](uint32_t id, const SubjectState& st) {
    if (st.first <= start) ids.push_back(id);
  });
  if (ids.empty()) return 0;
  if (ids.size() <= kPerSubjectLookupsMax) {
    uint64_t best = 0;
    for (uint32_t id : ids) best = std::max(best, SubjectPrevFrom(id, start));
    return best;
  }
  std::vector<int8_t> wanted(subjects_.id_limit(), 0);
  for (uint32_t id : ids) wanted[id] = 1;
  for (uint64_t s = index_.PrevLive(first_seq_, start); s != 0;
       s = s > first_seq_ ? index_.PrevLive(first_seq_, s - 1) : 0) {
    if (wanted[index_.Find(s)->subject]) return s;
  }
  return 0;
}

Code Store::LoadNext(std::string_view filter, uint64_t start, StoredMsg* out) {
  if (closed_) return Code::kClosed;
  const SubjectFilter f(filter);
  while (true) {
    start = std::max(start, first_seq_);
    if (msgs_ == 0 || start > last_seq_) return Code::kEof;
    const uint64_t seq = NextMatch(f, start);
    if (seq == 0) return Code::kEof;
    const Code code = ReadMsg(seq, out);
    if (code != Code::kCorrupt) return code;
    start = seq + 1;  // damaged: reported and dropped by ReadMsg, look further
  }
}

Code Store::LoadPrev(std::string_view filter, uint64_t start, StoredMsg* out) {
  if (closed_) return Code::kClosed;
  const SubjectFilter f(filter);
  while (true) {
    start = std::min(start, last_seq_);
    if (msgs_ == 0 || start < first_seq_) return Code::kEof;
    const uint64_t seq = PrevMatch(f, start);
    if (seq == 0) return Code::kEof;
    const Code code = ReadMsg(seq, out);
    if (code != Code::kCorrupt) return code;
    if (seq == 0 || seq - 1 < first_seq_) return Code::kEof;
    start = seq - 1;
  }
}

Code Store::LoadLast(std::string_view filter, StoredMsg* out) {
  if (closed_) return Code::kClosed;
  const Code code = LoadPrev(filter, last_seq_, out);
  return code == Code::kEof ? Code::kNotFound : code;
}

uint64_t Store::GetSeqFromTime(int64_t ts) {
  if (msgs_ == 0) return last_seq_ + 1;
  uint64_t result = last_seq_ + 1;
  uint64_t lo = first_seq_, hi = last_seq_;
  while (lo <= hi) {
    const uint64_t mid = lo + (hi - lo) / 2;
    const uint64_t m = index_.NextLive(mid, hi);
    if (m == 0) {
      if (mid == 0) break;
      hi = mid - 1;
      continue;
    }
    if (index_.Find(m)->ts >= ts) {
      result = m;
      if (mid == 0) break;
      hi = mid - 1;
    } else {
      lo = m + 1;
    }
  }
  return result;
}

SimpleState Store::FilteredState(uint64_t start, std::string_view filter) {
  SimpleState ss;
  start = std::max(start, first_seq_);
  if (msgs_ == 0 || start > last_seq_) return ss;
  const SubjectFilter f(filter);
  if (f.matches_all()) {
    ss.msgs = index_.CountLive(start, last_seq_);
    ss.first = index_.NextLive(start, last_seq_);
    ss.last = index_.PrevLive(start, last_seq_);
    return ss;
  }
  auto add = [&](uint32_t id) {
    const auto [count, first] = SubjectCountFrom(id, start);
    if (count == 0) return;
    ss.msgs += count;
    if (ss.first == 0 || first < ss.first) ss.first = first;
    ss.last = std::max(ss.last, subjects_.Get(id).last);
  };
  std::vector<uint32_t> ids;
  subjects_.ForEachMatch(f, [&](uint32_t id, const SubjectState&) { ids.push_back(id); });
  if (ids.size() > last_seq_ - start + 1) {
    // Fewer sequences than matching subjects: scan the range.
    std::vector<int8_t> memo(subjects_.id_limit(), 0);
    for (uint64_t s = index_.NextLive(start, last_seq_); s != 0;
         s = index_.NextLive(s + 1, last_seq_)) {
      const uint32_t id = index_.Find(s)->subject;
      if (memo[id] == 0) memo[id] = f.Matches(subjects_.Get(id).name) ? 1 : -1;
      if (memo[id] < 0) continue;
      ss.msgs++;
      if (ss.first == 0) ss.first = s;
      ss.last = s;
    }
    return ss;
  }
  for (uint32_t id : ids) add(id);
  return ss;
}

uint64_t Store::NumPending(uint64_t start, std::string_view filter, bool last_per_subject) {
  if (!last_per_subject) return FilteredState(start, filter).msgs;
  start = std::max(start, first_seq_);
  uint64_t count = 0;
  subjects_.ForEachMatch(SubjectFilter(filter), [&](uint32_t, const SubjectState& st) {
    if (st.last >= start) count++;
  });
  return count;
}

std::vector<std::pair<std::string, SimpleState>> Store::SubjectsState(std::string_view filter) {
  std::vector<std::pair<std::string, SimpleState>> out;
  subjects_.ForEachMatch(SubjectFilter(filter), [&](uint32_t, const SubjectState& st) {
    out.push_back({st.name, SimpleState{st.msgs, st.first, st.last}});
  });
  return out;
}

std::vector<uint64_t> Store::AllLastSeqs() {
  std::vector<uint64_t> out;
  subjects_.ForEachMatch(SubjectFilter(">"), [&](uint32_t, const SubjectState& st) {
    out.push_back(st.last);
  });
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace natsd::filestore
