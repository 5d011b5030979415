// Env: every file operation of the native store goes through this interface, so tests can run the
// store on a fault-injecting in-memory file system (fault_env.h) and production on POSIX files
// (env_posix.cc). Paths are plain strings; directories are created with CreateDir.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "util/status.h"

namespace natsd {

// A file opened for positional reads. Thread-safe: Read may be called from several threads.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to n bytes at offset into scratch; *got is the number read (short at end of file).
  virtual Status Read(uint64_t offset, size_t n, char* scratch, size_t* got) const = 0;
};

// A file opened for positional writes. Not thread-safe.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status WriteAt(uint64_t offset, const char* data, size_t n) = 0;
  virtual Status Truncate(uint64_t size) = 0;
  // Makes every byte written so far durable (fdatasync).
  virtual Status Sync() = 0;
};

class Env {
 public:
  virtual ~Env() = default;

  virtual Status NewRandomAccessFile(const std::string& path,
                                     std::shared_ptr<RandomAccessFile>* out) = 0;
  // Opens for writing without truncating; creates the file when create is true.
  virtual Status NewWritableFile(const std::string& path, bool create,
                                 std::unique_ptr<WritableFile>* out) = 0;
  virtual Status GetFileSize(const std::string& path, uint64_t* size) = 0;
  virtual Status RenameFile(const std::string& from, const std::string& to) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;
  virtual Status TruncateFile(const std::string& path, uint64_t size) = 0;
  // Creates the directory and missing parents; OK when it exists.
  virtual Status CreateDir(const std::string& path) = 0;
  // Makes creations, renames and removals of entries in the directory durable.
  virtual Status SyncDir(const std::string& path) = 0;
  // Names (not paths) of the entries of a directory.
  virtual Status ListDir(const std::string& path, std::vector<std::string>* names) = 0;
  virtual bool FileExists(const std::string& path) = 0;

  // Reads a whole file.
  Status ReadFile(const std::string& path, std::string* out);
  // Replaces a file atomically: writes path.tmp, syncs it, renames it over path, syncs the
  // directory. A crash leaves either the old or the new content.
  Status WriteFileAtomic(const std::string& dir, const std::string& name, const std::string& data);
};

// The process-wide POSIX Env (never deleted).
Env* PosixEnv();

}  // namespace natsd
