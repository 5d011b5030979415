// Store: opening and recovery (native/docs/filestore.md section 7). Every block is read from its
// index file when one is valid, else scanned; then all records are replayed in block-id order.
#include <algorithm>

#include "filestore/block_scan.h"
#include "filestore/index_file.h"
#include "filestore/store.h"
#include "util/assert.h"

namespace natsd::filestore {

class StoreOpener {
 public:
  StoreOpener(Store* store) : s_(store), dir_(store->MsgsDir()) {}

  Status Run();

 private:
  struct Loaded {
    BlockHeader header;
    uint64_t size = 0;
    ScanResult scan;
    bool torn = false;
    bool reindex = false;
    std::vector<uint64_t> lost;  // sequences the index knew of that the block no longer has
    uint64_t lost_bytes = 0;
  };
  void TrimToFile(Loaded* loaded, uint64_t file_size, uint64_t* covered);

  Status ListBlocks(std::vector<uint32_t>* ids);
  Status LoadBlock(uint32_t id, bool last, std::unique_ptr<Loaded>* out);
  void Damage(uint32_t block, uint64_t offset, uint64_t length, const std::string& reason);
  void Replay(Loaded* loaded, bool prev_torn, uint64_t prev_end);
  void ReplayEntry(Store::Block* b, const ScanResult& scan, const ScanEntry& e);

  void Lost(uint64_t seq) {
    if (seq >= floor_) s_->lost_seqs_.insert(seq);
  }
  // Lists the sequences [from, to) as lost, unless there are implausibly many.
  void LostRange(uint32_t block, uint64_t from, uint64_t to) {
    if (to <= from) return;
    if (to - from > kCoverageHoleSeqsMax) {
      Damage(block, 0, 0, "lost sequences " + std::to_string(from) + " to " +
                              std::to_string(to - 1) + " (too many to list)");
      return;
    }
    for (uint64_t s = from; s < to; s++) Lost(s);
  }

  Store* s_;
  std::string dir_;
  uint64_t floor_ = 0;  // the highest FLOOR replayed: nothing below it is reported lost
};

void StoreOpener::Damage(uint32_t block, uint64_t offset, uint64_t length,
                         const std::string& reason) {
  DamageEvent event;
  event.block = block;
  event.offset = offset;
  event.length = length;
  event.reason = reason;
  s_->damage_.push_back(std::move(event));
}

Status StoreOpener::ListBlocks(std::vector<uint32_t>* ids) {
  std::vector<std::string> names;
  Status s = s_->env_->ListDir(dir_, &names);
  if (!s.ok()) return s;
  std::vector<uint32_t> index_ids;
  for (const std::string& name : names) {
    uint32_t id;
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0) {
      s = s_->env_->RemoveFile(dir_ + "/" + name);  // an unfinished rewrite or index
      if (!s.ok() && !s.IsNotFound()) return s;
    } else if (ParseBlockFileName(name, &id)) {
      ids->push_back(id);
    }
  }
  std::sort(ids->begin(), ids->end());
  for (const std::string& name : names) {
    // An index whose block is gone (removed by a crashed purge) is deleted.
    const size_t dot = name.find(".idx");
    if (dot == std::string::npos || dot + 4 != name.size()) continue;
    uint32_t id;
    if (ParseBlockFileName(name.substr(0, dot) + ".blk", &id) &&
        !std::binary_search(ids->begin(), ids->end(), id)) {
      s_->env_->RemoveFile(dir_ + "/" + name);
    }
  }
  return Status::OK();
}

// Reads len bytes of a block at offset.
static Status ReadAt(const RandomAccessFile& file, uint64_t offset, uint64_t len,
                     std::string* out) {
  out->resize(len);
  size_t got = 0;
  Status s = file.Read(offset, len, out->data(), &got);
  out->resize(got);
  return s;
}

