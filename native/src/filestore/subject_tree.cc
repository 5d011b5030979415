// The subject token tree (subject_tree.h).
#include "filestore/subject_tree.h"

namespace natsd::filestore {

uint32_t SubjectTree::NewNode() {
  if (!free_.empty()) {
    const uint32_t n = free_.back();
    free_.pop_back();
    return n;
  }
  nodes_.emplace_back();
  return static_cast<uint32_t>(nodes_.size() - 1);
}

void SubjectTree::Insert(std::string_view subject, uint32_t id) {
  uint32_t node = 0;
  ForEachToken(subject, [&](std::string_view token) {
    auto it = nodes_[node].children.find(std::string(token));
    if (it != nodes_[node].children.end()) {
      node = it->second;
      return;
    }
    const uint32_t child = NewNode();  // may reallocate nodes_: index again below
    nodes_[node].children.emplace(std::string(token), child);
    node = child;
  });
  nodes_[node].id = id;
}

void SubjectTree::Remove(std::string_view subject) {
  std::vector<std::pair<uint32_t, std::string>> path;  // (parent, token)
  uint32_t node = 0;
  bool found = true;
  ForEachToken(subject, [&](std::string_view token) {
    if (!found) return;
    auto it = nodes_[node].children.find(std::string(token));
    if (it == nodes_[node].children.end()) {
      found = false;
      return;
    }
    path.emplace_back(node, std::string(token));
    node = it->second;
  });
  if (!found) return;
  nodes_[node].id = -1;
  // Prune nodes left with no subject and no children, bottom up.
  while (!path.empty() && nodes_[node].id < 0 && nodes_[node].children.empty()) {
    const auto [parent, token] = path.back();
    path.pop_back();
    nodes_[parent].children.erase(token);
    free_.push_back(node);
    node = parent;
  }
}

void SubjectTree::Clear() {
  nodes_.clear();
  free_.clear();
  nodes_.emplace_back();
}

}  // namespace natsd::filestore
