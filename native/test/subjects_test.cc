// Unit tests of the native subject trie: rules, matching, queue groups, removal and pruning,
// packing, deep subjects, and a seeded comparison with a brute-force matcher.
#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "subjects/child_table.h"
#include "subjects/subject_trie.h"
#include "subjects/token_hash.h"
#include "test_main.h"

using natsd::subjects::InsertStatus;
using natsd::subjects::MatchResult;
using natsd::subjects::SubjectTrie;

namespace {

InsertStatus Plain(SubjectTrie& trie, uint32_t id, const std::string& subject) {
  return trie.Insert(id, subject, nullptr);
}

InsertStatus Queue(SubjectTrie& trie, uint32_t id, const std::string& subject,
                   const std::string& queue) {
  std::string_view view = queue;
  return trie.Insert(id, subject, &view);
}

// A match as sorted plain ids and sorted groups of sorted ids: order is not part of the contract.
struct Sorted {
  std::vector<uint32_t> psubs;
  std::vector<std::vector<uint32_t>> groups;
  bool operator==(const Sorted& o) const { return psubs == o.psubs && groups == o.groups; }
};

Sorted SortedMatch(SubjectTrie& trie, const std::string& subject) {
  MatchResult result;
  trie.Match(subject, &result);
  Sorted sorted;
  sorted.psubs = result.psubs();
  std::sort(sorted.psubs.begin(), sorted.psubs.end());
  for (size_t i = 0; i < result.group_count(); ++i) {
    auto members = result.group(i).members;
    std::sort(members.begin(), members.end());
    sorted.groups.push_back(members);
  }
  std::sort(sorted.groups.begin(), sorted.groups.end());
  return sorted;
}

std::vector<uint32_t> Psubs(SubjectTrie& trie, const std::string& subject) {
  return SortedMatch(trie, subject).psubs;
}

using Ids = std::vector<uint32_t>;

}  // namespace

namespace {

struct TableNode {
  uint64_t hash;
  std::string token;
};

// Checks a child table against a reference map: every present token found, absent ones not.
using TokenHash = uint64_t (*)(const std::string&);

void CheckTable(const natsd::subjects::ChildTable<TableNode>& table,
                const std::map<std::string, TableNode*>& reference, TokenHash hash,
                int universe) {
  CHECK(table.size() == reference.size());
  for (int t = 0; t < universe; ++t) {
    std::string token = "tok" + std::to_string(t);
    auto it = reference.find(token);
    TableNode* found = table.Find(token, hash(token));
    CHECK(found == (it == reference.end() ? nullptr : it->second));
  }
}

// Random inserts and erases with a given hash; a weak hash forces long probe runs that wrap.
void ExerciseTable(TokenHash hash) {
  std::mt19937 rng(42);
  const int universe = 300;
  natsd::subjects::ChildTable<TableNode> table;
  std::map<std::string, TableNode*> reference;
  for (int step = 0; step < 6000; ++step) {
    std::string token = "tok" + std::to_string(rng() % universe);
    auto it = reference.find(token);
    if (it == reference.end()) {
      auto* node = new TableNode{hash(token), token};
      table.Insert(node);
      reference[token] = node;
    } else {
      table.Erase(it->second);
      delete it->second;
      reference.erase(it);
    }
    if (step % 97 == 0) CheckTable(table, reference, hash, universe);
  }
  CheckTable(table, reference, hash, universe);
  for (auto& entry : reference) {
    table.Erase(entry.second);
    delete entry.second;
  }
  CHECK(table.size() == 0 && table.capacity() == 0);
}

uint64_t SeededHash(const std::string& token) { return natsd::subjects::HashToken(token, 99); }
// Eight distinct hashes only, all homed on few slots: collisions everywhere.
uint64_t WeakHash(const std::string& token) { return (token.back() % 8) * 3; }

}  // namespace

TEST(ChildTableAgreesWithAMapUnderChurn) {
  ExerciseTable(SeededHash);
  ExerciseTable(WeakHash);
}

