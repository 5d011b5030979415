// The subject table (subject_index.h).
#include "filestore/subject_index.h"

#include "util/assert.h"

namespace natsd::filestore {

uint32_t SubjectIndex::Intern(std::string_view subject) {
  auto it = ids_.find(subject);
  if (it != ids_.end()) return it->second;
  uint32_t id;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
  } else {
    id = static_cast<uint32_t>(states_.size());
    states_.emplace_back();
  }
  SubjectState& s = states_[id];
  s.name.assign(subject);
  s.msgs = s.first = s.last = 0;
  ids_.emplace(s.name, id);
  tree_.Insert(s.name, id);
  return id;
}

int64_t SubjectIndex::Find(std::string_view subject) const {
  auto it = ids_.find(subject);
  return it == ids_.end() ? -1 : static_cast<int64_t>(it->second);
}

void SubjectIndex::Release(uint32_t id) {
  SubjectState& s = states_[id];
  NATSD_ASSERT(s.msgs == 0);
  ids_.erase(s.name);
  tree_.Remove(s.name);
  s.name.clear();
  s.name.shrink_to_fit();
  free_.push_back(id);
}

void SubjectIndex::Clear() {
  states_.clear();
  ids_.clear();
  free_.clear();
  tree_.Clear();
}

}  // namespace natsd::filestore
