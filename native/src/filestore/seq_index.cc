// The chunked sequence index (seq_index.h).
#include "filestore/seq_index.h"

#include "util/assert.h"

namespace natsd::filestore {
namespace {
constexpr uint8_t kStateMask = 0x0f;
constexpr uint8_t kNeverBit = 0x10;
}  // namespace

SeqIndex::Chunk* SeqIndex::ChunkFor(uint64_t seq) const {
  if (seq < base_) return nullptr;
  const uint64_t i = (seq - base_) / kChunkSlots;
  if (i >= chunks_.size()) return nullptr;
  return chunks_[i].get();
}

Slot* SeqIndex::Find(uint64_t seq) {
  Chunk* c = ChunkFor(seq);
  return c ? &c->slots[seq % kChunkSlots] : nullptr;
}

SlotState SeqIndex::State(uint64_t seq) const {
  Chunk* c = ChunkFor(seq);
  return c ? static_cast<SlotState>(c->state[seq % kChunkSlots] & kStateMask) : SlotState::kAbsent;
}

Slot* SeqIndex::Ensure(uint64_t seq) {
  if (chunks_.empty()) base_ = seq - seq % kChunkSlots;
  while (seq < base_) {
    chunks_.emplace_front();
    base_ -= kChunkSlots;
  }
  const uint64_t i = (seq - base_) / kChunkSlots;
  while (chunks_.size() <= i) chunks_.emplace_back();
  if (!chunks_[i]) chunks_[i] = std::make_unique<Chunk>();
  return &chunks_[i]->slots[seq % kChunkSlots];
}

void SeqIndex::SetState(uint64_t seq, SlotState state) {
  Chunk* c = ChunkFor(seq);
  NATSD_ASSERT(c != nullptr);
  uint8_t& s = c->state[seq % kChunkSlots];
  const auto old = static_cast<SlotState>(s & kStateMask);
  if (old == SlotState::kLive) c->live--;
  if (state == SlotState::kLive) c->live++;
  s = static_cast<uint8_t>((s & ~kStateMask) | static_cast<uint8_t>(state));
  if (state != SlotState::kLive) s &= static_cast<uint8_t>(~kNeverBit);
}

bool SeqIndex::NeverExpires(uint64_t seq) const {
  Chunk* c = ChunkFor(seq);
  return c && (c->state[seq % kChunkSlots] & kNeverBit);
}

void SeqIndex::SetNeverExpires(uint64_t seq, bool never) {
  Chunk* c = ChunkFor(seq);
  NATSD_ASSERT(c != nullptr);
  uint8_t& s = c->state[seq % kChunkSlots];
  s = never ? (s | kNeverBit) : static_cast<uint8_t>(s & ~kNeverBit);
}

uint64_t SeqIndex::NextLive(uint64_t from, uint64_t to) const {
  if (from < base_) from = base_;
  while (from <= to) {
    Chunk* c = ChunkFor(from);
    const uint64_t chunk_end = from - from % kChunkSlots + kChunkSlots;  // exclusive
    if (c == nullptr) {
      if (from >= base_ + chunks_.size() * kChunkSlots) return 0;
    } else if (c->live > 0) {
      const uint64_t stop = chunk_end - 1 < to ? chunk_end - 1 : to;
      for (uint64_t s = from; s <= stop; s++) {
        if ((c->state[s % kChunkSlots] & kStateMask) == static_cast<uint8_t>(SlotState::kLive)) {
          return s;
        }
      }
    }
    from = chunk_end;
  }
  return 0;
}

uint64_t SeqIndex::CountLive(uint64_t from, uint64_t to) const {
  if (from < base_) from = base_;
  uint64_t count = 0;
  const uint64_t end = base_ + chunks_.size() * kChunkSlots;  // exclusive
  while (from <= to && from < end) {
    Chunk* c = ChunkFor(from);
    const uint64_t chunk_start = from - from % kChunkSlots;
    const uint64_t chunk_last = chunk_start + kChunkSlots - 1;
    if (c != nullptr && c->live > 0) {
      if (from == chunk_start && to >= chunk_last) {
        count += c->live;
      } else {
        const uint64_t stop = chunk_last < to ? chunk_last : to;
        for (uint64_t s = from; s <= stop; s++) {
          if ((c->state[s % kChunkSlots] & kStateMask) == static_cast<uint8_t>(SlotState::kLive)) {
            count++;
          }
        }
      }
    }
    from = chunk_last + 1;
  }
  return count;
}

uint64_t SeqIndex::PrevLive(uint64_t from, uint64_t to) const {
  if (chunks_.empty() || to < base_ || from > to) return 0;
  const uint64_t end = base_ + chunks_.size() * kChunkSlots - 1;
  if (to > end) to = end;
  if (from < base_) from = base_;
  while (to >= from) {
    Chunk* c = ChunkFor(to);
    const uint64_t chunk_start = to - to % kChunkSlots;
    if (c != nullptr && c->live > 0) {
      const uint64_t stop = chunk_start > from ? chunk_start : from;
      for (uint64_t s = to;; s--) {
        if ((c->state[s % kChunkSlots] & kStateMask) == static_cast<uint8_t>(SlotState::kLive)) {
          return s;
        }
        if (s == stop) break;
      }
    }
    if (chunk_start == 0 || chunk_start <= from) break;
    to = chunk_start - 1;
  }
  return 0;
}

void SeqIndex::DropBelow(uint64_t seq) {
  while (!chunks_.empty() && base_ + kChunkSlots <= seq) {
    chunks_.pop_front();
    base_ += kChunkSlots;
  }
  if (chunks_.empty()) return;
  Chunk* c = chunks_.front().get();
  if (c == nullptr) return;
  for (uint64_t s = base_; s < seq; s++) {
    if ((c->state[s % kChunkSlots] & kStateMask) == static_cast<uint8_t>(SlotState::kLive)) {
      c->live--;
    }
    c->state[s % kChunkSlots] = 0;
  }
}

void SeqIndex::DropAbove(uint64_t seq) {
  while (!chunks_.empty() && base_ + (chunks_.size() - 1) * kChunkSlots > seq) chunks_.pop_back();
  if (chunks_.empty()) {
    base_ = 0;
    return;
  }
  Chunk* c = chunks_.back().get();
  if (c == nullptr) return;
  const uint64_t chunk_start = base_ + (chunks_.size() - 1) * kChunkSlots;
  for (uint64_t s = seq + 1; s < chunk_start + kChunkSlots; s++) {
    if ((c->state[s % kChunkSlots] & kStateMask) == static_cast<uint8_t>(SlotState::kLive)) {
      c->live--;
    }
    c->state[s % kChunkSlots] = 0;
  }
}

void SeqIndex::Clear() {
  chunks_.clear();
  base_ = 0;
}

}  // namespace natsd::filestore
