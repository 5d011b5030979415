// Store: purge, compact, truncate, limits and expiry (store.h, native/docs/filestore.md
// section 5).
#include "filestore/store.h"
#include "util/assert.h"

namespace natsd::filestore {

void Store::ClearAll() {
  index_.Clear();
  subjects_.Clear();
  ttl_queue_.clear();
  ttl_of_.clear();
  msgs_ = 0;
  bytes_ = 0;
  first_seq_ = last_seq_ + 1;
  age_cursor_ = 0;
  lost_seqs_.clear();
  for (auto& [id, b] : blocks_) {
    b->live_msgs = 0;
    b->live_bytes = 0;
  }
}

// After the records that make them dead are synced, removes every block but the tail that is
// entirely below below_seq (or every block but the tail when all is set).
void Store::RemoveBlocksBelowTail(uint64_t below_seq, bool all) {
  CutSegment();
  FlushOp barrier;
  barrier.type = FlushOp::Type::kBarrier;
  pending_ops_.push_back(std::move(barrier));
  std::vector<uint32_t> doomed;
  for (const auto& [id, b] : blocks_) {
    if (b.get() == tail_) continue;
    if (all || b->end_seq < below_seq) doomed.push_back(id);
  }
  for (uint32_t id : doomed) RemoveBlockLater(id);
}

uint64_t Store::Purge() {
  if (closed_ || !failure_.ok()) return 0;
  const uint64_t purged = msgs_;
  ClearAll();
  NewBlock(last_seq_ + 1);
  floor_written_ = 0;
  EmitFloor();
  RemoveBlocksBelowTail(0, true);
  return purged;
}

uint64_t Store::Compact(uint64_t seq) {
  if (closed_ || !failure_.ok()) return 0;
  if (seq == 0) return Purge();
  if (first_seq_ > seq) return 0;
  if (seq > last_seq_) {
    // Past the end: empty the store so that the next message gets `seq`.
    const uint64_t purged = msgs_;
    last_seq_ = seq - 1;
    ClearAll();
    NewBlock(seq);
    floor_written_ = 0;
    EmitFloor();
    RemoveBlocksBelowTail(0, true);
    return purged;
  }
  uint64_t purged = 0;
  for (uint64_t s = index_.NextLive(first_seq_, seq - 1); s != 0 && s < seq;
       s = index_.NextLive(s + 1, seq - 1)) {
    DeleteSeq(s, true, nullptr);
    purged++;
  }
  EmitFloor();  // first_seq_ >= seq now
  RemoveBlocksBelowTail(seq, false);
  return purged;
}

uint64_t Store::PurgeEx(std::string_view filter, uint64_t seq, uint64_t keep) {
  if (closed_ || !failure_.ok() || seq == 1) return 0;
  const SubjectFilter f(filter);
  if (f.matches_all()) {
    if (keep == 0 && seq == 0) return Purge();
    if (seq > 1) return Compact(seq);
  }
  const SimpleState ss = FilteredState(1, filter);
  if (ss.msgs == 0) return 0;
  uint64_t max_purge = 0;
  if (keep > 0) {
    if (keep >= ss.msgs) return 0;
    max_purge = ss.msgs - keep;
  }
  const uint64_t last = seq >= 1 ? seq - 1 : ss.last;
  uint64_t purged = 0;
  std::vector<int8_t> memo;  // per subject id: 0 unknown, 1 match, -1 no match
  for (uint64_t s = index_.NextLive(ss.first, last); s != 0 && s <= last;
       s = index_.NextLive(s + 1, last)) {
    const uint32_t sid = index_.Find(s)->subject;
    if (sid >= memo.size()) memo.resize(sid + 1, 0);
    if (memo[sid] == 0) memo[sid] = f.Matches(subjects_.Get(sid).name) ? 1 : -1;
    if (memo[sid] < 0) continue;
    Remove(s, false);
    if (++purged == max_purge) break;
  }
  return purged;
}

Code Store::Truncate(uint64_t seq) {
  if (closed_) return Code::kClosed;
  if (!failure_.ok()) return Code::kIoError;
  // Tombstones in blocks about to be removed that still delete surviving messages are re-written
  // after the TRUNC record, or those messages would come back.
  std::vector<uint64_t> carried;
  for (const auto& [id, b] : blocks_) {
    if (b->header.first_seq <= seq) continue;
    for (const auto& t : b->tombstones) {
      if (t.first <= seq && index_.State(t.first) == SlotState::kDeletedPresent) {
        carried.push_back(t.first);
      }
    }
  }
  int64_t last_ts = last_ts_;
  if (index_.State(seq) == SlotState::kLive) last_ts = index_.Find(seq)->ts;
  for (uint64_t s = index_.PrevLive(seq + 1, last_seq_); s != 0 && s > seq;
       s = index_.PrevLive(seq + 1, s - 1)) {
    DeleteSeq(s, true, nullptr);
  }
  if (seq < last_seq_) index_.DropAbove(seq);
  last_seq_ = seq;
  last_ts_ = last_ts;
  age_cursor_ = 0;
  if (msgs_ == 0) first_seq_ = seq + 1;
  lost_seqs_.erase(lost_seqs_.upper_bound(seq), lost_seqs_.end());
  for (auto& [id, b] : blocks_) {
    if (b->end_seq > seq) b->end_seq = seq >= b->header.first_seq ? seq : b->header.first_seq - 1;
  }
  NewBlock(seq + 1);
  AppendControl(Kind::kTrunc, seq, 0);
  for (uint64_t t : carried) AppendControl(Kind::kTombstone, t, 0);
  floor_written_ = 0;
  EmitFloor();
  CutSegment();
  FlushOp barrier;
  barrier.type = FlushOp::Type::kBarrier;
  pending_ops_.push_back(std::move(barrier));
  std::vector<uint32_t> doomed;
  for (const auto& [id, b] : blocks_) {
    if (b.get() != tail_ && b->header.first_seq > seq) doomed.push_back(id);
  }
  for (uint32_t id : doomed) RemoveBlockLater(id);
  for (auto& [id, b] : blocks_) {
    if (b.get() != tail_) compaction_candidates_.insert(id);
  }
  return Code::kOk;
}

void Store::UpdateLimits(const Limits& limits) {
  options_.limits = limits;
  if (closed_ || !failure_.ok()) return;
  if (limits.max_msgs_per_subject > 0) {
    const auto max = static_cast<uint64_t>(limits.max_msgs_per_subject);
    std::vector<uint32_t> over;
    subjects_.ForEachMatch(SubjectFilter(">"), [&](uint32_t id, const SubjectState& st) {
      if (st.msgs > max) over.push_back(id);
    });
    for (uint32_t id : over) {
      while (subjects_.Get(id).msgs > max) Remove(subjects_.Get(id).first, false);
    }
  }
  EnforceLimits();
}

uint64_t Store::Expire(int64_t now) {
  if (closed_ || !failure_.ok()) return 0;
  uint64_t removed = 0;
  const int64_t max_age = options_.limits.max_age_ns;
  if (max_age > 0 && msgs_ > 0) {
    const int64_t cutoff = now - max_age;
    uint64_t s = std::max(first_seq_, age_cursor_);
    while ((s = index_.NextLive(s, last_seq_)) != 0) {
      const Slot* slot = index_.Find(s);
      if (slot->ts > cutoff) break;
      if (!index_.NeverExpires(s)) {
        Remove(s, false);
        removed++;
      }
      s++;
      if (msgs_ == 0) break;
    }
    age_cursor_ = s == 0 ? last_seq_ + 1 : s;
  }
  while (!ttl_queue_.empty() && ttl_queue_.begin()->first <= now) {
    const uint64_t seq = ttl_queue_.begin()->second;
    if (Remove(seq, false) != Code::kOk) ttl_queue_.erase(ttl_queue_.begin());
    removed++;
  }
  return removed;
}

int64_t Store::NextExpiry() {
  int64_t next = 0;
  if (!ttl_queue_.empty()) next = ttl_queue_.begin()->first;
  const int64_t max_age = options_.limits.max_age_ns;
  if (max_age > 0 && msgs_ > 0) {
    uint64_t s = std::max(first_seq_, age_cursor_);
    while ((s = index_.NextLive(s, last_seq_)) != 0 && index_.NeverExpires(s)) s++;
    // Live messages below s never expire by age: skip them next time.
    age_cursor_ = s == 0 ? last_seq_ + 1 : s;
    if (s != 0) {
      const int64_t at = index_.Find(s)->ts + max_age;
      if (next == 0 || at < next) next = at;
    }
  }
  return next;
}

}  // namespace natsd::filestore
