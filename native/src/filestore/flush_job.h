// Flush jobs: the file operations a batch of store mutations needs, executed in order on a worker
// thread (RunFlushJob) while the event loop keeps running. A job owns everything it touches; the
// store hands its pending writes to a job and keeps serving reads of them from memory until the
// job finishes (native/docs/filestore.md section 9).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "util/env.h"
#include "util/status.h"

namespace natsd::filestore {

// One piece of a rewritten block: a record copied from the old file, or new bytes.
struct RewriteItem {
  uint32_t old_offset = 0;
  uint32_t length = 0;
  std::shared_ptr<const std::string> bytes;  // set: write these instead of copying
};

struct FlushOp {
  enum class Type {
    kAppend,      // write data at offset of block (creating the file at offset 0)
    kOverwrite,   // write data at offset of an existing block (secure erase)
    kBarrier,     // sync every file and the directory written so far
    kRemove,      // delete the block and its index
    kRewrite,     // compaction: write header + items to <id>.blk.tmp, sync, rename, index it
    kWriteIndex,  // sync the block, scan it and write <id>.idx atomically
  };
  Type type = Type::kAppend;
  uint32_t block = 0;
  uint64_t offset = 0;
  uint64_t seq = 0;  // kOverwrite: the erased sequence
  std::shared_ptr<const std::string> data;
  std::vector<RewriteItem> items;
};

inline FlushOp MakeOp(FlushOp::Type type, uint32_t block = 0) {
  FlushOp op;
  op.type = type;
  op.block = block;
  return op;
}

struct FlushJob {
  std::string dir;        // the msgs directory
  std::string store_key;  // to decode encrypted blocks when indexing them
  bool sync = true;       // sync everything written at the end of the job
  std::vector<FlushOp> ops;
  std::vector<uint32_t> sync_blocks;  // blocks written (not synced) by earlier jobs
  bool sync_dir = false;              // the directory changed in an earlier job
  // The tail block's open file, carried from job to job so that a group commit costs one
  // write and one fdatasync, not also an open and a close. In: the store's; out: the one to keep.
  uint32_t kept_block = 0;
  std::unique_ptr<WritableFile> kept_file;
  // Results, read by the store when the job finishes.
  Status status;
  std::vector<uint32_t> unsynced_blocks;
  bool dir_unsynced = false;
};

// Executes the job's operations in order. Stops at the first failure (job->status).
// Thread-compatible: touches only the Env and the job.
void RunFlushJob(Env* env, FlushJob* job);

}  // namespace natsd::filestore