Status StoreOpener::LoadBlock(uint32_t id, bool last, std::unique_ptr<Loaded>* out) {
  const std::string path = dir_ + "/" + BlockFileName(id);
  std::shared_ptr<RandomAccessFile> file;
  uint64_t size = 0;
  Status s = s_->env_->NewRandomAccessFile(path, &file);
  if (s.ok()) s = s_->env_->GetFileSize(path, &size);
  std::string head;
  if (s.ok()) s = ReadAt(*file, 0, std::min<uint64_t>(size, kBlockHeaderBytes), &head);
  if (!s.ok()) return s;
  auto loaded = std::make_unique<Loaded>();
  if (size < kBlockHeaderBytes) {
    if (last) return s_->env_->RemoveFile(path);  // died while creating it
    Damage(id, 0, size, "incomplete block header");
    s_->orphan_lost_bytes_ += size;
    return Status::OK();
  }
  if (!loaded->header.DecodeFrom(head.data()) || loaded->header.id != id) {
    // Without its header the block cannot be trusted at all (its key and first sequence are
    // unknown): it is reported, left in place for inspection, and never served.
    Damage(id, 0, size, "bad block header");
    s_->orphan_lost_bytes_ += size;
    return Status::OK();
  }
  std::unique_ptr<RecordCodec> codec;
  s = RecordCodec::Create(loaded->header, s_->store_key_, &codec);
  if (!s.ok()) return s;
  std::string index;
  uint64_t covered = 0;
  ScanResult& scan = loaded->scan;
  const bool have_index =
      s_->env_->ReadFile(dir_ + "/" + IndexFileName(id), &index).ok() &&
      DecodeIndex(index, loaded->header, UINT64_MAX, codec.get(), &covered, &scan);
  if (have_index && covered > size) {
    Damage(id, size, covered - size, "block shorter than its index");
    TrimToFile(loaded.get(), size, &covered);
  }
  uint64_t next_cover = loaded->header.first_seq;
  if (have_index) {
    for (const ScanEntry& e : scan.entries) {
      if (e.kind == Kind::kMsg || e.kind == Kind::kErased) next_cover = e.seq + 1;
      if (e.kind == Kind::kGap) next_cover = e.gap_last + 1;
    }
  } else {
    scan = ScanResult();
    covered = kBlockHeaderBytes;
    loaded->reindex = true;
  }
  // With a valid index only the bytes it does not describe are read.
  std::string rest;
  s = ReadAt(*file, covered, size - covered, &rest);
  if (!s.ok()) return s;
  ScanBlock(rest.data(), covered, covered + rest.size(), covered, next_cover, codec.get(), &scan);
  for (const DamagedRange& d : scan.damage) {
    Damage(id, d.offset, d.length, d.torn_tail ? "torn tail" : "bad checksum");
  }
  if (!scan.damage.empty() && scan.damage.back().torn_tail) {
    loaded->torn = true;
    s = s_->env_->TruncateFile(path, scan.end);
    if (!s.ok()) return s;
    loaded->reindex = true;
  }
  loaded->size = scan.end;
  *out = std::move(loaded);
  return Status::OK();
}

// The block lost bytes its index describes (truncated by something other than us): the records
// past the end are lost, and the block ends where its last complete record does.
void StoreOpener::TrimToFile(Loaded* loaded, uint64_t file_size, uint64_t* covered) {
  auto& entries = loaded->scan.entries;
  size_t keep = 0;
  while (keep < entries.size() && entries[keep].offset + entries[keep].length <= file_size) keep++;
  for (size_t i = keep; i < entries.size(); i++) {
    const ScanEntry& e = entries[i];
    if (e.kind == Kind::kMsg || e.kind == Kind::kErased) loaded->lost.push_back(e.seq);
  }
  loaded->lost_bytes += *covered - file_size;
  entries.resize(keep);
  *covered = keep == 0 ? kBlockHeaderBytes : entries.back().offset + entries.back().length;
  loaded->torn = true;
  loaded->reindex = true;
}

void StoreOpener::ReplayEntry(Store::Block* b, const ScanResult& scan, const ScanEntry& e) {
  Store& st = *s_;
  const uint32_t id = b->header.id;
  switch (e.kind) {
    case Kind::kMsg: {
      const std::string& subject = scan.subjects[e.subject];
      const uint64_t size = MsgSizeBytes(subject.size(), e.hdr_len, e.payload_len);
      st.IndexMsg(e.seq, id, e.offset, e.length, subject, e.ts, e.ttl, size);
      break;
    }
    case Kind::kErased: {
      if (st.index_.State(e.seq) == SlotState::kLive) st.DeleteSeq(e.seq, true, nullptr);
      Slot* slot = st.index_.Ensure(e.seq);
      *slot = Slot{};
      slot->block = id;
      slot->offset = e.offset;
      slot->length = e.length;
      st.index_.SetState(e.seq, SlotState::kDeletedPresent);
      st.last_seq_ = std::max(st.last_seq_, e.seq);
      break;
    }
    case Kind::kGap:
      st.last_seq_ = std::max(st.last_seq_, e.gap_last);
      break;
    case Kind::kTombstone:
      st.DeleteSeq(e.seq, true, nullptr);
      st.lost_seqs_.erase(e.seq);
      b->tombstones.emplace_back(e.seq, e.offset);
      break;
    case Kind::kFloor:
      for (uint64_t s = st.index_.NextLive(0, e.seq - 1); s != 0 && s < e.seq;
           s = st.index_.NextLive(s + 1, e.seq - 1)) {
        st.DeleteSeq(s, true, nullptr);
      }
      st.lost_seqs_.erase(st.lost_seqs_.begin(), st.lost_seqs_.lower_bound(e.seq));
      floor_ = std::max(floor_, e.seq);
      st.last_seq_ = std::max(st.last_seq_, e.seq - 1);
      b->control.emplace_back(e.offset, e.length);
      break;
    case Kind::kTrunc:
      for (uint64_t s = st.index_.PrevLive(e.seq + 1, st.last_seq_); s != 0 && s > e.seq;
           s = st.index_.PrevLive(e.seq + 1, s - 1)) {
        st.DeleteSeq(s, true, nullptr);
      }
      st.index_.DropAbove(e.seq);
      st.lost_seqs_.erase(st.lost_seqs_.upper_bound(e.seq), st.lost_seqs_.end());
      for (auto& [other_id, other] : st.blocks_) {
        if (other_id != id && other->end_seq > e.seq) {
          other->end_seq = std::max(e.seq, other->header.first_seq - 1);
        }
      }
      st.last_seq_ = e.seq;
      b->control.emplace_back(e.offset, e.length);
      break;
  }
  if (st.msgs_ == 0) st.first_seq_ = st.last_seq_ + 1;
}

