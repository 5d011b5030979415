// The subject index: a token trie of subscriptions, matched against published subjects.
//
// Each node maps the literal tokens that can follow it to child nodes (child_table.h) and has two
// dedicated child pointers, one for `*` (matches one token) and one for `>` (matches one or more
// trailing tokens); the root node stands for the empty prefix. A node holds the plain
// subscriptions and the queue groups of the subject that ends there.
// Subscriptions are 32-bit ids chosen by the caller; the caller maps them to its own objects.
//
// Rules are those of nats-server's Sublist.Insert (docs/subjects.md): tokens separated by '.',
// none empty, `*` and `>` wildcards only as whole tokens and `>` only last. Whitespace is not
// checked here, as in Go.
//
// Bounds: matching walks an explicit stack, never recursion, and visits each trie node at most
// once per match. Removing the last subscription of a node frees the node and every node above
// it that became empty, so memory follows the live subscriptions. Destruction is iterative too.
// Not thread-safe: one trie belongs to one JS thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace natsd::subjects {

enum class InsertStatus : int32_t {
  kOk = 0,
  kInvalidSubject = 1,  // empty token, `>` not last, or an empty queue name
  kDuplicateId = 2,
};

// Int32 slots a packed result needs before its ids: psub count and group count.
constexpr size_t kResultHeaderInts = 2;

// The result of one match, reused across matches to avoid allocation.
class MatchResult {
 public:
  struct Group {
    uint32_t queue = 0;  // interned queue name id (internal to the trie)
    std::vector<uint32_t> members;
  };

  const std::vector<uint32_t>& psubs() const { return psubs_; }
  size_t group_count() const { return group_count_; }
  const Group& group(size_t index) const { return groups_[index]; }

  // Ints needed by Pack: header, psubs, and per group its size and members.
  size_t PackedInts() const;
  // Writes [psubCount, groupCount, psubs..., (memberCount, members...)*] into `out`, which must
  // hold PackedInts() ints.
  void Pack(int32_t* out) const;

 private:
  friend class SubjectTrie;
  void Clear();
  Group& AddGroup(uint32_t queue);

  std::vector<uint32_t> psubs_;
  std::vector<Group> groups_;  // the first group_count_ are in use; the rest keep capacity
  size_t group_count_ = 0;
};

class SubjectTrie {
 public:
  SubjectTrie();
  ~SubjectTrie();
  SubjectTrie(const SubjectTrie&) = delete;
  SubjectTrie& operator=(const SubjectTrie&) = delete;

  // Adds subscription `id` on `subject`; `queue` null means a plain subscription.
  InsertStatus Insert(uint32_t id, std::string_view subject, const std::string_view* queue);
  // Removes `id`; false when it is not in the trie.
  bool Remove(uint32_t id);
  // Collects the subscriptions a message on `subject` reaches into `result`. Returns false,
  // with an empty result, when the subject has an empty token (nothing can match it).
  bool Match(std::string_view subject, MatchResult* result);

  size_t count() const { return entries_.size(); }
  // Live trie nodes and interned queue names: tests use them to check that removal frees memory.
  size_t node_count() const { return node_count_; }
  size_t queue_name_count() const { return queue_ids_.size(); }

 private:
  struct Node;
  struct Entry {
    Node* node;
    uint32_t queue;     // kNoQueue for a plain subscription
    uint32_t position;  // index in the node's psubs or in its group's members
  };
  struct QueueName {
    std::string name;
    uint32_t refs = 0;
  };
  static constexpr uint32_t kNoQueue = UINT32_MAX;

  // Splits `subject` into tokens_ and their hashes into hashes_; false on an empty token.
  bool Tokenize(std::string_view subject);
  Node* FindOrAddChild(Node* parent, size_t index);
  uint32_t InternQueue(std::string_view queue);
  void ReleaseQueue(uint32_t queue);
  void PruneFrom(Node* node);
  void Collect(const Node& node, MatchResult* result);

  const uint64_t hash_seed_;
  std::unique_ptr<Node> root_;
  std::unordered_map<uint32_t, Entry> entries_;
  std::unordered_map<std::string, uint32_t> queue_ids_;
  std::vector<QueueName> queues_;
  std::vector<uint32_t> free_queue_ids_;
  size_t node_count_ = 0;

  // Scratch, reused: tokens of the subject and their hashes, the match walk stack (a node whose
  // children are matched against token `index`), and per queue id the stamp of the match that
  // last used it plus its group index in the result.
  std::vector<std::string_view> tokens_;
  std::vector<uint64_t> hashes_;
  std::vector<std::pair<const Node*, uint32_t>> stack_;
  std::vector<uint32_t> group_stamp_;
  std::vector<uint32_t> group_index_;
  uint32_t stamp_ = 0;
};

// Splits `subject` on '.' into `tokens`; false when a token is empty.
bool TokenizeSubject(std::string_view subject, std::vector<std::string_view>* tokens);

}  // namespace natsd::subjects
