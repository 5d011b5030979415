// The subject trie (see subject_trie.h for the rules and bounds).
#include "subjects/subject_trie.h"

#include <algorithm>
#include <utility>

#include "util/assert.h"

namespace natsd::subjects {

struct SubjectTrie::Node {
  enum class Kind : uint8_t { kLiteral, kPartialWildcard, kFullWildcard };
  struct Group {
    uint32_t queue;
    std::vector<uint32_t> members;
  };

  Node(Kind k, std::string_view t, Level* o, Node* p) : kind(k), token(t), owner(o), parent(p) {}

  bool Empty() const { return psubs.empty() && groups.empty() && next == nullptr; }

  const Kind kind;
  // Literal tokens only. The owner level's map keys are views of these bytes, which stay put
  // because nodes live on the heap and the token never changes.
  const std::string token;
  Level* const owner;  // the level holding this node
  Node* const parent;  // the node whose `next` is `owner`; null on the root level
  std::unique_ptr<Level> next;
  std::vector<uint32_t> psubs;
  std::vector<Group> groups;
};

struct SubjectTrie::Level {
  bool Empty() const { return nodes.empty() && pwc == nullptr && fwc == nullptr; }
  const Node* Find(std::string_view token) const {
    auto it = nodes.find(token);
    return it == nodes.end() ? nullptr : it->second.get();
  }

  std::unordered_map<std::string_view, std::unique_ptr<Node>> nodes;
  std::unique_ptr<Node> pwc;
  std::unique_ptr<Node> fwc;
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

SubjectTrie::SubjectTrie() : root_(std::make_unique<Level>()) {}

SubjectTrie::~SubjectTrie() {
  // Detach every level from its node before it is destroyed, so that destruction never nests
  // deeper than one level whatever the subjects' token counts.
  std::vector<std::unique_ptr<Level>> pending;
  pending.push_back(std::move(root_));
  while (!pending.empty()) {
    std::unique_ptr<Level> level = std::move(pending.back());
    pending.pop_back();
    for (auto& entry : level->nodes) {
      if (entry.second->next) pending.push_back(std::move(entry.second->next));
    }
    if (level->pwc && level->pwc->next) pending.push_back(std::move(level->pwc->next));
    if (level->fwc && level->fwc->next) pending.push_back(std::move(level->fwc->next));
  }
}

SubjectTrie::Node* SubjectTrie::FindOrAddChild(Level* level, Node* parent,
                                               std::string_view token) {
  std::unique_ptr<Node>* slot = nullptr;
  Node::Kind kind = Node::Kind::kLiteral;
  if (IsPartialWildcard(token)) {
    slot = &level->pwc;
    kind = Node::Kind::kPartialWildcard;
  } else if (IsFullWildcard(token)) {
    slot = &level->fwc;
    kind = Node::Kind::kFullWildcard;
  }
  if (slot != nullptr) {
    if (*slot == nullptr) {
      *slot = std::make_unique<Node>(kind, std::string_view(), level, parent);
      ++node_count_;
    }
    return slot->get();
  }
  auto it = level->nodes.find(token);
  if (it != level->nodes.end()) return it->second.get();
  auto node = std::make_unique<Node>(kind, token, level, parent);
  Node* raw = node.get();
  level->nodes.emplace(std::string_view(raw->token), std::move(node));
  ++node_count_;
  return raw;
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
  if (!TokenizeSubject(subject, &tokens_)) return InsertStatus::kInvalidSubject;
  for (size_t i = 0; i + 1 < tokens_.size(); ++i) {
    if (IsFullWildcard(tokens_[i])) return InsertStatus::kInvalidSubject;
  }
  if (entries_.count(id) != 0) return InsertStatus::kDuplicateId;

  Level* level = root_.get();
  Node* node = nullptr;
  for (std::string_view token : tokens_) {
    if (node != nullptr) {
      if (node->next == nullptr) node->next = std::make_unique<Level>();
      level = node->next.get();
    }
    node = FindOrAddChild(level, node, token);
  }
  NATSD_ASSERT(node != nullptr);

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
  while (node != nullptr && node->Empty()) {
    Node* parent = node->parent;
    Level* level = node->owner;
    switch (node->kind) {
      case Node::Kind::kPartialWildcard:
        level->pwc.reset();
        break;
      case Node::Kind::kFullWildcard:
        level->fwc.reset();
        break;
      case Node::Kind::kLiteral: {
        auto it = level->nodes.find(std::string_view(node->token));
        NATSD_ASSERT(it != level->nodes.end());
        level->nodes.erase(it);
        break;
      }
    }
    --node_count_;
    // The root level belongs to the trie and is never freed.
    if (parent != nullptr && level->Empty()) parent->next.reset();
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
  if (!TokenizeSubject(subject, &tokens_)) return false;
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
    auto [level, index] = stack_.back();
    stack_.pop_back();
    if (level->fwc != nullptr) Collect(*level->fwc, result);
    const Node* literal = level->Find(tokens_[index]);
    const Node* partial = level->pwc.get();
    for (const Node* node : {literal, partial}) {
      if (node == nullptr) continue;
      if (index == last) {
        Collect(*node, result);
      } else if (node->next != nullptr) {
        stack_.emplace_back(node->next.get(), index + 1);
      }
    }
  }
  return true;
}

}  // namespace natsd::subjects
