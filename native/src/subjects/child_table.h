// The children of one trie node: an open-addressing hash table (linear probing, backward-shift
// deletion, no tombstones) from literal token to child node. Slots hold the token's hash next to
// the node pointer, so a lookup touches the slot array and then only the matching node, whose
// token is stored inline. It grows at 3/4 load and shrinks below 1/8, and frees its slots when
// empty, so memory follows the live children.
//
// Non-owning: the trie allocates and deletes nodes. `Node` must have `uint64_t hash` and
// `std::string token`.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "util/assert.h"

namespace natsd::subjects {

template <typename Node>
class ChildTable {
 public:
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }

  Node* Find(std::string_view token, uint64_t hash) const {
    if (size_ == 0) return nullptr;
    for (uint32_t i = Home(hash);; i = Next(i)) {
      const Slot& slot = slots_[i];
      if (slot.node == nullptr) return nullptr;
      if (slot.hash == hash && slot.node->token == token) return slot.node;
    }
  }

  // REQUIRES: no child with node->token is present.
  void Insert(Node* node) {
    if ((size_ + 1) * 4 > capacity_ * 3) Rehash(capacity_ == 0 ? kCapacityMin : capacity_ * 2);
    Place(node->hash, node);
    ++size_;
  }

  // REQUIRES: `node` is present.
  void Erase(const Node* node) {
    uint32_t hole = Home(node->hash);
    while (slots_[hole].node != node) {
      NATSD_ASSERT(slots_[hole].node != nullptr);
      hole = Next(hole);
    }
    // Shift back each following entry of the probe run that may legally sit in the hole.
    for (uint32_t i = Next(hole); slots_[i].node != nullptr; i = Next(i)) {
      uint32_t home = Home(slots_[i].hash);
      bool home_in_gap = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
      if (home_in_gap) continue;
      slots_[hole] = slots_[i];
      hole = i;
    }
    slots_[hole] = Slot{};
    --size_;
    if (size_ == 0) {
      slots_.reset();
      capacity_ = 0;
    } else if (capacity_ > kCapacityMin && size_ * 8 < capacity_) {
      Rehash(capacity_ / 2);
    }
  }

  template <typename Visit>
  void ForEach(Visit visit) const {
    for (uint32_t i = 0; i < capacity_; ++i) {
      if (slots_[i].node != nullptr) visit(slots_[i].node);
    }
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    Node* node = nullptr;
  };
  static constexpr uint32_t kCapacityMin = 4;  // a power of two

  uint32_t Home(uint64_t hash) const { return static_cast<uint32_t>(hash) & (capacity_ - 1); }
  uint32_t Next(uint32_t i) const { return (i + 1) & (capacity_ - 1); }

  void Place(uint64_t hash, Node* node) {
    uint32_t i = Home(hash);
    while (slots_[i].node != nullptr) i = Next(i);
    slots_[i] = Slot{hash, node};
  }

  void Rehash(uint32_t capacity) {
    NATSD_ASSERT((capacity & (capacity - 1)) == 0 && size_ * 4 < capacity * 3);
    std::unique_ptr<Slot[]> old = std::move(slots_);
    uint32_t old_capacity = capacity_;
    slots_ = std::make_unique<Slot[]>(capacity);
    capacity_ = capacity;
    for (uint32_t i = 0; i < old_capacity; ++i) {
      if (old[i].node != nullptr) Place(old[i].hash, old[i].node);
    }
  }

  std::unique_ptr<Slot[]> slots_;
  uint32_t capacity_ = 0;
  uint32_t size_ = 0;
};

}  // namespace natsd::subjects
