// The in-memory, fault-injecting Env used by the C++ tests (see fault_env.h).
#include "util/fault_env.h"

#include <algorithm>

namespace natsd {
namespace {

class FaultRandomAccessFile final : public RandomAccessFile {
 public:
  FaultRandomAccessFile(std::mutex* mu, std::shared_ptr<FaultEnv::Node> node)
      : mu_(mu), node_(std::move(node)) {}
  Status Read(uint64_t offset, size_t n, char* scratch, size_t* got) const override {
    std::lock_guard<std::mutex> lock(*mu_);
    const std::string& data = node_->data;
    if (offset >= data.size()) {
      *got = 0;
      return Status::OK();
    }
    *got = std::min<size_t>(n, data.size() - offset);
    std::copy_n(data.data() + offset, *got, scratch);
    return Status::OK();
  }

 private:
  std::mutex* mu_;
  std::shared_ptr<FaultEnv::Node> node_;
};

}  // namespace

class FaultWritableFile final : public WritableFile {
 public:
  FaultWritableFile(FaultEnv* env, std::shared_ptr<FaultEnv::Node> node)
      : env_(env), node_(std::move(node)) {}
  Status WriteAt(uint64_t offset, const char* data, size_t n) override {
    std::lock_guard<std::mutex> lock(env_->mu_);
    Status s = env_->CheckMutation();
    if (!s.ok()) return s;
    std::string& d = node_->data;
    if (d.size() < offset + n) d.resize(offset + n, '\0');
    std::copy_n(data, n, d.begin() + static_cast<std::ptrdiff_t>(offset));
    return Status::OK();
  }
  Status Truncate(uint64_t size) override {
    std::lock_guard<std::mutex> lock(env_->mu_);
    Status s = env_->CheckMutation();
    if (!s.ok()) return s;
    node_->data.resize(size, '\0');
    return Status::OK();
  }
  Status Sync() override {
    std::lock_guard<std::mutex> lock(env_->mu_);
    Status s = env_->CheckMutation();
    if (!s.ok()) return s;
    node_->synced = node_->data;
    env_->sync_count_++;
    return Status::OK();
  }

 private:
  FaultEnv* env_;
  std::shared_ptr<FaultEnv::Node> node_;
};

std::string FaultEnv::DirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

Status FaultEnv::CheckMutation() {
  if (mutations_left_ == 0) return Status::IOError("injected write failure");
  if (mutations_left_ > 0) mutations_left_--;
  return Status::OK();
}

Status FaultEnv::NewRandomAccessFile(const std::string& path,
                                     std::shared_ptr<RandomAccessFile>* out) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return Status::NotFound(path);
  *out = std::make_shared<FaultRandomAccessFile>(&mu_, it->second);
  return Status::OK();
}

Status FaultEnv::NewWritableFile(const std::string& path, bool create,
                                 std::unique_ptr<WritableFile>* out) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) {
    if (!create) return Status::NotFound(path);
    if (dirs_.count(DirOf(path)) == 0) return Status::NotFound("no directory for " + path);
    Status s = CheckMutation();
    if (!s.ok()) return s;
    it = files_.emplace(path, std::make_shared<Node>()).first;
  }
  *out = std::make_unique<FaultWritableFile>(this, it->second);
  return Status::OK();
}

Status FaultEnv::GetFileSize(const std::string& path, uint64_t* size) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return Status::NotFound(path);
  *size = it->second->data.size();
  return Status::OK();
}

Status FaultEnv::RenameFile(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(from);
  if (it == files_.end()) return Status::NotFound(from);
  Status s = CheckMutation();
  if (!s.ok()) return s;
  auto node = it->second;
  files_.erase(it);
  files_[to] = node;
  return Status::OK();
}

Status FaultEnv::RemoveFile(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  if (files_.count(path) == 0) return Status::NotFound(path);
  Status s = CheckMutation();
  if (!s.ok()) return s;
  files_.erase(path);
  return Status::OK();
}

Status FaultEnv::TruncateFile(const std::string& path, uint64_t size) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return Status::NotFound(path);
  Status s = CheckMutation();
  if (!s.ok()) return s;
  it->second->data.resize(size, '\0');
  return Status::OK();
}

Status FaultEnv::CreateDir(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 1; i <= path.size(); i++) {
    if (i == path.size() || path[i] == '/') dirs_.insert(path.substr(0, i));
  }
  return Status::OK();
}

Status FaultEnv::SyncDir(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  if (dirs_.count(path) == 0) return Status::NotFound(path);
  Status s = CheckMutation();
  if (!s.ok()) return s;
  auto& entries = durable_[path];
  entries.clear();
  for (const auto& [file_path, node] : files_) {
    if (DirOf(file_path) == path) entries[file_path.substr(path.size() + 1)] = node;
  }
  sync_count_++;
  return Status::OK();
}

Status FaultEnv::ListDir(const std::string& path, std::vector<std::string>* names) {
  std::lock_guard<std::mutex> lock(mu_);
  if (dirs_.count(path) == 0) return Status::NotFound(path);
  names->clear();
  for (const auto& [file_path, node] : files_) {
    if (DirOf(file_path) == path) names->push_back(file_path.substr(path.size() + 1));
  }
  return Status::OK();
}

bool FaultEnv::FileExists(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  return files_.count(path) > 0 || dirs_.count(path) > 0;
}

void FaultEnv::Crash(uint64_t seed) {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<std::string, std::shared_ptr<Node>> survivors;
  for (const auto& [dir, entries] : durable_) {
    for (const auto& [name, node] : entries) survivors[dir + "/" + name] = node;
  }
  uint64_t rng = seed;
  for (auto& [path, node] : survivors) {
    const std::string& d = node->data;
    const std::string& synced = node->synced;
    size_t keep = 0;
    if (seed != 0 && d.size() > synced.size() && d.compare(0, synced.size(), synced) == 0) {
      rng = rng * 6364136223846793005ull + 1442695040888963407ull;  // an LCG step
      keep = static_cast<size_t>((rng >> 33) % (d.size() - synced.size() + 1));
    }
    node->data = synced + d.substr(synced.size(), keep);
  }
  files_ = std::move(survivors);
}

void FaultEnv::FailMutationsAfter(int64_t count) {
  std::lock_guard<std::mutex> lock(mu_);
  mutations_left_ = count;
}

bool FaultEnv::GetContents(const std::string& path, std::string* out) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return false;
  *out = it->second->data;
  return true;
}

void FaultEnv::SetContents(const std::string& path, const std::string& data) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& node = files_[path];
  if (!node) node = std::make_shared<Node>();
  node->data = data;
  node->synced = data;
  durable_[DirOf(path)][path.substr(DirOf(path).size() + 1)] = node;
}

}  // namespace natsd
