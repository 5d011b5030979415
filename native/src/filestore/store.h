// The native file store: a stream's messages in block files with an in-memory sequence index,
// per-subject index and time-to-live index, and every JetStream store operation on top of them.
// Format and recovery rules: native/docs/filestore.md.
//
// Threading: a Store is used from one thread (the JS thread). The only work done elsewhere is a
// FlushJob taken with TakeFlushJob, run by RunFlushJob on a worker thread, and handed back with
// FinishFlushJob; at most one job is out at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "filestore/block_header.h"
#include "filestore/flush_job.h"
#include "filestore/record.h"
#include "filestore/seq_index.h"
#include "filestore/subject_index.h"
#include "util/env.h"

namespace natsd::filestore {

// Results of store operations that a caller can cause. The numbers cross the N-API boundary.
enum class Code : int {
  kOk = 0,
  kNotFound = -1,
  kDeleted = -2,
  kEof = -3,
  kClosed = -4,
  kMaxMsgs = -5,
  kMaxBytes = -6,
  kMaxMsgsPerSubject = -7,
  kMsgTooBig = -8,
  kSeqMismatch = -9,
  kCorrupt = -10,
  kIoError = -11,
  kBadKey = -12,
  kInvalid = -13,
};

struct Limits {
  int64_t max_msgs = 0;  // <= 0: unlimited (the same for every limit)
  int64_t max_bytes = 0;
  int64_t max_age_ns = 0;
  int64_t max_msgs_per_subject = 0;
  int64_t max_msg_size = 0;  // headers + payload
  bool discard_new = false;
  bool discard_new_per_subject = false;
};

struct Options {
  std::string dir;
  uint32_t block_size = kBlockSizeBytesDefault;
  bool compress = false;
  CipherId cipher = CipherId::kNone;
  std::string key;  // 32 bytes when cipher is set
  bool sync_always = true;
  Limits limits;
};

struct MsgIn {
  std::string_view subject, hdr, payload;
  uint64_t seq = 0;  // 0: the next sequence
  int64_t ts = 0;
  int64_t ttl = 0;             // seconds; -1 never expires
  bool per_subject_exempt = false;  // a rollup: skip the discard-new per-subject check
};

struct StoredMsg {
  uint64_t seq = 0;
  int64_t ts = 0;
  DecodedMsg msg;  // subject(), hdr(), payload(), ttl
};

struct SimpleState {
  uint64_t msgs = 0;
  uint64_t first = 0;
  uint64_t last = 0;
};

struct FastState {
  uint64_t msgs = 0, bytes = 0, first_seq = 0, last_seq = 0;
  int64_t first_ts = 0, last_ts = 0;
  uint64_t num_subjects = 0, num_deleted = 0;
  int64_t next_expiry = 0;  // unix ns of the next age/TTL expiry, 0: none
  uint64_t lost_msgs = 0, lost_bytes = 0;
  uint64_t pending_bytes = 0;  // appended but not yet handed to a flush job or written
};

struct DamageEvent {
  uint32_t block = 0;
  uint64_t offset = 0;
  uint64_t length = 0;
  std::string reason;
};

class SnapshotCursor;

class Store {
 public:
  static Status Open(Env* env, Options options, std::unique_ptr<Store>* out);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Writes. REQUIRES: !closed().
  Code Append(const MsgIn& m, bool discard_new_check, uint64_t* seq_out);
  Code Skip(uint64_t seq, uint64_t count, int64_t ts);  // seq 0: the next sequence
  Code Remove(uint64_t seq, bool secure);
  uint64_t Purge();
  uint64_t PurgeEx(std::string_view filter, uint64_t seq, uint64_t keep);
  uint64_t Compact(uint64_t seq);
  Code Truncate(uint64_t seq);
  void UpdateLimits(const Limits& limits);
  uint64_t Expire(int64_t now);  // removes messages past max_age or their TTL

  // Reads.
  Code Load(uint64_t seq, StoredMsg* out);
  Code LoadLast(std::string_view filter, StoredMsg* out);
  Code LoadNext(std::string_view filter, uint64_t start, StoredMsg* out);
  Code LoadPrev(std::string_view filter, uint64_t start, StoredMsg* out);
  Code SubjectForSeq(uint64_t seq, std::string* out);
  uint64_t GetSeqFromTime(int64_t ts);
  SimpleState FilteredState(uint64_t start, std::string_view filter);
  std::vector<std::pair<std::string, SimpleState>> SubjectsState(std::string_view filter);
  uint64_t NumPending(uint64_t start, std::string_view filter, bool last_per_subject);
  std::vector<uint64_t> AllLastSeqs();
  FastState GetFastState();
  std::vector<uint64_t> DeletedSeqs();  // interior deletes, ascending
  std::vector<uint64_t> LostSeqs();
  std::vector<DamageEvent> TakeDamage();
  uint64_t MsgSize(uint64_t seq);  // accounted bytes of a live message, 0 if none

  // Durability (see the class comment). TakeFlushJob returns nullptr when there is nothing to
  // write or sync; `sync` forces a sync in sync-interval mode.
  std::unique_ptr<FlushJob> TakeFlushJob(bool sync);
  void FinishFlushJob(std::unique_ptr<FlushJob> job);
  bool job_out() const { return job_out_; }
  // True when a flush job would have something to write now (sync-interval syncs excluded).
  bool HasPendingWork() const;
  const Status& failure() const { return failure_; }
  // Writes everything, indexes the tail block and syncs, on the calling thread.
  // REQUIRES: !job_out().
  Status Close();
  bool closed() const { return closed_; }

