// Consistent snapshots of a store (snapshot.h).
#include "filestore/snapshot.h"

#include "filestore/msg_frame.h"

namespace natsd::filestore {

SnapshotCursor::SnapshotCursor(Store* store) : env_(store->env_), dir_(store->MsgsDir()) {
  store->CutSegment();
  state_ = store->GetFastState();
  for (auto& [id, b] : store->blocks_) {
    if (b->durable_size > 0 && !b->file) {
      env_->NewRandomAccessFile(dir_ + "/" + BlockFileName(id), &b->file);
    }
    View& v = views_[id];
    v.header = b->header;
    v.file = b->file;
    v.overlays = b->overlays;
    RecordCodec::Create(b->header, store->store_key_, &v.codec);
  }
  if (store->msgs_ == 0) return;
  items_.reserve(store->msgs_);
  for (uint64_t s = store->index_.NextLive(store->first_seq_, store->last_seq_); s != 0;
       s = store->index_.NextLive(s + 1, store->last_seq_)) {
    const Slot* slot = store->index_.Find(s);
    items_.push_back({s, slot->block, slot->offset, slot->length});
  }
}

std::unique_ptr<SnapshotCursor> Store::OpenSnapshot() {
  return std::make_unique<SnapshotCursor>(this);
}

bool SnapshotCursor::Read(View* v, const Item& item, std::string* record) {
  for (auto it = v->overlays.rbegin(); it != v->overlays.rend(); ++it) {
    if (item.offset >= it->offset && item.offset + item.length <= it->offset + it->data->size()) {
      record->assign(it->data->data() + (item.offset - it->offset), item.length);
      return true;
    }
  }
  if (!v->file) return false;
  record->resize(item.length);
  size_t got = 0;
  return v->file->Read(item.offset, item.length, record->data(), &got).ok() &&
         got == item.length;
}

bool SnapshotCursor::Next(size_t max_bytes, std::string* out) {
  const size_t start = out->size();
  std::string record;
  DecodedMsg msg;
  while (pos_ < items_.size() && (out->size() == start || out->size() - start < max_bytes)) {
    const Item& item = items_[pos_++];
    auto it = views_.find(item.block);
    if (it == views_.end() || !it->second.codec) continue;
    RecordHeader h;
    if (!Read(&it->second, item, &record) ||
        !VerifyRecord(record.data(), record.size(), &h) || h.kind != Kind::kMsg ||
        h.seq != item.seq || !it->second.codec->DecodeMsg(record.data(), h, &msg)) {
      continue;  // erased or damaged since: never returned
    }
    Frame f;
    f.subject = msg.subject();
    f.hdr = msg.hdr();
    f.payload = msg.payload();
    f.seq = item.seq;
    f.ts = h.ts;
    f.ttl = msg.ttl;
    AppendFrame(out, f);
  }
  return pos_ < items_.size();
}

}  // namespace natsd::filestore