TEST(ChildTableGrowsAndShrinksWithItsSize) {
  natsd::subjects::ChildTable<TableNode> table;
  std::vector<std::unique_ptr<TableNode>> nodes;
  for (int i = 0; i < 1000; ++i) {
    std::string token = "t" + std::to_string(i);
    nodes.push_back(std::make_unique<TableNode>(TableNode{SeededHash(token), token}));
    table.Insert(nodes.back().get());
    CHECK(table.capacity() * 3 >= table.size() * 4);
  }
  CHECK(table.capacity() <= 2048);
  for (int i = 0; i < 990; ++i) table.Erase(nodes[i].get());
  CHECK(table.size() == 10 && table.capacity() <= 128);
  for (int i = 990; i < 1000; ++i) {
    CHECK(table.Find(nodes[i]->token, nodes[i]->hash) == nodes[i].get());
  }
}

TEST(TokenHashDependsOnSeedAndEveryByte) {
  using natsd::subjects::HashToken;
  CHECK(HashToken("orders", 1) == HashToken("orders", 1));
  CHECK(HashToken("orders", 1) != HashToken("orders", 2));
  std::set<uint64_t> hashes;
  std::string base = "abcdefghijklmnopq";  // crosses the 8-byte word boundary twice
  for (size_t length = 0; length <= base.size(); ++length) {
    hashes.insert(HashToken(std::string_view(base.data(), length), 7));
  }
  for (size_t i = 0; i < base.size(); ++i) {
    std::string changed = base;
    changed[i] ^= 1;
    hashes.insert(HashToken(changed, 7));
  }
  CHECK(hashes.size() == 2 * base.size() + 1);
}

TEST(TokenizeSplitsOnDotsAndRejectsEmptyTokens) {
  std::vector<std::string_view> tokens;
  CHECK(natsd::subjects::TokenizeSubject("a.bb.*.>", &tokens));
  CHECK((tokens == std::vector<std::string_view>{"a", "bb", "*", ">"}));
  for (const char* bad : {"", ".", ".a", "a.", "a..b", "a.b."}) {
    CHECK(!natsd::subjects::TokenizeSubject(bad, &tokens));
    CHECK(tokens.empty());
  }
}

TEST(InsertRejectsWhatGoSublistInsertRejects) {
  SubjectTrie trie;
  for (const char* bad : {"", ".foo", "foo.", "foo..bar", "foo.bar..baz", "foo.>.bar", ">.>"}) {
    CHECK(Plain(trie, 1, bad) == InsertStatus::kInvalidSubject);
  }
  CHECK(Queue(trie, 1, "foo", "") == InsertStatus::kInvalidSubject);
  CHECK(trie.count() == 0);
  CHECK(trie.node_count() == 0);
  // Whitespace and wildcard characters inside tokens are the caller's business, as in Go.
  CHECK(Plain(trie, 1, "foo\fbar") == InsertStatus::kOk);
  CHECK(Plain(trie, 2, "foo*.>bar") == InsertStatus::kOk);
  CHECK(Plain(trie, 2, "x") == InsertStatus::kDuplicateId);
  CHECK(trie.count() == 2);
}

TEST(MatchesLiteralsAndBothWildcards) {
  SubjectTrie trie;
  Plain(trie, 1, "foo.bar");
  Plain(trie, 2, "foo.*");
  Plain(trie, 3, "foo.>");
  Plain(trie, 4, "*.bar");
  Plain(trie, 5, ">");
  Plain(trie, 6, "foo");
  Plain(trie, 7, "foo.bar.baz");
  Plain(trie, 8, "*.*.baz");
  CHECK((Psubs(trie, "foo.bar") == Ids{1, 2, 3, 4, 5}));
  CHECK((Psubs(trie, "foo") == Ids{5, 6}));
  CHECK((Psubs(trie, "foo.bar.baz") == Ids{3, 5, 7, 8}));
  CHECK((Psubs(trie, "x.bar") == Ids{4, 5}));
  CHECK((Psubs(trie, "x.y.z.w") == Ids{5}));
  // Go's bug report #18: a two-token publish does not match a one-token subscription.
  SubjectTrie other;
  Plain(other, 1, "foo");
  CHECK(Psubs(other, "foo.bar").empty());
}

TEST(WildcardCharactersInsideTokensAreLiterals) {
  SubjectTrie trie;
  Plain(trie, 1, "foo.*-");
  Plain(trie, 2, "foo.>-");
  CHECK(Psubs(trie, "foo.bar").empty());
  CHECK((Psubs(trie, "foo.*-") == Ids{1}));
  CHECK((Psubs(trie, "foo.>-") == Ids{2}));
}

