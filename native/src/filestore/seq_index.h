// The in-memory sequence index: one 40-byte Slot per sequence, in chunks of kChunkSlots that are
// allocated on first use and freed when the front of the stream moves past them, so a long run of
// deleted or skipped sequences costs no memory (native/docs/filestore.md section 6).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>

namespace natsd::filestore {

enum class SlotState : uint8_t {
  kAbsent = 0,          // no record (never written, removed by compaction, or outside the store)
  kLive = 1,            // a message that can be loaded
  kDeletedPresent = 2,  // deleted, but its record is still in its block file
};

struct Slot {
  uint32_t block = 0;    // block id
  uint32_t offset = 0;   // record offset in the block
  uint32_t length = 0;   // record length
  uint32_t subject = 0;  // subject id (valid while live)
  uint32_t size = 0;     // accounted bytes (MsgSizeBytes)
  // Distances to the previous and next live message with the same subject (0: none). Distances
  // fit 32 bits because the live range never spans 2^32 sequences in memory.
  uint32_t prev = 0;
  uint32_t next = 0;
  uint32_t reserved = 0;
  int64_t ts = 0;
};
static_assert(sizeof(Slot) == 40, "slot layout");

class SeqIndex {
 public:
  static constexpr uint64_t kChunkSlots = 1024;

  // The slot of seq, or nullptr when its chunk was never allocated or was dropped.
  Slot* Find(uint64_t seq);
  SlotState State(uint64_t seq) const;
  // The slot of seq, allocating its chunk. REQUIRES: seq >= floor().
  Slot* Ensure(uint64_t seq);
  void SetState(uint64_t seq, SlotState state);  // keeps per-chunk live counts
  bool NeverExpires(uint64_t seq) const;
  void SetNeverExpires(uint64_t seq, bool never);

  // The first live sequence in [from, to], or 0.
  uint64_t NextLive(uint64_t from, uint64_t to) const;
  // The number of live sequences in [from, to].
  uint64_t CountLive(uint64_t from, uint64_t to) const;
  // The last live sequence in [from, to], or 0.
  uint64_t PrevLive(uint64_t from, uint64_t to) const;

  // Frees every chunk entirely below seq; slots below seq read as absent afterwards.
  void DropBelow(uint64_t seq);
  // Marks every slot above seq absent and frees chunks entirely above it.
  void DropAbove(uint64_t seq);
  void Clear();
  uint64_t floor() const { return base_; }

 private:
  struct Chunk {
    Slot slots[kChunkSlots];
    uint8_t state[kChunkSlots] = {};  // SlotState | (never-expires << 4)
    uint32_t live = 0;
  };
  Chunk* ChunkFor(uint64_t seq) const;

  uint64_t base_ = 0;  // the first sequence of chunks_[0], a multiple of kChunkSlots
  std::deque<std::unique_ptr<Chunk>> chunks_;
};

}  // namespace natsd::filestore
