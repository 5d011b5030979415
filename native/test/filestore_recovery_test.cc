// Recovery tests of the native file store: power loss at random moments (including in the middle
// of a flush job and with torn writes) over many rounds, and bit flips and truncations at random
// offsets of block and index files. Every round checks that what was synced is there byte for
// byte, that deletions that were synced stay deleted, and that damaged data is never returned.
#include <map>
#include <random>
#include <set>

#include "filestore/record_format.h"
#include "filestore_test_util.h"

using namespace natsd_test;

namespace {

std::string PayloadFor(uint64_t seq, uint64_t salt) {
  return "seq-" + std::to_string(seq) + "-" + std::to_string(salt) +
         std::string((seq * 7 + salt) % 300, static_cast<char>('a' + seq % 26));
}

struct Model {
  std::map<uint64_t, std::string> live;  // what the store holds now
  std::map<uint64_t, std::string> durable;  // what it held at the last synced flush
  std::set<uint64_t> removed_since_sync;
  std::map<uint64_t, std::string> appended_since_sync;  // may survive even if removed since

  void Synced() {
    durable = live;
    removed_since_sync.clear();
    appended_since_sync.clear();
  }
};

void CheckRecovered(StoreFixture& f, Model& m) {
  std::map<uint64_t, std::string> recovered;
  const FastState st = f.store->GetFastState();
  for (uint64_t s = st.first_seq; s <= st.last_seq && st.msgs > 0; s++) {
    StoredMsg msg;
    if (f.store->Load(s, &msg) == Code::kOk) recovered[s] = std::string(msg.msg.payload());
  }
  CHECK(recovered.size() == st.msgs);
  for (const auto& [seq, payload] : m.durable) {
    if (m.removed_since_sync.count(seq) > 0) continue;
    auto it = recovered.find(seq);
    CHECK(it != recovered.end() && it->second == payload);
  }
  for (const auto& [seq, payload] : recovered) {
    auto live = m.live.find(seq);
    auto durable = m.durable.find(seq);
    auto appended = m.appended_since_sync.find(seq);
    const bool known = (live != m.live.end() && live->second == payload) ||
                       (durable != m.durable.end() && durable->second == payload) ||
                       (appended != m.appended_since_sync.end() && appended->second == payload);
    if (!known) std::fprintf(stderr, "  unexpected message %llu\n", (unsigned long long)seq);
    CHECK(known);  // never a deleted-before-sync message, never wrong bytes
  }
  m.live = recovered;
  m.Synced();
}

void RandomOp(StoreFixture& f, Model& m, std::mt19937_64& rng, uint64_t salt) {
  const int op = static_cast<int>(rng() % 100);
  if (op < 70 || m.live.empty()) {
    const uint64_t seq = f.store->GetFastState().last_seq + 1;
    const std::string payload = PayloadFor(seq, salt);
    CHECK(f.Put("sub." + std::to_string(rng() % 6), payload) == seq);
    m.live[seq] = payload;
    m.appended_since_sync[seq] = payload;
  } else if (op < 90) {
    auto it = m.live.begin();
    std::advance(it, static_cast<long>(rng() % m.live.size()));
    CHECK(f.store->Remove(it->first, op >= 87) == Code::kOk);
    m.removed_since_sync.insert(it->first);
    m.live.erase(it);
  } else if (op < 95) {
    const uint64_t upto = m.live.begin()->first + rng() % 20;
    f.store->Compact(upto);
    for (auto it = m.live.begin(); it != m.live.end() && it->first < upto;) {
      m.removed_since_sync.insert(it->first);
      it = m.live.erase(it);
    }
  } else {
    const std::string subject = "sub." + std::to_string(rng() % 6);
    f.store->PurgeEx(subject, 0, 0);
    f.store->PurgeEx("nothing.matches", 0, 0);
    // The model does not know subjects; reload it from the store instead.
    for (auto it = m.live.begin(); it != m.live.end();) {
      std::string subj;
      if (f.store->SubjectForSeq(it->first, &subj) != Code::kOk) {
        m.removed_since_sync.insert(it->first);
        it = m.live.erase(it);
      } else {
        ++it;
      }
    }
  }
}

}  // namespace

