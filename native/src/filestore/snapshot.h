// A consistent view of a store's live messages as of the moment it was opened. It holds the block
// files open (a later compaction renames a new file into place and a purge unlinks them, but the
// open descriptors keep the old contents) and the in-memory segments not yet written, so later
// writes, deletes and compactions do not change what it returns. A message securely erased after
// the snapshot was opened is skipped: an erase overwrites the record in place.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "filestore/store.h"

namespace natsd::filestore {

class SnapshotCursor {
 public:
  explicit SnapshotCursor(Store* store);
  // Appends message frames (msg_frame.h) totalling about max_bytes, at least one message, to *out.
  // Returns false when every message was returned.
  bool Next(size_t max_bytes, std::string* out);
  uint64_t total() const { return items_.size(); }
  const FastState& state() const { return state_; }

 private:
  struct View {
    BlockHeader header;
    std::shared_ptr<RandomAccessFile> file;
    std::vector<Store::Overlay> overlays;
    std::unique_ptr<RecordCodec> codec;
  };
  struct Item {
    uint64_t seq;
    uint32_t block, offset, length;
  };
  bool Read(View* v, const Item& item, std::string* record);

  Env* env_;
  std::string dir_;
  FastState state_;
  std::map<uint32_t, View> views_;
  std::vector<Item> items_;
  size_t pos_ = 0;
};

}  // namespace natsd::filestore
