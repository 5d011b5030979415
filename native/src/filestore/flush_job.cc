// The flush worker (flush_job.h).
#include "filestore/flush_job.h"

#include <iterator>
#include <map>
#include <set>

#include "filestore/block_header.h"
#include "filestore/block_scan.h"
#include "filestore/index_file.h"
#include "filestore/record.h"

namespace natsd::filestore {
namespace {

class Runner {
 public:
  Runner(Env* env, FlushJob* job) : env_(env), job_(job) {}

  Status Run() {
    if (job_->kept_file) writers_.emplace(job_->kept_block, std::move(job_->kept_file));
    Status s = RunOps();
    // Keep the newest block's file open for the next job (appends go to the tail); after a
    // failure nothing is kept, so the next writer starts from a fresh open.
    if (s.ok() && !writers_.empty()) {
      auto newest = std::prev(writers_.end());
      job_->kept_block = newest->first;
      job_->kept_file = std::move(newest->second);
    }
    return s;
  }

 private:
  Status RunOps() {
    for (uint32_t id : job_->sync_blocks) dirty_.insert(id);
    dir_dirty_ = job_->sync_dir;
    for (const FlushOp& op : job_->ops) {
      Status s = Execute(op);
      if (!s.ok()) return s;
    }
    if (job_->sync) return SyncAll();
    job_->unsynced_blocks.assign(dirty_.begin(), dirty_.end());
    job_->dir_unsynced = dir_dirty_;
    return Status::OK();
  }


  std::string Path(uint32_t id) const { return job_->dir + "/" + BlockFileName(id); }

  Status Writer(uint32_t id, bool create, WritableFile** out) {
    auto it = writers_.find(id);
    if (it == writers_.end()) {
      std::unique_ptr<WritableFile> file;
      Status s = env_->NewWritableFile(Path(id), create, &file);
      if (!s.ok()) return s;
      it = writers_.emplace(id, std::move(file)).first;
    }
    *out = it->second.get();
    return Status::OK();
  }

  Status SyncAll() {
    for (uint32_t id : dirty_) {
      WritableFile* file = nullptr;
      Status s = Writer(id, false, &file);
      if (s.IsNotFound()) continue;  // removed since it was written
      if (s.ok()) s = file->Sync();
      if (!s.ok()) return s;
    }
    dirty_.clear();
    if (dir_dirty_) {
      Status s = env_->SyncDir(job_->dir);
      if (!s.ok()) return s;
      dir_dirty_ = false;
    }
    return Status::OK();
  }

  Status Execute(const FlushOp& op) {
    switch (op.type) {
      case FlushOp::Type::kAppend:
      case FlushOp::Type::kOverwrite: {
        WritableFile* file = nullptr;
        const bool create = op.type == FlushOp::Type::kAppend && op.offset == 0;
        Status s = Writer(op.block, create, &file);
        if (s.ok()) s = file->WriteAt(op.offset, op.data->data(), op.data->size());
        if (!s.ok()) return s;
        dirty_.insert(op.block);
        dir_dirty_ = dir_dirty_ || create;
        return Status::OK();
      }
      case FlushOp::Type::kBarrier:
        return SyncAll();
      case FlushOp::Type::kRemove:
        return Remove(op.block);
      case FlushOp::Type::kRewrite:
        return Rewrite(op);
      case FlushOp::Type::kWriteIndex:
        return WriteIndex(op.block);
    }
    return Status::OK();
  }

  Status Remove(uint32_t id) {
    writers_.erase(id);
    dirty_.erase(id);
    for (const std::string& name : {BlockFileName(id), IndexFileName(id)}) {
      Status s = env_->RemoveFile(job_->dir + "/" + name);
      if (!s.ok() && !s.IsNotFound()) return s;
    }
    dir_dirty_ = true;
    return Status::OK();
  }

  Status Rewrite(const FlushOp& op) {
    std::string old;
    Status s = env_->ReadFile(Path(op.block), &old);
    if (!s.ok()) return s;
    std::string content = *op.data;  // the new header
    for (const RewriteItem& item : op.items) {
      if (item.bytes) {
        content.append(*item.bytes);
      } else {
        if (static_cast<uint64_t>(item.old_offset) + item.length > old.size()) {
          return Status::Corruption("rewrite of block " + std::to_string(op.block) +
                                    " reads past its end");
        }
        content.append(old, item.old_offset, item.length);
      }
    }
    writers_.erase(op.block);
    dirty_.erase(op.block);
    const std::string tmp = Path(op.block) + ".tmp";
    std::unique_ptr<WritableFile> file;
    s = env_->NewWritableFile(tmp, true, &file);
    if (s.ok()) s = file->Truncate(0);
    if (s.ok()) s = file->WriteAt(0, content.data(), content.size());
    if (s.ok()) s = file->Sync();
    file.reset();
    if (s.ok()) s = env_->RenameFile(tmp, Path(op.block));
    if (!s.ok()) return s;
    dir_dirty_ = true;
    return IndexContent(op.block, content);
  }

  Status WriteIndex(uint32_t id) {
    auto it = writers_.find(id);
    if (dirty_.count(id) > 0 && it != writers_.end()) {
      Status s = it->second->Sync();
      if (!s.ok()) return s;
      dirty_.erase(id);
    }
    std::string content;
    Status s = env_->ReadFile(Path(id), &content);
    if (!s.ok()) return s;
    return IndexContent(id, content);
  }

  // Scans a block's (synced) content and writes its index atomically.
  Status IndexContent(uint32_t id, const std::string& content) {
    BlockHeader header;
    if (content.size() < kBlockHeaderBytes || !header.DecodeFrom(content.data())) {
      return Status::Corruption("block " + std::to_string(id) + " has a bad header");
    }
    std::unique_ptr<RecordCodec> codec;
    Status s = RecordCodec::Create(header, job_->store_key, &codec);
    if (!s.ok()) return s;
    ScanResult scan;
    ScanBlock(content.data(), content.size(), kBlockHeaderBytes, header.first_seq, codec.get(),
              &scan);
    const std::string index = EncodeIndex(header, scan.end, scan, codec.get());
    s = env_->WriteFileAtomic(job_->dir, IndexFileName(id), index);
    if (s.ok()) dir_dirty_ = false;  // WriteFileAtomic synced the directory
    return s;
  }

  Env* env_;
  FlushJob* job_;
  std::map<uint32_t, std::unique_ptr<WritableFile>> writers_;
  std::set<uint32_t> dirty_;
  bool dir_dirty_ = false;
};

}  // namespace

void RunFlushJob(Env* env, FlushJob* job) { job->status = Runner(env, job).Run(); }

}  // namespace natsd::filestore