  // A consistent view of the live messages as of now (snapshot.h).
  std::unique_ptr<SnapshotCursor> OpenSnapshot();

 private:
  friend class StoreOpener;
  friend class SnapshotCursor;
  struct Overlay {
    uint64_t offset = 0;
    std::shared_ptr<std::string> data;
  };
  struct Block {
    BlockHeader header;
    uint64_t end_seq = 0;       // last covered sequence (first_seq - 1 when none)
    uint64_t size = 0;          // bytes including pending ones
    uint64_t durable_size = 0;  // bytes written by finished jobs
    std::shared_ptr<RandomAccessFile> file;
    std::vector<Overlay> overlays;     // bytes not yet written to the file
    std::shared_ptr<std::string> pending;  // the open append segment (also in overlays)
    uint64_t pending_offset = 0;
    uint64_t live_msgs = 0;
    uint64_t live_bytes = 0;  // record bytes of live messages
    std::vector<std::pair<uint64_t, uint32_t>> tombstones;  // (target seq, offset)
    std::vector<std::pair<uint32_t, uint32_t>> control;     // FLOOR/TRUNC (offset, length)
    uint64_t lost_bytes = 0;  // damaged bytes found in this block
    // Set while a compaction rewrite is out: the layout the block will have afterwards.
    struct Rewrite {
      uint64_t generation = 0;
      uint64_t size = 0;
      std::unordered_map<uint64_t, uint32_t> offsets;  // seq -> new offset of copied messages
      std::vector<std::pair<uint64_t, uint32_t>> tombstones;
      std::vector<std::pair<uint32_t, uint32_t>> control;
    };
    std::unique_ptr<Rewrite> rewrite;
    std::unique_ptr<RecordCodec> codec;
    // Durable bytes read ahead from the file (ReadRecord), starting at read_window_offset.
    // Durable bytes never change in place (a rewrite clears this), so it cannot go stale.
    std::string read_window;
    uint64_t read_window_offset = 0;
  };

  Store(Env* env, Options options);
  std::string MsgsDir() const { return options_.dir + "/msgs"; }

  // Blocks and records (store_write.cc).
  Block* NewBlock(uint64_t first_seq);  // becomes the tail
  void AppendRecord(const std::string& record, uint32_t* block, uint32_t* offset);
  void AppendControl(Kind kind, uint64_t seq, uint64_t gap_last);
  void CutSegment();
  bool ReadRecord(Block* b, uint64_t offset, uint32_t length, std::string* out);
  Code ReadMsg(uint64_t seq, StoredMsg* out);
  void RemoveBlockLater(uint32_t id);
  void PlanCompaction(Block* b);
  bool TombstoneNeeded(const Block* b, uint64_t target);
  void ApplyRewrite(Block* b);
  void EmitFloor();
  void ClearAll();
  void RemoveBlocksBelowTail(uint64_t below_seq, bool all);

  // Index maintenance (store.cc).
  void IndexMsg(uint64_t seq, uint32_t block, uint32_t offset, uint32_t length,
                std::string_view subject, int64_t ts, int64_t ttl, uint64_t size);
  bool DeleteSeq(uint64_t seq, bool physically_present, uint64_t* size_out);
  void UnlinkSubject(uint64_t seq, Slot* slot);
  void AdvanceFirst();
  void MarkLost(uint64_t seq, Block* b, uint64_t bytes, const char* reason);
  void EnforceLimits();
  Code CheckDiscardNew(const MsgIn& m, uint64_t size);
  int64_t NextExpiry();
  // Queries over one subject's chain (store_query.cc).
  std::pair<uint64_t, uint64_t> SubjectCountFrom(uint32_t id, uint64_t start);
  uint64_t SubjectNextFrom(uint32_t id, uint64_t start);
  uint64_t SubjectPrevFrom(uint32_t id, uint64_t start);
  uint64_t NextMatch(const SubjectFilter& f, uint64_t start);
  uint64_t PrevMatch(const SubjectFilter& f, uint64_t start);

  Env* env_;
  Options options_;
  std::string store_key_;
  std::map<uint32_t, std::unique_ptr<Block>> blocks_;
  Block* tail_ = nullptr;
  // The one block holding a read window: a store keeps at most kReadWindowBytes read ahead.
  Block* windowed_ = nullptr;
  uint32_t next_block_id_ = 1;

  SeqIndex index_;
  SubjectIndex subjects_;
  std::set<std::pair<int64_t, uint64_t>> ttl_queue_;  // (expiry ns, seq)
  std::unordered_map<uint64_t, int64_t> ttl_of_;      // seq -> expiry ns
  uint64_t age_cursor_ = 0;  // live sequences below this never expire by age

  uint64_t msgs_ = 0, bytes_ = 0, first_seq_ = 1, last_seq_ = 0;
  int64_t last_ts_ = 0;
  uint64_t floor_written_ = 0;  // the highest FLOOR record made durable-bound so far

  std::vector<FlushOp> pending_ops_;
  std::set<uint32_t> compaction_candidates_;
  std::vector<uint32_t> unsynced_blocks_;
  bool dir_unsynced_ = false;
  bool job_out_ = false;
  // The tail block's writer, lent to each flush job (FlushJob::kept_file); one open file per store.
  uint32_t kept_block_ = 0;
  std::unique_ptr<WritableFile> kept_file_;
  bool closed_ = false;
  Status failure_;
  std::set<uint64_t> lost_seqs_;
  uint64_t orphan_lost_bytes_ = 0;  // in blocks ignored for a bad header
  std::vector<DamageEvent> damage_;
};

}  // namespace natsd::filestore
