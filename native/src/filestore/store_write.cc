// Store: blocks, records, flush jobs and compaction planning (store.h).
#include <algorithm>

#include "filestore/store.h"
#include "util/assert.h"

namespace natsd::filestore {
namespace {
// At most this many bytes of blocks are rewritten per flush job, so one job stays short.
constexpr uint64_t kCompactionBytesPerJobMax = 32u << 20;
}  // namespace

Store::Block* Store::NewBlock(uint64_t first_seq) {
  CutSegment();
  auto b = std::make_unique<Block>();
  b->header.id = next_block_id_++;
  b->header.first_seq = first_seq;
  b->header.compression = options_.compress ? kCompressionLz4 : kCompressionNone;
  b->header.cipher = options_.cipher;
  NATSD_ASSERT(RecordCodec::PrepareHeader(store_key_, &b->header).ok());
  NATSD_ASSERT(RecordCodec::Create(b->header, store_key_, &b->codec).ok());
  b->end_seq = first_seq - 1;
  b->size = kBlockHeaderBytes;
  b->pending = std::make_shared<std::string>(b->header.Encode());
  b->pending_offset = 0;
  b->overlays.push_back({0, b->pending});
  Block* old = tail_;
  tail_ = b.get();
  blocks_[b->header.id] = std::move(b);
  if (old != nullptr) {
    FlushOp op;
    op.type = FlushOp::Type::kWriteIndex;
    op.block = old->header.id;
    pending_ops_.push_back(std::move(op));
    compaction_candidates_.insert(old->header.id);
  }
  return tail_;
}

void Store::CutSegment() {
  if (tail_ == nullptr || !tail_->pending) return;
  if (tail_->pending->empty()) {
    auto& ov = tail_->overlays;
    ov.erase(std::remove_if(ov.begin(), ov.end(),
                            [&](const Overlay& o) { return o.data == tail_->pending; }),
             ov.end());
  } else {
    FlushOp op;
    op.type = FlushOp::Type::kAppend;
    op.block = tail_->header.id;
    op.offset = tail_->pending_offset;
    op.data = tail_->pending;
    pending_ops_.push_back(std::move(op));
  }
  tail_->pending.reset();
}

void Store::AppendControl(Kind kind, uint64_t seq, uint64_t gap_last) {
  const uint32_t length = kRecordHeaderBytes + (kind == Kind::kGap ? 8 : 0);
  if (kind != Kind::kTrunc && tail_->size > kBlockHeaderBytes &&
      tail_->size + length > options_.block_size) {
    NewBlock(kind == Kind::kGap ? seq : last_seq_ + 1);
  }
  if (!tail_->pending) {
    tail_->pending = std::make_shared<std::string>();
    tail_->pending_offset = tail_->size;
    tail_->overlays.push_back({tail_->size, tail_->pending});
  }
  AppendControlRecord(tail_->pending.get(), kind, seq, last_ts_, gap_last);
  const auto offset = static_cast<uint32_t>(tail_->size);
  tail_->size += length;
  if (kind == Kind::kTombstone) tail_->tombstones.emplace_back(seq, offset);
  if (kind == Kind::kFloor || kind == Kind::kTrunc) tail_->control.emplace_back(offset, length);
}

void Store::EmitFloor() {
  if (tail_ == nullptr || first_seq_ <= floor_written_) return;
  AppendControl(Kind::kFloor, first_seq_, 0);
  floor_written_ = first_seq_;
}

bool Store::ReadRecord(Block* b, uint64_t offset, uint32_t length, std::string* out) {
  for (auto it = b->overlays.rbegin(); it != b->overlays.rend(); ++it) {
    if (offset >= it->offset && offset + length <= it->offset + it->data->size()) {
      out->assign(it->data->data() + (offset - it->offset), length);
      return true;
    }
  }
  if (offset + length > b->durable_size) return false;
  std::string& w = b->read_window;
  if (b == windowed_ && offset >= b->read_window_offset &&
      offset + length <= b->read_window_offset + w.size()) {
    out->assign(w.data() + (offset - b->read_window_offset), length);
    return true;
  }
  if (!b->file) {
    Status s = env_->NewRandomAccessFile(MsgsDir() + "/" + BlockFileName(b->header.id), &b->file);
    if (!s.ok()) return false;
  }
  size_t got = 0;
  if (length > kReadWindowBytes / 2) {
    out->resize(length);
    return b->file->Read(offset, length, out->data(), &got).ok() && got == length;
  }
  // Reads mostly walk forward (consumers, mirrors, snapshots): one pread serves the next
  // records too. The window's buffer moves between blocks, so a store holds one at most.
  if (windowed_ != nullptr && windowed_ != b) w = std::move(windowed_->read_window);
  windowed_ = b;
  const size_t want = static_cast<size_t>(std::min<uint64_t>(kReadWindowBytes,
                                                             b->durable_size - offset));
  w.resize(want);
  b->read_window_offset = offset;
  if (!b->file->Read(offset, want, w.data(), &got).ok() || got < length) {
    w.clear();
    return false;
  }
  w.resize(got);
  out->assign(w.data(), length);
  return true;
}

// Calls fn(seq) for every sequence in [from, to] whose slot was ever allocated, skipping runs of
// unallocated chunks.
template <typename Fn>
static void ForEachAllocated(SeqIndex& index, uint64_t from, uint64_t to, Fn&& fn) {
  for (uint64_t s = from; s <= to && s != 0;) {
    if (index.Find(s) == nullptr) {
      const uint64_t next_chunk = s - s % SeqIndex::kChunkSlots + SeqIndex::kChunkSlots;
      if (next_chunk <= s) break;
      s = next_chunk;
      continue;
    }
    fn(s);
    s++;
  }
}

void Store::RemoveBlockLater(uint32_t id) {
  auto it = blocks_.find(id);
  NATSD_ASSERT(it != blocks_.end() && it->second.get() != tail_);
  Block* b = it->second.get();
  ForEachAllocated(index_, b->header.first_seq, b->end_seq, [&](uint64_t s) {
    if (index_.State(s) == SlotState::kDeletedPresent && index_.Find(s)->block == id) {
      index_.SetState(s, SlotState::kAbsent);
    }
  });
  lost_seqs_.erase(lost_seqs_.lower_bound(b->header.first_seq),
                   lost_seqs_.upper_bound(b->end_seq));
  FlushOp op;
  op.type = FlushOp::Type::kRemove;
  op.block = id;
  pending_ops_.push_back(std::move(op));
  compaction_candidates_.erase(id);
  if (windowed_ == b) windowed_ = nullptr;
  blocks_.erase(it);
}

bool Store::TombstoneNeeded(const Block* b, uint64_t target) {
  if (index_.State(target) != SlotState::kDeletedPresent) return false;
  const Slot* s = index_.Find(target);
  return s->block < b->header.id && blocks_.count(s->block) > 0;
}

void Store::PlanCompaction(Block* b) {
  const uint32_t id = b->header.id;
  const bool older_exists = blocks_.begin()->first < id;
  std::vector<std::pair<uint64_t, uint32_t>> tombstones;
  for (const auto& t : b->tombstones) {
    if (TombstoneNeeded(b, t.first)) tombstones.push_back(t);
  }
  std::vector<std::pair<uint32_t, uint32_t>> control;
  if (older_exists) control = b->control;
  if (b->live_msgs == 0 && tombstones.empty() && control.empty()) {
    RemoveBlockLater(id);
    return;
  }
  const uint64_t records = b->size - kBlockHeaderBytes;
  const uint64_t keep = b->live_bytes + kRecordHeaderBytes * (tombstones.size() + control.size());
  if (keep * 2 > records) return;  // less than half would be reclaimed
  if (b->durable_size > 0 && !b->file) {
    // Open the current file now: once the job renames the new one into place, reads that run
    // before the job finishes must still see the old layout.
    Status s = env_->NewRandomAccessFile(MsgsDir() + "/" + BlockFileName(id), &b->file);
    if (!s.ok()) return;
  }
  auto rw = std::make_unique<Block::Rewrite>();
  BlockHeader header = b->header;
  NATSD_ASSERT(RandomBytes(&header.generation, sizeof(header.generation)));
  rw->generation = header.generation;
  FlushOp op;
  op.type = FlushOp::Type::kRewrite;
  op.block = id;
  op.data = std::make_shared<std::string>(header.Encode());
  uint64_t offset = kBlockHeaderBytes;
  auto copy = [&](uint32_t old_offset, uint32_t length) {
    op.items.push_back({old_offset, length, nullptr});
    offset += length;
    return static_cast<uint32_t>(offset - length);
  };
  for (const auto& c : control) rw->control.emplace_back(copy(c.first, c.second), c.second);
  auto gap = [&](uint64_t lo, uint64_t hi) {
    auto bytes = std::make_shared<std::string>();
    AppendControlRecord(bytes.get(), Kind::kGap, lo, last_ts_, hi);
    offset += bytes->size();
    op.items.push_back({0, 0, std::move(bytes)});
  };
  for (uint64_t s = b->header.first_seq; s <= b->end_seq;) {
    const uint64_t live = index_.NextLive(s, b->end_seq);
    if (live == 0) {
      gap(s, b->end_seq);
      break;
    }
    if (live > s) gap(s, live - 1);
    const Slot* slot = index_.Find(live);
    if (slot->block == id) {
      rw->offsets[live] = copy(slot->offset, slot->length);
    } else {
      gap(live, live);
    }
    s = live + 1;
  }
  for (const auto& t : tombstones) {
    rw->tombstones.emplace_back(t.first, copy(t.second, kRecordHeaderBytes));
  }
  rw->size = offset;
  // The estimate above ignores GAP records; a rewrite must at least halve the block, which also
  // guarantees that rewriting a block that was just rewritten is never planned again.
  if ((rw->size - kBlockHeaderBytes) * 2 > records) return;
  b->rewrite = std::move(rw);
  pending_ops_.push_back(std::move(op));
}

void Store::ApplyRewrite(Block* b) {
  const uint32_t id = b->header.id;
  Block::Rewrite& rw = *b->rewrite;
  ForEachAllocated(index_, b->header.first_seq, b->end_seq, [&](uint64_t s) {
    if (index_.State(s) == SlotState::kAbsent || index_.Find(s)->block != id) return;
    auto it = rw.offsets.find(s);
    if (it == rw.offsets.end()) {
      index_.SetState(s, SlotState::kAbsent);
    } else {
      index_.Find(s)->offset = it->second;
    }
  });
  for (FlushOp& op : pending_ops_) {
    if (op.type != FlushOp::Type::kOverwrite || op.block != id) continue;
    auto it = rw.offsets.find(op.seq);
    NATSD_ASSERT(it != rw.offsets.end());
    op.offset = it->second;
  }
  b->tombstones = std::move(rw.tombstones);
  b->control = std::move(rw.control);
  b->size = b->durable_size = rw.size;
  b->header.generation = rw.generation;
  b->file.reset();
  b->read_window.clear();  // offsets changed
  b->overlays.clear();
  b->lost_bytes = 0;
  lost_seqs_.erase(lost_seqs_.lower_bound(b->header.first_seq),
                   lost_seqs_.upper_bound(b->end_seq));
  b->rewrite.reset();
}

bool Store::HasPendingWork() const {
  if (closed_ || !failure_.ok() || tail_ == nullptr) return false;
  return !pending_ops_.empty() || (tail_->pending && !tail_->pending->empty()) ||
         !compaction_candidates_.empty() || first_seq_ > floor_written_;
}

std::unique_ptr<FlushJob> Store::TakeFlushJob(bool sync) {
  if (job_out_ || closed_ || !failure_.ok() || tail_ == nullptr) return nullptr;
  EmitFloor();
  CutSegment();
  const size_t data_ops = pending_ops_.size();
  uint64_t budget = kCompactionBytesPerJobMax;
  while (!compaction_candidates_.empty() && budget > 0) {
    const uint32_t id = *compaction_candidates_.begin();
    compaction_candidates_.erase(compaction_candidates_.begin());
    auto it = blocks_.find(id);
    if (it == blocks_.end() || it->second.get() == tail_ || it->second->rewrite) continue;
    budget -= std::min(budget, it->second->size);
    PlanCompaction(it->second.get());
  }
  if (data_ops > 0 && pending_ops_.size() > data_ops) {
    // Compaction drops records on the strength of the tombstones and floors written before it:
    // those must be durable first.
    FlushOp barrier;
    barrier.type = FlushOp::Type::kBarrier;
    pending_ops_.insert(pending_ops_.begin() + static_cast<std::ptrdiff_t>(data_ops),
                        std::move(barrier));
  }
  const bool do_sync = options_.sync_always || sync;
  const bool sync_work = do_sync && (!unsynced_blocks_.empty() || dir_unsynced_);
  if (pending_ops_.empty() && !sync_work) return nullptr;
  auto job = std::make_unique<FlushJob>();
  job->dir = MsgsDir();
  job->store_key = store_key_;
  job->sync = do_sync;
  job->ops.swap(pending_ops_);
  job->kept_block = kept_block_;
  job->kept_file = std::move(kept_file_);
  if (do_sync) {
    job->sync_blocks.swap(unsynced_blocks_);
    job->sync_dir = dir_unsynced_;
    dir_unsynced_ = false;
  }
  job_out_ = true;
  return job;
}

void Store::FinishFlushJob(std::unique_ptr<FlushJob> job) {
  NATSD_ASSERT(job_out_);
  job_out_ = false;
  kept_block_ = job->kept_block;
  kept_file_ = std::move(job->kept_file);
  if (!job->status.ok()) {
    // Which writes reached the disk is unknown: refuse further writes, keep serving reads from
    // memory (the overlays stay).
    if (failure_.ok()) failure_ = job->status;
    return;
  }
  bool reshaped = false;
  for (const FlushOp& op : job->ops) {
    reshaped = reshaped || op.type == FlushOp::Type::kRewrite || op.type == FlushOp::Type::kRemove;
    auto it = blocks_.find(op.block);
    if (it == blocks_.end()) continue;
    Block* b = it->second.get();
    if (op.type == FlushOp::Type::kAppend) {
      b->durable_size = std::max<uint64_t>(b->durable_size, op.offset + op.data->size());
      auto& ov = b->overlays;
      ov.erase(std::remove_if(ov.begin(), ov.end(),
                              [&](const Overlay& o) { return o.data == op.data; }),
               ov.end());
    } else if (op.type == FlushOp::Type::kRewrite && b->rewrite) {
      ApplyRewrite(b);
    }
  }
  if (reshaped) {
    // Records went away: tombstones that deleted them may no longer be needed.
    for (const auto& [id, b] : blocks_) {
      if (b.get() != tail_ && !b->tombstones.empty()) compaction_candidates_.insert(id);
    }
  }
  if (!job->sync) {
    unsynced_blocks_.insert(unsynced_blocks_.end(), job->unsynced_blocks.begin(),
                            job->unsynced_blocks.end());
    dir_unsynced_ = dir_unsynced_ || job->dir_unsynced;
  }
}

Status Store::Close() {
  if (closed_) return failure_;
  NATSD_ASSERT(!job_out_);
  if (failure_.ok()) {
    EmitFloor();
    CutSegment();
    FlushOp op;
    op.type = FlushOp::Type::kWriteIndex;
    op.block = tail_->header.id;
    pending_ops_.push_back(std::move(op));
    std::unique_ptr<FlushJob> job = TakeFlushJob(true);
    if (job) {
      RunFlushJob(env_, job.get());
      FinishFlushJob(std::move(job));
    }
  }
  kept_file_.reset();
  closed_ = true;
  return failure_;
}

}  // namespace natsd::filestore
