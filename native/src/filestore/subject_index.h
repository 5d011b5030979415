// Per-subject state of the live messages: message count, first and last sequence. Subject ids are
// reused once a subject has no message left. The per-subject list of sequences is threaded
// through the sequence index (Slot::prev/next), so it costs no memory here. A token tree finds
// the subjects a wildcard filter matches.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "filestore/subject_filter.h"
#include "filestore/subject_tree.h"

namespace natsd::filestore {

struct SubjectState {
  std::string name;
  uint64_t msgs = 0;
  uint64_t first = 0;
  uint64_t last = 0;
};

class SubjectIndex {
 public:
  // The id of subject, creating an empty entry when it is new.
  uint32_t Intern(std::string_view subject);
  // The id of subject, or -1.
  int64_t Find(std::string_view subject) const;
  SubjectState& Get(uint32_t id) { return states_[id]; }
  const SubjectState& Get(uint32_t id) const { return states_[id]; }
  // Forgets a subject whose message count reached zero.
  void Release(uint32_t id);
  size_t size() const { return ids_.size(); }
  // One past the highest id ever handed out (for per-id scratch arrays).
  size_t id_limit() const { return states_.size(); }
  void Clear();

  // Calls fn(id, state) for every subject with messages that the filter matches.
  template <typename Fn>
  void ForEachMatch(const SubjectFilter& filter, Fn&& fn) const {
    if (filter.literal()) {
      int64_t id = Find(filter.text());
      if (id >= 0) fn(static_cast<uint32_t>(id), states_[id]);
      return;
    }
    if (filter.matches_all()) {
      for (uint32_t id = 0; id < states_.size(); id++) {
        if (states_[id].msgs > 0) fn(id, states_[id]);
      }
      return;
    }
    tree_.Match(filter.text(), [&](uint32_t id) {
      if (states_[id].msgs > 0) fn(id, states_[id]);
    });
  }

 private:
  std::deque<SubjectState> states_;  // a deque: ids_ holds views into the names
  std::unordered_map<std::string_view, uint32_t> ids_;
  std::vector<uint32_t> free_;
  SubjectTree tree_;
};

}  // namespace natsd::filestore
