// The subject trie (see subject_trie.h for the rules and bounds).
#include "subjects/subject_trie.h"

#include <algorithm>
#include <utility>

#include "subjects/child_table.h"
#include "subjects/token_hash.h"
#include "util/assert.h"

namespace natsd::subjects {

struct SubjectTrie::Node {
  enum class Kind : uint8_t { kRoot, kLiteral, kPartialWildcard, kFullWildcard };
  struct Group {
    uint32_t queue;
    std::vector<uint32_t> members;
  };

  Node(Kind k, Node* p, std::string_view t, uint64_t h) : kind(k), parent(p), hash(h), token(t) {}

  bool HasChildren() const { return children.size() > 0 || pwc != nullptr || fwc != nullptr; }
  bool Empty() const { return psubs.empty() && groups.empty() && !HasChildren(); }

  const Kind kind;
  Node* const parent;  // null for the root
  const uint64_t hash;  // of `token`, for the parent's child table
  const std::string token;  // literal tokens only
  ChildTable<Node> children;  // owned: deleted by the trie
  Node* pwc = nullptr;  // owned
  Node* fwc = nullptr;  // owned
  std::vector<uint32_t> psubs;
  std::vector<Group> groups;
};

namespace {

bool IsFullWildcard(std::string_view token) { return token.size() == 1 && token[0] == '>'; }
bool IsPartialWildcard(std::string_view token) { return token.size() == 1 && token[0] == '*'; }

}  // namespace

bool TokenizeSubject(std::string_view subject, std::vector<std::string_view>* tokens) {
  tokens->clear();
  size_t start = 0;
  for (;;) {
    size_t dot = subject.find('.', start);
    size_t end = dot == std::string_view::npos ? subject.size() : dot;
    if (end == start) {
      tokens->clear();
      return false;
    }
    tokens->push_back(subject.substr(start, end - start));
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

size_t MatchResult::PackedInts() const {
  size_t ints = kResultHeaderInts + psubs_.size() + group_count_;
  for (size_t i = 0; i < group_count_; ++i) ints += groups_[i].members.size();
  return ints;
}

void MatchResult::Pack(int32_t* out) const {
  size_t at = 0;
  out[at++] = static_cast<int32_t>(psubs_.size());
  out[at++] = static_cast<int32_t>(group_count_);
  for (uint32_t id : psubs_) out[at++] = static_cast<int32_t>(id);
  for (size_t i = 0; i < group_count_; ++i) {
    const auto& members = groups_[i].members;
    out[at++] = static_cast<int32_t>(members.size());
    for (uint32_t id : members) out[at++] = static_cast<int32_t>(id);
  }
  NATSD_ASSERT(at == PackedInts());
}

void MatchResult::Clear() {
  psubs_.clear();
  for (size_t i = 0; i < group_count_; ++i) groups_[i].members.clear();
  group_count_ = 0;
}

MatchResult::Group& MatchResult::AddGroup(uint32_t queue) {
  if (group_count_ == groups_.size()) groups_.emplace_back();
  Group& group = groups_[group_count_++];
  NATSD_ASSERT(group.members.empty());
  group.queue = queue;
  return group;
}

SubjectTrie::SubjectTrie()
    : hash_seed_(RandomHashSeed()),
      root_(std::make_unique<Node>(Node::Kind::kRoot, nullptr, std::string_view(), 0)) {}

SubjectTrie::~SubjectTrie() {
  // Detach every node's children before deleting it, so that destruction never nests whatever
  // the subjects' token counts.
  std::vector<Node*> pending{root_.release()};
  while (!pending.empty()) {
    Node* node = pending.back();
    pending.pop_back();
    node->children.ForEach([&pending](Node* child) { pending.push_back(child); });
    if (node->pwc != nullptr) pending.push_back(node->pwc);
    if (node->fwc != nullptr) pending.push_back(node->fwc);
    delete node;
  }
}

bool SubjectTrie::Tokenize(std::string_view subject) {
  if (!TokenizeSubject(subject, &tokens_)) return false;
  hashes_.clear();
  for (std::string_view token : tokens_) hashes_.push_back(HashToken(token, hash_seed_));
  return true;
}

SubjectTrie::Node* SubjectTrie::FindOrAddChild(Node* parent, size_t index) {
  std::string_view token = tokens_[index];
  Node** wildcard = nullptr;
  Node::Kind kind = Node::Kind::kLiteral;
  if (IsPartialWildcard(token)) {
    wildcard = &parent->pwc;
    kind = Node::Kind::kPartialWildcard;
  } else if (IsFullWildcard(token)) {
    wildcard = &parent->fwc;
    kind = Node::Kind::kFullWildcard;
  }
  if (wildcard != nullptr) {
    if (*wildcard == nullptr) {
      *wildcard = new Node(kind, parent, std::string_view(), 0);
      ++node_count_;
    }
    return *wildcard;
  }
  Node* child = parent->children.Find(token, hashes_[index]);
  if (child != nullptr) return child;
  child = new Node(kind, parent, token, hashes_[index]);
  parent->children.Insert(child);
  ++node_count_;
  return child;
}

uint32_t SubjectTrie::InternQueue(std::string_view queue) {
  auto it = queue_ids_.find(std::string(queue));
  if (it != queue_ids_.end()) {
    ++queues_[it->second].refs;
    return it->second;
  }
  uint32_t id;
  if (!free_queue_ids_.empty()) {
    id = free_queue_ids_.back();
    free_queue_ids_.pop_back();
  } else {
    id = static_cast<uint32_t>(queues_.size());
    queues_.emplace_back();
    group_stamp_.push_back(0);
    group_index_.push_back(0);
  }
  QueueName& name = queues_[id];
  NATSD_ASSERT(name.refs == 0);
  name.name.assign(queue);
  name.refs = 1;
  queue_ids_.emplace(name.name, id);
  return id;
}

void SubjectTrie::ReleaseQueue(uint32_t queue) {
  QueueName& name = queues_[queue];
  NATSD_ASSERT(name.refs > 0);
  if (--name.refs > 0) return;
  queue_ids_.erase(name.name);
  std::string().swap(name.name);
  free_queue_ids_.push_back(queue);
}

InsertStatus SubjectTrie::Insert(uint32_t id, std::string_view subject,
                                 const std::string_view* queue) {
  if (queue != nullptr && queue->empty()) return InsertStatus::kInvalidSubject;
  if (!Tokenize(subject)) return InsertStatus::kInvalidSubject;
  for (size_t i = 0; i + 1 < tokens_.size(); ++i) {
    if (IsFullWildcard(tokens_[i])) return InsertStatus::kInvalidSubject;
  }
  if (entries_.count(id) != 0) return InsertStatus::kDuplicateId;

  Node* node = root_.get();
  for (size_t i = 0; i < tokens_.size(); ++i) node = FindOrAddChild(node, i);
  NATSD_ASSERT(node != root_.get());

  std::vector<uint32_t>* list = &node->psubs;
  uint32_t queue_id = kNoQueue;
  if (queue != nullptr) {
    queue_id = InternQueue(*queue);
    list = nullptr;
    for (auto& group : node->groups) {
      if (group.queue == queue_id) list = &group.members;
    }
    if (list == nullptr) {
      node->groups.push_back(Node::Group{queue_id, {}});
      list = &node->groups.back().members;
    }
  }
  entries_.emplace(id, Entry{node, queue_id, static_cast<uint32_t>(list->size())});
  list->push_back(id);
  return InsertStatus::kOk;
}

bool SubjectTrie::Remove(uint32_t id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return false;
  const Entry entry = it->second;
  entries_.erase(it);
  Node* node = entry.node;

  size_t group_index = 0;
  std::vector<uint32_t>* list = &node->psubs;
  if (entry.queue != kNoQueue) {
    while (node->groups[group_index].queue != entry.queue) ++group_index;
    list = &node->groups[group_index].members;
  }
  // Swap-remove: the last id takes the removed id's place, and its entry follows it.
  NATSD_ASSERT(entry.position < list->size() && (*list)[entry.position] == id);
  uint32_t moved = list->back();
  (*list)[entry.position] = moved;
  list->pop_back();
  if (moved != id) entries_.find(moved)->second.position = entry.position;

  if (entry.queue != kNoQueue) {
    if (list->empty()) {
      node->groups[group_index] = std::move(node->groups.back());
      node->groups.pop_back();
    }
    ReleaseQueue(entry.queue);
  }
  PruneFrom(node);
  return true;
}

void SubjectTrie::PruneFrom(Node* node) {
  // The root belongs to the trie and is never freed.
  while (node->kind != Node::Kind::kRoot && node->Empty()) {
    Node* parent = node->parent;
    switch (node->kind) {
      case Node::Kind::kPartialWildcard:
        parent->pwc = nullptr;
        break;
      case Node::Kind::kFullWildcard:
        parent->fwc = nullptr;
        break;
      default:
        parent->children.Erase(node);
        break;
    }
    delete node;
    --node_count_;
    node = parent;
  }
}

void SubjectTrie::Collect(const Node& node, MatchResult* result) {
  result->psubs_.insert(result->psubs_.end(), node.psubs.begin(), node.psubs.end());
  for (const auto& group : node.groups) {
    // Groups of the same name reached through different nodes merge into one result group.
    uint32_t queue = group.queue;
    if (group_stamp_[queue] != stamp_) {
      group_stamp_[queue] = stamp_;
      group_index_[queue] = static_cast<uint32_t>(result->group_count_);
      result->AddGroup(queue);
    }
    auto& members = result->groups_[group_index_[queue]].members;
    members.insert(members.end(), group.members.begin(), group.members.end());
  }
}

bool SubjectTrie::Match(std::string_view subject, MatchResult* result) {
  result->Clear();
  if (!Tokenize(subject)) return false;
  if (++stamp_ == 0) {
    std::fill(group_stamp_.begin(), group_stamp_.end(), 0);
    stamp_ = 1;
  }
  const uint32_t last = static_cast<uint32_t>(tokens_.size() - 1);
  stack_.clear();
  stack_.emplace_back(root_.get(), 0);
  // Each stack entry is one token deeper than the entry that pushed it, and each trie node is
  // reached by one path only, so a match visits each node at most once.
  while (!stack_.empty()) {
    auto [parent, index] = stack_.back();
    stack_.pop_back();
    if (parent->fwc != nullptr) Collect(*parent->fwc, result);
    const Node* literal = parent->children.Find(tokens_[index], hashes_[index]);
    for (const Node* node : {literal, static_cast<const Node*>(parent->pwc)}) {
      if (node == nullptr) continue;
      if (index == last) {
        Collect(*node, result);
      } else if (node->HasChildren()) {
        stack_.emplace_back(node, index + 1);
      }
    }
  }
  return true;
}

}  // namespace natsd::subjects
