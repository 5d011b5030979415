// Env helpers built on the virtual primitives, shared by every implementation.
#include "util/env.h"

namespace natsd {

Status Env::ReadFile(const std::string& path, std::string* out) {
  std::shared_ptr<RandomAccessFile> file;
  Status s = NewRandomAccessFile(path, &file);
  if (!s.ok()) return s;
  uint64_t size = 0;
  s = GetFileSize(path, &size);
  if (!s.ok()) return s;
  out->resize(size);
  size_t got = 0;
  s = file->Read(0, size, out->data(), &got);
  out->resize(got);
  return s;
}

Status Env::WriteFileAtomic(const std::string& dir, const std::string& name,
                            const std::string& data) {
  const std::string path = dir + "/" + name;
  const std::string tmp = path + ".tmp";
  std::unique_ptr<WritableFile> file;
  Status s = NewWritableFile(tmp, true, &file);
  if (s.ok()) s = file->Truncate(0);
  if (s.ok()) s = file->WriteAt(0, data.data(), data.size());
  if (s.ok()) s = file->Sync();
  file.reset();
  if (s.ok()) s = RenameFile(tmp, path);
  if (s.ok()) s = SyncDir(dir);
  return s;
}

}  // namespace natsd
