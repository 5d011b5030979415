// FaultEnv: an in-memory file system for tests that can lose what was not made durable and fail
// writes on demand (leveldb's fault-injection Env and tigerbeetle's testing storage are the
// models). Each file keeps its written bytes and the bytes as of its last Sync; each directory
// keeps its entries as of its last SyncDir. Crash() throws away everything not synced, the way a
// power loss does.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "util/env.h"

namespace natsd {

class FaultEnv final : public Env {
 public:
  FaultEnv() = default;

  Status NewRandomAccessFile(const std::string& path,
                             std::shared_ptr<RandomAccessFile>* out) override;
  Status NewWritableFile(const std::string& path, bool create,
                         std::unique_ptr<WritableFile>* out) override;
  Status GetFileSize(const std::string& path, uint64_t* size) override;
  Status RenameFile(const std::string& from, const std::string& to) override;
  Status RemoveFile(const std::string& path) override;
  Status TruncateFile(const std::string& path, uint64_t size) override;
  Status CreateDir(const std::string& path) override;
  Status SyncDir(const std::string& path) override;
  Status ListDir(const std::string& path, std::vector<std::string>* names) override;
  bool FileExists(const std::string& path) override;

  // Power loss: files go back to their last synced bytes; entries created, renamed or removed
  // since their directory's last SyncDir are undone. With a non-zero seed, a file that grew since
  // its last sync keeps a random prefix of the new bytes (a torn write).
  void Crash(uint64_t seed = 0);
  // The next `count` mutating operations succeed, every later one fails with an IOError;
  // a negative count turns failures off.
  void FailMutationsAfter(int64_t count);
  // Direct access for corruption tests: the current bytes of a file, and replacing them (the
  // replacement counts as synced).
  bool GetContents(const std::string& path, std::string* out);
  void SetContents(const std::string& path, const std::string& data);
  uint64_t sync_count() const { return sync_count_; }

  struct Node {
    std::string data;
    std::string synced;
  };

 private:
  friend class FaultWritableFile;
  Status CheckMutation();  // REQUIRES: mu_ held
  static std::string DirOf(const std::string& path);

  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Node>> files_;
  std::set<std::string> dirs_;
  // Directory -> (name -> node) as of the directory's last SyncDir.
  std::map<std::string, std::map<std::string, std::shared_ptr<Node>>> durable_;
  int64_t mutations_left_ = -1;
  uint64_t sync_count_ = 0;
};

}  // namespace natsd
