// A token tree over the subjects of a store, so a wildcard filter visits the subjects it matches
// instead of every subject: "kv.*.7" walks the children of "kv" and one child of each.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace natsd::filestore {

class SubjectTree {
 public:
  SubjectTree() { nodes_.emplace_back(); }  // the root
  void Insert(std::string_view subject, uint32_t id);
  void Remove(std::string_view subject);
  void Clear();
  // Calls fn(id) for every subject the filter (with * and > wildcards) matches.
  template <typename Fn>
  void Match(std::string_view filter, Fn&& fn) const;

 private:
  struct Node {
    std::unordered_map<std::string, uint32_t> children;
    int64_t id = -1;  // the subject ending here, or -1
  };
  template <typename Fn>
  void Descendants(uint32_t node, Fn&& fn) const;
  uint32_t NewNode();

  std::vector<Node> nodes_;
  std::vector<uint32_t> free_;
};

// Splits on '.', calling fn(token) for each; no allocation.
template <typename Fn>
inline void ForEachToken(std::string_view subject, Fn&& fn) {
  size_t start = 0;
  while (true) {
    const size_t dot = subject.find('.', start);
    if (dot == std::string_view::npos) {
      fn(subject.substr(start));
      return;
    }
    fn(subject.substr(start, dot - start));
    start = dot + 1;
  }
}

template <typename Fn>
void SubjectTree::Descendants(uint32_t node, Fn&& fn) const {
  std::vector<uint32_t> stack{node};
  while (!stack.empty()) {
    const Node& n = nodes_[stack.back()];
    stack.pop_back();
    if (n.id >= 0) fn(static_cast<uint32_t>(n.id));
    for (const auto& [token, child] : n.children) stack.push_back(child);
  }
}

template <typename Fn>
void SubjectTree::Match(std::string_view filter, Fn&& fn) const {
  std::vector<std::string_view> tokens;
  ForEachToken(filter, [&](std::string_view t) { tokens.push_back(t); });
  // (node, index of the next filter token): an explicit stack, no recursion on input.
  std::vector<std::pair<uint32_t, size_t>> stack{{0, 0}};
  while (!stack.empty()) {
    const auto [node, i] = stack.back();
    stack.pop_back();
    const Node& n = nodes_[node];
    if (i == tokens.size()) {
      if (n.id >= 0) fn(static_cast<uint32_t>(n.id));
      continue;
    }
    const std::string_view t = tokens[i];
    if (t == ">" && i + 1 == tokens.size()) {
      for (const auto& [token, child] : n.children) Descendants(child, fn);
    } else if (t == "*") {
      for (const auto& [token, child] : n.children) stack.push_back({child, i + 1});
    } else {
      auto it = n.children.find(std::string(t));
      if (it != n.children.end()) stack.push_back({it->second, i + 1});
    }
  }
}

}  // namespace natsd::filestore