void StoreOpener::Replay(Loaded* loaded, bool prev_torn, uint64_t prev_end) {
  Store& st = *s_;
  auto block = std::make_unique<Store::Block>();
  Store::Block* b = block.get();
  b->header = loaded->header;
  NATSD_ASSERT(RecordCodec::Create(b->header, st.store_key_, &b->codec).ok());
  b->size = b->durable_size = loaded->size;
  b->end_seq = b->header.first_seq - 1;
  st.blocks_[b->header.id] = std::move(block);
  st.last_seq_ = std::max(st.last_seq_, b->header.first_seq - 1);
  if (prev_torn && b->header.first_seq > prev_end + 1) {
    // The previous block lost its tail: the sequences it would have reached are lost.
    LostRange(b->header.id, prev_end + 1, b->header.first_seq);
  }
  uint64_t expect = b->header.first_seq;
  for (const DamagedRange& d : loaded->scan.damage) b->lost_bytes += d.length;
  b->lost_bytes += loaded->lost_bytes;
  for (const ScanEntry& e : loaded->scan.entries) {
    const bool covers = e.kind == Kind::kMsg || e.kind == Kind::kErased || e.kind == Kind::kGap;
    if (covers) {
      LostRange(b->header.id, expect, e.seq);  // a hole: damage
      expect = (e.kind == Kind::kGap ? e.gap_last : e.seq) + 1;
      b->end_seq = expect - 1;
    }
    ReplayEntry(b, loaded->scan, e);
  }
  for (uint64_t s : loaded->lost) {
    Lost(s);
    st.last_seq_ = std::max(st.last_seq_, s);
  }
  if (st.msgs_ == 0) st.first_seq_ = st.last_seq_ + 1;
}

Status StoreOpener::Run() {
  Store& st = *s_;
  Status s = st.env_->CreateDir(dir_);
  if (!s.ok()) return s;
  std::vector<uint32_t> ids;
  s = ListBlocks(&ids);
  if (!s.ok()) return s;
  bool prev_torn = false;
  uint64_t prev_end = 0;
  std::vector<uint32_t> reindex;
  for (size_t i = 0; i < ids.size(); i++) {
    std::unique_ptr<Loaded> loaded;
    s = LoadBlock(ids[i], i + 1 == ids.size(), &loaded);
    if (!s.ok()) return s;
    st.next_block_id_ = std::max(st.next_block_id_, ids[i] + 1);
    if (!loaded) {
      prev_torn = true;  // the sequences up to the next block's first are lost
      continue;
    }
    Replay(loaded.get(), prev_torn, prev_end);
    prev_torn = loaded->torn;
    prev_end = st.blocks_.at(ids[i])->end_seq;
    if (loaded->reindex) reindex.push_back(ids[i]);
  }
  if (st.blocks_.empty()) {
    st.NewBlock(st.last_seq_ + 1);
  } else {
    st.tail_ = st.blocks_.rbegin()->second.get();
  }
  st.first_seq_ = st.msgs_ == 0 ? st.last_seq_ + 1 : st.index_.NextLive(0, st.last_seq_);
  st.floor_written_ = st.first_seq_;
  // Lost sequences that were deleted anyway, or are outside the store, are not reported.
  st.lost_seqs_.erase(st.lost_seqs_.upper_bound(st.last_seq_), st.lost_seqs_.end());
  for (auto it = st.lost_seqs_.begin(); it != st.lost_seqs_.end();) {
    it = st.index_.State(*it) == SlotState::kLive ? st.lost_seqs_.erase(it) : std::next(it);
  }
  for (uint32_t id : reindex) {
    if (st.blocks_.count(id) == 0 || st.blocks_.at(id).get() == st.tail_) continue;
    FlushOp op;
    op.type = FlushOp::Type::kWriteIndex;
    op.block = id;
    st.pending_ops_.push_back(std::move(op));
  }
  for (const auto& [id, b] : st.blocks_) {
    if (b.get() != st.tail_ && (b->live_msgs == 0 || b->live_bytes * 2 < b->size)) {
      st.compaction_candidates_.insert(id);
    }
  }
  return Status::OK();
}

Status Store::Open(Env* env, Options options, std::unique_ptr<Store>* out) {
  if (options.block_size < kBlockSizeBytesMin || options.block_size > kBlockSizeBytesMax) {
    return Status::InvalidArgument("block size out of range");
  }
  if (options.cipher != CipherId::kNone && options.key.size() != kAeadKeyBytes) {
    return Status::BadKey("encryption needs a 32-byte key");
  }
  std::unique_ptr<Store> store(new Store(env, std::move(options)));
  Status s = StoreOpener(store.get()).Run();
  if (!s.ok()) return s;
  *out = std::move(store);
  return Status::OK();
}

}  // namespace natsd::filestore