TEST(RecoveryPowerLossAtRandomMomentsKeepsEverySyncedWrite) {
  std::mt19937_64 rng(20240611);
  for (uint32_t block_size : {4096u, 64u * 1024}) {
    StoreFixture f(block_size);
    f.Open();
    Model m;
    for (int round = 0; round < 400; round++) {
      const int ops = 1 + static_cast<int>(rng() % 60);
      for (int i = 0; i < ops; i++) {
        RandomOp(f, m, rng, round);
        if (rng() % 8 == 0) {
          CHECK(f.Flush());
          m.Synced();
        }
      }
      // Power loss: sometimes in the middle of a flush job, sometimes with torn writes.
      if (rng() % 2 == 0) {
        f.env.FailMutationsAfter(static_cast<int64_t>(rng() % 12));
        f.Flush();
        f.env.FailMutationsAfter(-1);
      }
      f.store.reset();
      f.env.Crash(rng() % 2 == 0 ? rng() | 1 : 0);
      f.Open();
      f.store->TakeDamage();
      CheckRecovered(f, m);
    }
  }
}

TEST(RecoveryBitFlipsAndTruncationsNeverServeWrongBytes) {
  std::mt19937_64 rng(99);
  for (int round = 0; round < 300; round++) {
    StoreFixture f(8192);
    f.options.compress = round % 3 == 1;
    if (round % 3 == 2) {
      f.options.cipher = natsd::CipherId::kChaCha20Poly1305;
      f.options.key = std::string(32, 'c');
    }
    f.Open();
    std::map<uint64_t, std::string> written;
    for (uint64_t seq = 1; seq <= 300; seq++) {
      written[seq] = PayloadFor(seq, 1);
      f.Put("c." + std::to_string(seq % 4), written[seq]);
    }
    CHECK(f.store->Close().ok());
    f.store.reset();
    // Damage: a few bit flips, or a truncation, in random block or index files.
    std::vector<std::string> files = f.Files();
    const int hits = 1 + static_cast<int>(rng() % 3);
    bool single_record_flip = false;
    for (int i = 0; i < hits; i++) {
      const std::string path = f.options.dir + "/msgs/" + files[rng() % files.size()];
      std::string data;
      f.env.GetContents(path, &data);
      if (data.empty()) continue;
      if (rng() % 4 == 0) {
        data.resize(rng() % data.size());
      } else {
        const size_t at = rng() % data.size();
        data[at] ^= static_cast<char>(1 << (rng() % 8));
        single_record_flip = hits == 1 && at >= kBlockHeaderBytes &&
                             path.compare(path.size() - 4, 4, ".blk") == 0;
      }
      f.env.SetContents(path, data);
    }
    natsd::Status s = Store::Open(&f.env, f.options, &f.store);
    CHECK(s.ok());
    if (!s.ok()) continue;
    const FastState st = f.store->GetFastState();
    uint64_t served = 0;
    for (uint64_t seq = 1; seq <= 300; seq++) {
      StoredMsg msg;
      const Code code = f.store->Load(seq, &msg);
      if (code == Code::kOk) {
        CHECK(msg.msg.payload() == written[seq]);
        served++;
      }
    }
    // Everything not served is accounted for as lost or reported as damage.
    const FastState after = f.store->GetFastState();
    if (served < 300) {
      CHECK(after.lost_msgs > 0 || after.lost_bytes > 0 || !f.store->TakeDamage().empty());
    }
    // One flipped bit in a record: exactly the messages it hit are reported lost by sequence.
    if (single_record_flip) CHECK(served + after.lost_msgs == 300 && after.lost_msgs <= 1);
    CHECK(st.msgs >= served);
  }
}