TEST(PublishedWildcardTokensOnlyMatchWildcardSubscriptions) {
  SubjectTrie trie;
  Plain(trie, 1, "foo.bar");
  Plain(trie, 2, "foo.*");
  Plain(trie, 3, "foo.>");
  CHECK((Psubs(trie, "foo.*") == Ids{2, 3}));
  CHECK((Psubs(trie, "foo.>") == Ids{2, 3}));
}

TEST(MatchOfSubjectWithEmptyTokenIsEmptyAndFalse) {
  SubjectTrie trie;
  Plain(trie, 1, ">");
  Queue(trie, 2, ">", "q");
  MatchResult result;
  for (const char* bad : {"", ".foo", "..foo", "foo..", "foo.", "foo..bar", "foo...bar"}) {
    CHECK(!trie.Match(bad, &result));
    CHECK(result.psubs().empty() && result.group_count() == 0);
    CHECK(result.PackedInts() == natsd::subjects::kResultHeaderInts);
  }
}

TEST(QueueGroupsMergeByNameAcrossNodes) {
  SubjectTrie trie;
  Queue(trie, 1, "foo.bar", "workers");
  Queue(trie, 2, "foo.*", "workers");
  Queue(trie, 3, "foo.>", "workers");
  Queue(trie, 4, "foo.bar", "other");
  Plain(trie, 5, "foo.bar");
  Sorted sorted = SortedMatch(trie, "foo.bar");
  CHECK((sorted.psubs == Ids{5}));
  CHECK((sorted.groups == std::vector<Ids>{{1, 2, 3}, {4}}));
  // The merge is per match: a second match starts from fresh groups.
  sorted = SortedMatch(trie, "foo.baz");
  CHECK((sorted.groups == std::vector<Ids>{{2, 3}}));
}

TEST(PackWritesHeaderPsubsAndSizedGroups) {
  SubjectTrie trie;
  Plain(trie, 7, "a");
  Queue(trie, 8, "a", "q1");
  Queue(trie, 9, "a", "q1");
  Queue(trie, 10, "*", "q2");
  MatchResult result;
  CHECK(trie.Match("a", &result));
  CHECK(result.PackedInts() == 2 + 1 + (1 + 2) + (1 + 1));
  std::vector<int32_t> out(result.PackedInts());
  result.Pack(out.data());
  CHECK(out[0] == 1 && out[1] == 2 && out[2] == 7);
  // Group order follows the walk; check both groups by their sizes.
  std::set<std::vector<int32_t>> groups;
  size_t at = 3;
  for (int g = 0; g < 2; ++g) {
    int32_t size = out[at++];
    std::vector<int32_t> members(out.begin() + at, out.begin() + at + size);
    std::sort(members.begin(), members.end());
    groups.insert(members);
    at += size;
  }
  CHECK(at == out.size());
  CHECK((groups == std::set<std::vector<int32_t>>{{8, 9}, {10}}));
}

TEST(RemoveKeepsOtherIdsFindableAfterSwaps) {
  SubjectTrie trie;
  for (uint32_t id = 0; id < 100; ++id) Plain(trie, id, "fan.out");
  for (uint32_t id = 100; id < 200; ++id) Queue(trie, id, "fan.out", "q");
  // Remove every third id, from the middle of the lists, then the rest in reverse.
  for (uint32_t id = 0; id < 200; id += 3) CHECK(trie.Remove(id));
  Sorted sorted = SortedMatch(trie, "fan.out");
  CHECK(sorted.psubs.size() == 66);
  CHECK(sorted.groups.size() == 1 && sorted.groups[0].size() == 67);
  for (uint32_t id : sorted.psubs) CHECK(id % 3 != 0 && id < 100);
  CHECK(!trie.Remove(0));
  for (uint32_t id = 200; id-- > 0;) {
    if (id % 3 != 0) CHECK(trie.Remove(id));
  }
  CHECK(trie.count() == 0);
  CHECK(SortedMatch(trie, "fan.out") == Sorted{});
}

