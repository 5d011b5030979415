// Store: index maintenance, appends, removals, loads and state (store.h). Recovery is in
// store_open.cc, block and flush-job management in store_write.cc, purges and expiry in
// store_purge.cc, filtered queries in store_query.cc.
#include "filestore/store.h"

#include "util/assert.h"

namespace natsd::filestore {

Store::Store(Env* env, Options options) : env_(env), options_(std::move(options)) {
  store_key_ = options_.key;
}

Store::~Store() = default;

void Store::IndexMsg(uint64_t seq, uint32_t block, uint32_t offset, uint32_t length,
                     std::string_view subject, int64_t ts, int64_t ttl, uint64_t size) {
  if (index_.State(seq) == SlotState::kLive) DeleteSeq(seq, true, nullptr);
  Slot* slot = index_.Ensure(seq);
  *slot = Slot{};
  slot->block = block;
  slot->offset = offset;
  slot->length = length;
  slot->size = static_cast<uint32_t>(size);
  slot->ts = ts;
  const uint32_t sid = subjects_.Intern(subject);
  slot->subject = sid;
  SubjectState& st = subjects_.Get(sid);
  if (st.msgs == 0) {
    st.first = st.last = seq;
  } else {
    NATSD_ASSERT(seq > st.last && seq - st.last <= 0xffffffffull);
    const auto distance = static_cast<uint32_t>(seq - st.last);
    index_.Find(st.last)->next = distance;
    slot->prev = distance;
    st.last = seq;
  }
  st.msgs++;
  index_.SetState(seq, SlotState::kLive);
  if (ttl == kTtlNever) index_.SetNeverExpires(seq, true);
  if (ttl > 0) {
    const int64_t expiry = ts + ttl * 1000000000LL;
    ttl_queue_.emplace(expiry, seq);
    ttl_of_[seq] = expiry;
  }
  auto it = blocks_.find(block);
  NATSD_ASSERT(it != blocks_.end());
  it->second->live_msgs++;
  it->second->live_bytes += length;
  if (msgs_ == 0 || seq < first_seq_) first_seq_ = seq;
  msgs_++;
  bytes_ += size;
  if (seq >= last_seq_) {
    last_seq_ = seq;
    last_ts_ = ts;
  }
}

void Store::UnlinkSubject(uint64_t seq, Slot* slot) {
  SubjectState& st = subjects_.Get(slot->subject);
  const uint64_t prev = slot->prev ? seq - slot->prev : 0;
  const uint64_t next = slot->next ? seq + slot->next : 0;
  if (prev) {
    index_.Find(prev)->next = next ? static_cast<uint32_t>(next - prev) : 0;
  } else {
    st.first = next;
  }
  if (next) {
    index_.Find(next)->prev = prev ? static_cast<uint32_t>(next - prev) : 0;
  } else {
    st.last = prev;
  }
  slot->prev = slot->next = 0;
  NATSD_ASSERT(st.msgs > 0);
  if (--st.msgs == 0) subjects_.Release(slot->subject);
}

bool Store::DeleteSeq(uint64_t seq, bool physically_present, uint64_t* size_out) {
  if (index_.State(seq) != SlotState::kLive) return false;
  Slot* slot = index_.Find(seq);
  UnlinkSubject(seq, slot);
  auto it = blocks_.find(slot->block);
  if (it != blocks_.end()) {
    Block* b = it->second.get();
    b->live_msgs--;
    b->live_bytes -= slot->length;
    if (b != tail_) compaction_candidates_.insert(b->header.id);
  }
  msgs_--;
  bytes_ -= slot->size;
  if (size_out) *size_out = slot->size;
  auto ttl = ttl_of_.find(seq);
  if (ttl != ttl_of_.end()) {
    ttl_queue_.erase({ttl->second, seq});
    ttl_of_.erase(ttl);
  }
  index_.SetState(seq, physically_present ? SlotState::kDeletedPresent : SlotState::kAbsent);
  if (seq == first_seq_) AdvanceFirst();
  return true;
}

void Store::AdvanceFirst() {
  if (msgs_ == 0) {
    first_seq_ = last_seq_ + 1;
  } else {
    first_seq_ = index_.NextLive(first_seq_, last_seq_);
    NATSD_ASSERT(first_seq_ != 0);
  }
  // Everything below the first message is dead, and the next flush job writes a FLOOR saying so
  // before it compacts anything: the slots can go.
  index_.DropBelow(first_seq_);
}

void Store::MarkLost(uint64_t seq, Block* b, uint64_t bytes, const char* reason) {
  lost_seqs_.insert(seq);
  if (b) b->lost_bytes += bytes;
  DamageEvent event;
  event.block = b ? b->header.id : 0;
  event.length = bytes;
  event.reason = std::string(reason) + " (sequence " + std::to_string(seq) + ")";
  damage_.push_back(std::move(event));
}

Code Store::CheckDiscardNew(const MsgIn& m, uint64_t size) {
  const Limits& l = options_.limits;
  if (!l.discard_new) return Code::kOk;
  bool at_subject_limit = false;
  int64_t sid = -1;
  if (l.max_msgs_per_subject > 0) {
    sid = subjects_.Find(m.subject);
    at_subject_limit =
        sid >= 0 && subjects_.Get(static_cast<uint32_t>(sid)).msgs >=
                        static_cast<uint64_t>(l.max_msgs_per_subject);
  }
  if (at_subject_limit && l.discard_new_per_subject && !m.per_subject_exempt) {
    return Code::kMaxMsgsPerSubject;
  }
  if (l.max_msgs > 0 && msgs_ >= static_cast<uint64_t>(l.max_msgs) && !at_subject_limit) {
    return Code::kMaxMsgs;
  }
  if (l.max_bytes > 0 && bytes_ + size > static_cast<uint64_t>(l.max_bytes)) {
    if (!at_subject_limit) return Code::kMaxBytes;
    // Storing replaces the subject's oldest message: allowed when that frees enough room.
    const Slot* first = index_.Find(subjects_.Get(static_cast<uint32_t>(sid)).first);
    if (first == nullptr || first->size < size) return Code::kMaxBytes;
  }
  return Code::kOk;
}

Code Store::Append(const MsgIn& m, bool discard_new_check, uint64_t* seq_out) {
  if (closed_) return Code::kClosed;
  if (!failure_.ok()) return Code::kIoError;
  const uint64_t data = m.hdr.size() + m.payload.size();
  if (m.subject.size() > kSubjectBytesMax || data > kMsgDataBytesMax ||
      (options_.limits.max_msg_size > 0 &&
       data > static_cast<uint64_t>(options_.limits.max_msg_size))) {
    return Code::kMsgTooBig;
  }
  const uint64_t size = MsgSizeBytes(m.subject.size(), m.hdr.size(), m.payload.size());
  if (discard_new_check) {
    Code code = CheckDiscardNew(m, size);
    if (code != Code::kOk) return code;
  }
  const uint64_t seq = m.seq ? m.seq : last_seq_ + 1;
  if (seq != last_seq_ + 1) return Code::kSeqMismatch;
  const uint64_t estimate = kRecordHeaderBytes + kTtlBytes + m.subject.size() + data + 64;
  if (tail_->size > kBlockHeaderBytes && tail_->size + estimate > options_.block_size) {
    NewBlock(seq);
  }
  if (!tail_->pending) {
    tail_->pending = std::make_shared<std::string>();
    tail_->pending_offset = tail_->size;
    tail_->overlays.push_back({tail_->size, tail_->pending});
  }
  std::string* pending = tail_->pending.get();
  const size_t before = pending->size();
  tail_->codec->AppendMsg(pending, seq, m.ts, m.ttl, m.subject, m.hdr, m.payload);
  const auto length = static_cast<uint32_t>(pending->size() - before);
  const auto offset = static_cast<uint32_t>(tail_->size);
  tail_->size += length;
  tail_->end_seq = seq;
  IndexMsg(seq, tail_->header.id, offset, length, m.subject, m.ts, m.ttl, size);
  last_ts_ = m.ts;
  const Limits& l = options_.limits;
  if (l.max_msgs_per_subject > 0) {
    const uint32_t sid = index_.Find(seq)->subject;
    while (subjects_.Get(sid).msgs > static_cast<uint64_t>(l.max_msgs_per_subject)) {
      Remove(subjects_.Get(sid).first, false);
    }
  }
  EnforceLimits();
  *seq_out = seq;
  return Code::kOk;
}

void Store::EnforceLimits() {
  const Limits& l = options_.limits;
  if (l.discard_new) return;
  while (l.max_msgs > 0 && msgs_ > static_cast<uint64_t>(l.max_msgs)) Remove(first_seq_, false);
  while (l.max_bytes > 0 && bytes_ > static_cast<uint64_t>(l.max_bytes)) {
    Remove(first_seq_, false);
  }
}

Code Store::Skip(uint64_t seq, uint64_t count, int64_t ts) {
  if (closed_) return Code::kClosed;
  if (!failure_.ok()) return Code::kIoError;
  if (seq == 0) seq = last_seq_ + 1;
  if (seq != last_seq_ + 1) return Code::kSeqMismatch;
  if (count == 0) return Code::kOk;
  const uint64_t last = seq + count - 1;
  AppendControl(Kind::kGap, seq, last);
  tail_->end_seq = last;
  last_seq_ = last;
  if (last_ts_ == 0) last_ts_ = ts;
  if (msgs_ == 0) first_seq_ = last_seq_ + 1;
  return Code::kOk;
}

Code Store::Remove(uint64_t seq, bool secure) {
  if (closed_) return Code::kClosed;
  if (!failure_.ok()) return Code::kIoError;
  if (index_.State(seq) != SlotState::kLive) return Code::kNotFound;
  const Slot slot = *index_.Find(seq);
  const bool was_first = seq == first_seq_;
  DeleteSeq(seq, true, nullptr);
  // A removal at the front needs no tombstone: the next FLOOR record covers it.
  if (!was_first || secure) AppendControl(Kind::kTombstone, seq, 0);
  if (secure) {
    // The tombstone must be durable before the record is destroyed, or a crash in between
    // would leave neither the message nor the proof of its deletion.
    CutSegment();
    pending_ops_.push_back(MakeOp(FlushOp::Type::kBarrier));
    FlushOp op;
    op.type = FlushOp::Type::kOverwrite;
    op.block = slot.block;
    op.offset = slot.offset;
    op.seq = seq;
    op.data = std::make_shared<std::string>(MakeErasedRecord(seq, slot.ts, slot.length));
    pending_ops_.push_back(std::move(op));
  }
  return Code::kOk;
}

Code Store::ReadMsg(uint64_t seq, StoredMsg* out) {
  if (closed_) return Code::kClosed;
  if (seq > last_seq_) return Code::kEof;
  if (seq < first_seq_) return Code::kNotFound;
  if (index_.State(seq) != SlotState::kLive) return Code::kDeleted;
  const Slot slot = *index_.Find(seq);
  Block* b = blocks_.at(slot.block).get();
  std::string record;
  RecordHeader h;
  const bool ok = ReadRecord(b, slot.offset, slot.length, &record) &&
                  VerifyRecord(record.data(), record.size(), &h) && h.length == slot.length &&
                  h.kind == Kind::kMsg && h.seq == seq && b->codec->DecodeMsg(record.data(), h,
                                                                              &out->msg);
  if (!ok) {
    // Damaged after open (or erased behind our back): never served, reported once, forgotten.
    DeleteSeq(seq, true, nullptr);
    MarkLost(seq, b, slot.length, "damaged record found by a read");
    damage_.back().offset = slot.offset;
    return Code::kCorrupt;
  }
  out->seq = seq;
  out->ts = h.ts;
  return Code::kOk;
}

Code Store::Load(uint64_t seq, StoredMsg* out) { return ReadMsg(seq, out); }

Code Store::SubjectForSeq(uint64_t seq, std::string* out) {
  if (seq < first_seq_ || seq > last_seq_ || index_.State(seq) != SlotState::kLive) {
    return Code::kNotFound;
  }
  *out = subjects_.Get(index_.Find(seq)->subject).name;
  return Code::kOk;
}

uint64_t Store::MsgSize(uint64_t seq) {
  if (index_.State(seq) != SlotState::kLive) return 0;
  return index_.Find(seq)->size;
}

FastState Store::GetFastState() {
  FastState s;
  s.msgs = msgs_;
  s.bytes = bytes_;
  s.first_seq = first_seq_;
  s.last_seq = last_seq_;
  s.last_ts = last_ts_;
  if (msgs_ > 0) s.first_ts = index_.Find(first_seq_)->ts;
  s.num_subjects = subjects_.size();
  if (msgs_ > 0 && last_seq_ >= first_seq_) s.num_deleted = last_seq_ - first_seq_ + 1 - msgs_;
  s.next_expiry = NextExpiry();
  s.lost_msgs = lost_seqs_.size();
  s.lost_bytes = orphan_lost_bytes_;
  for (const auto& [id, b] : blocks_) s.lost_bytes += b->lost_bytes;
  for (const auto& [id, b] : blocks_) {
    for (const Overlay& o : b->overlays) s.pending_bytes += o.data->size();
  }
  return s;
}

std::vector<uint64_t> Store::DeletedSeqs() {
  std::vector<uint64_t> out;
  if (msgs_ == 0) return out;
  for (uint64_t s = first_seq_; s <= last_seq_; s++) {
    if (index_.State(s) != SlotState::kLive) out.push_back(s);
  }
  return out;
}

std::vector<uint64_t> Store::LostSeqs() { return {lost_seqs_.begin(), lost_seqs_.end()}; }

std::vector<DamageEvent> Store::TakeDamage() {
  std::vector<DamageEvent> out;
  out.swap(damage_);
  return out;
}

}  // namespace natsd::filestore
