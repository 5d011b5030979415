// Status: the result of an operation the disk, a caller or the data can make fail. Invariant
// violations are not Statuses; they abort through NATSD_ASSERT (assert.h).
#pragma once

#include <string>
#include <utility>

namespace natsd {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,         // a file or entry does not exist
    kCorruption,       // bytes on disk fail a check
    kIOError,          // the operating system refused an operation
    kInvalidArgument,  // the caller asked for something impossible
    kBadKey,           // the encryption key is missing or does not match the data
  };

  Status() = default;
  static Status OK() { return Status(); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  static Status InvalidArgument(std::string msg) {
    return Status(Code::kInvalidArgument, std::move(msg));
  }
  static Status BadKey(std::string msg) { return Status(Code::kBadKey, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsCorruption() const { return code_ == Code::kCorruption; }
  bool IsIOError() const { return code_ == Code::kIOError; }
  bool IsBadKey() const { return code_ == Code::kBadKey; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

inline std::string Status::ToString() const {
  switch (code_) {
    case Code::kOk: return "OK";
    case Code::kNotFound: return "not found: " + message_;
    case Code::kCorruption: return "corruption: " + message_;
    case Code::kIOError: return "io error: " + message_;
    case Code::kInvalidArgument: return "invalid argument: " + message_;
    case Code::kBadKey: return "bad key: " + message_;
  }
  return message_;
}

}  // namespace natsd