TEST(RemovePrunesEmptyNodesAndFreesQueueNames) {
  SubjectTrie trie;
  Plain(trie, 1, "a.b.c.d");
  Plain(trie, 2, "a.b.*.>");
  Queue(trie, 3, "a.b", "q");
  Queue(trie, 4, "x.y", "q");
  Queue(trie, 5, "x.y", "r");
  CHECK(trie.node_count() == 8);
  CHECK(trie.queue_name_count() == 2);
  CHECK(trie.Remove(1));
  CHECK(trie.node_count() == 6);  // c and d went; a, b, *, > remain
  CHECK(trie.Remove(4));
  CHECK(trie.queue_name_count() == 2);  // "q" is still used by id 3
  CHECK(trie.Remove(3));
  CHECK(trie.queue_name_count() == 1);
  CHECK(trie.Remove(2));
  CHECK(trie.Remove(5));
  CHECK(trie.node_count() == 0);
  CHECK(trie.queue_name_count() == 0);
  CHECK(trie.count() == 0);
  // Everything can be added again after full pruning.
  CHECK(Queue(trie, 3, "a.b", "q") == InsertStatus::kOk);
  CHECK((SortedMatch(trie, "a.b").groups == std::vector<Ids>{{3}}));
}

TEST(DeepSubjectsNeedNoRecursion) {
  // 100k tokens: a recursive walk, prune or destructor would need a very deep native stack.
  const size_t tokens = 100000;
  std::string subject = "t";
  for (size_t i = 1; i < tokens; ++i) subject += (i % 2 == 0) ? ".t" : ".*";
  std::string published = "t";
  for (size_t i = 1; i < tokens; ++i) published += ".t";
  {
    SubjectTrie trie;
    CHECK(Plain(trie, 1, subject) == InsertStatus::kOk);
    CHECK(Plain(trie, 2, published + ".>") == InsertStatus::kOk);
    CHECK((Psubs(trie, published) == Ids{1}));
    CHECK(trie.Remove(1));
    CHECK(trie.node_count() == tokens + 1);
  }  // the destructor frees the remaining 100k-deep chain
  SubjectTrie trie;
  CHECK(Plain(trie, 1, subject) == InsertStatus::kOk);
  CHECK(trie.Remove(1));
  CHECK(trie.node_count() == 0);
}

namespace {

bool BruteMatches(const std::vector<std::string>& literal, const std::vector<std::string>& pat) {
  for (size_t i = 0; i < pat.size(); ++i) {
    if (pat[i] == ">" && i + 1 == pat.size()) return literal.size() > i;
    if (i >= literal.size()) return false;
    if (pat[i] != "*" && pat[i] != literal[i]) return false;
  }
  return literal.size() == pat.size();
}

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t dot = s.find('.', start);
    out.push_back(s.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return out;
    start = dot + 1;
  }
}

}  // namespace

TEST(SeededRandomOperationsAgreeWithBruteForce) {
  std::mt19937 rng(20261126);
  const std::vector<std::string> alphabet = {"a", "b", "c", "*", ">"};
  const std::vector<std::string> queues = {"", "", "q1", "q2"};
  auto random_subject = [&](bool allow_wildcards) {
    size_t count = 1 + rng() % 4;
    std::string s;
    for (size_t i = 0; i < count; ++i) {
      std::string token = alphabet[rng() % (allow_wildcards ? 5 : 3)];
      if (token == ">" && i + 1 != count) token = "*";
      s += (i ? "." : "") + token;
    }
    return s;
  };
  struct Sub { std::string subject, queue; };
  std::map<uint32_t, Sub> live;
  SubjectTrie trie;
  for (int step = 0; step < 4000; ++step) {
    uint32_t id = rng() % 300;
    if (live.count(id)) {
      CHECK(trie.Remove(id));
      live.erase(id);
    } else {
      Sub sub{random_subject(true), queues[rng() % queues.size()]};
      CHECK((sub.queue.empty() ? Plain(trie, id, sub.subject)
                               : Queue(trie, id, sub.subject, sub.queue)) == InsertStatus::kOk);
      live[id] = sub;
    }
    std::string published = random_subject(false);
    Sorted expected;
    std::map<std::string, Ids> groups;
    for (const auto& [sid, sub] : live) {
      if (!BruteMatches(Split(published), Split(sub.subject))) continue;
      if (sub.queue.empty()) expected.psubs.push_back(sid);
      else groups[sub.queue].push_back(sid);
    }
    for (auto& entry : groups) expected.groups.push_back(entry.second);
    std::sort(expected.groups.begin(), expected.groups.end());
    if (!(SortedMatch(trie, published) == expected)) {
      std::fprintf(stderr, "  mismatch at step %d for %s\n", step, published.c_str());
      CHECK(false);
      return;
    }
    CHECK(trie.count() == live.size());
  }
  for (const auto& entry : live) CHECK(trie.Remove(entry.first));
  CHECK(trie.node_count() == 0 && trie.queue_name_count() == 0);
}
