// Store-level tests of the native file store on a fault-injecting in-memory Env: reopen with and
// without index files, tombstones, floors and truncation across crashes, secure erase,
// compaction, limits, expiry, encryption and snapshots.
#include <random>

#include "filestore_test_util.h"
#include "filestore/block_header.h"
#include "filestore/msg_frame.h"

using namespace natsd_test;

TEST(StoreRoundTripAcrossBlocksAndReopen) {
  StoreFixture f;
  f.Open();
  for (int i = 1; i <= 500; i++) f.Put("orders." + std::to_string(i % 7), "p" + std::to_string(i));
  CHECK(f.Flush());
  CHECK(f.Files().size() > 10);  // many 4 KiB blocks
  f.Reopen();
  CHECK(f.store->GetFastState().msgs == 500);
  for (int i = 1; i <= 500; i++) CHECK(f.Payload(i) == "p" + std::to_string(i));
  // Without any index file the blocks are scanned and the result is the same.
  CHECK(f.store->Close().ok());
  for (const auto& name : f.Files()) {
    if (name.find(".idx") != std::string::npos) f.env.RemoveFile(f.options.dir + "/msgs/" + name);
  }
  f.store.reset();
  f.Open();
  const FastState s = f.store->GetFastState();
  CHECK(s.msgs == 500 && s.first_seq == 1 && s.last_seq == 500 && s.num_subjects == 7);
  for (int i = 1; i <= 500; i += 37) CHECK(f.Payload(i) == "p" + std::to_string(i));
  CHECK(f.store->FilteredState(1, "orders.3").msgs == 72);
}

TEST(StoreUnsyncedWritesAreLostSyncedOnesKept) {
  StoreFixture f;
  f.Open();
  for (int i = 0; i < 10; i++) f.Put("a", "synced");
  CHECK(f.Flush());
  for (int i = 0; i < 10; i++) f.Put("a", "unsynced");
  f.CrashAndReopen();
  const FastState s = f.store->GetFastState();
  CHECK(s.msgs == 10 && s.last_seq == 10);
  CHECK(f.Payload(10) == "synced");
}

TEST(StoreRemovalsSurviveCrash) {
  StoreFixture f;
  f.Open();
  for (int i = 1; i <= 200; i++) f.Put("s." + std::to_string(i % 5), std::to_string(i));
  CHECK(f.store->Remove(7, false) == Code::kOk);
  CHECK(f.store->Remove(150, false) == Code::kOk);
  CHECK(f.store->Remove(1, false) == Code::kOk);  // the first: covered by a FLOOR, no tombstone
  CHECK(f.store->Remove(7, false) == Code::kNotFound);
  CHECK(f.Flush());
  f.CrashAndReopen();
  const FastState s = f.store->GetFastState();
  CHECK(s.msgs == 197 && s.first_seq == 2 && s.num_deleted == 2);
  StoredMsg m;
  CHECK(f.store->Load(7, &m) == Code::kDeleted && f.store->Load(1, &m) == Code::kNotFound);
  CHECK(f.store->Load(201, &m) == Code::kEof);
  CHECK(f.store->DeletedSeqs() == std::vector<uint64_t>({7, 150}));
}

TEST(StoreSecureEraseDestroysTheBytes) {
  StoreFixture f;
  f.Open();
  f.Put("a", "keep-me");
  const uint64_t secret = f.Put("a", "TOP-SECRET-PAYLOAD");
  f.Put("a", "keep-me-too");
  CHECK(f.Flush());
  CHECK(f.AnyFileContains("TOP-SECRET-PAYLOAD"));
  CHECK(f.store->Remove(secret, true) == Code::kOk);
  CHECK(f.Flush());
  CHECK(!f.AnyFileContains("TOP-SECRET-PAYLOAD"));
  f.CrashAndReopen();
  StoredMsg m;
  CHECK(f.store->Load(secret, &m) == Code::kDeleted);
  CHECK(f.Payload(3) == "keep-me-too" && f.store->GetFastState().lost_msgs == 0);
}

TEST(StorePurgeCompactTruncateSurviveCrash) {
  StoreFixture f;
  f.Open();
  for (int i = 1; i <= 300; i++) f.Put("x", std::to_string(i));
  CHECK(f.store->Compact(101) == 100);
  CHECK(f.Flush());
  f.CrashAndReopen();
  FastState s = f.store->GetFastState();
  CHECK(s.msgs == 200 && s.first_seq == 101 && s.last_seq == 300);
  CHECK(f.store->Truncate(250) == Code::kOk);
  CHECK(f.Flush());
  f.CrashAndReopen();
  s = f.store->GetFastState();
  CHECK(s.msgs == 150 && s.first_seq == 101 && s.last_seq == 250);
  CHECK(f.Put("x", "after-truncate") == 251);
  CHECK(f.store->Purge() == 151);
  CHECK(f.Flush());
  f.CrashAndReopen();
  s = f.store->GetFastState();
  CHECK(s.msgs == 0 && s.first_seq == 252 && s.last_seq == 251);
  CHECK(f.Put("x", "next") == 252);
  CHECK(f.store->Compact(1000) == 1);  // past the end: the next message gets 1000
  CHECK(f.Flush());
  f.CrashAndReopen();
  s = f.store->GetFastState();
  CHECK(s.msgs == 0 && s.first_seq == 1000 && s.last_seq == 999);
  CHECK(f.Files().size() <= 2);  // one block and its index at most
}

TEST(StoreTruncateThenReuseKeepsOldTombstonesAway) {
  StoreFixture f;
  f.Open();
  for (int i = 1; i <= 100; i++) f.Put("t", "old" + std::to_string(i));
  CHECK(f.store->Remove(5, false) == Code::kOk);
  CHECK(f.store->Remove(60, false) == Code::kOk);  // a tombstone for a sequence to be re-used
  CHECK(f.store->Truncate(40) == Code::kOk);
  for (int i = 41; i <= 80; i++) f.Put("t", "new" + std::to_string(i));
  CHECK(f.Flush());
  f.CrashAndReopen();
  StoredMsg m;
  CHECK(f.store->Load(5, &m) == Code::kDeleted);
  CHECK(f.Payload(60) == "new60" && f.Payload(41) == "new41" && f.Payload(40) == "old40");
  CHECK(f.store->GetFastState().msgs == 79);
}

TEST(StoreCompactionReclaimsSpace) {
  StoreFixture f;
  f.Open();
  const std::string payload(100, 'z');
  for (int i = 1; i <= 2000; i++) f.Put("k." + std::to_string(i % 10), payload);
  CHECK(f.Flush());
  const uint64_t before = f.DiskBytes();
  for (uint64_t s = 1; s <= 2000; s++) {
    if (s % 10 != 0) CHECK(f.store->Remove(s, false) == Code::kOk);
  }
  CHECK(f.Flush());
  const uint64_t after = f.DiskBytes();
  CHECK(after * 3 < before);
  f.CrashAndReopen();
  const FastState s = f.store->GetFastState();
  CHECK(s.msgs == 200 && s.lost_msgs == 0 && s.lost_bytes == 0);
  for (uint64_t seq = 10; seq <= 2000; seq += 10) CHECK(f.Payload(seq) == payload);
  StoredMsg m;
  CHECK(f.store->Load(11, &m) == Code::kDeleted);
}

// Reads are served from a read-ahead window; compaction moves records inside their blocks, so
// the window must never outlive a rewrite, and reads must stay exact across blocks.
TEST(StoreReadsStayExactAcrossCompactionAndBlockRemoval) {
  StoreFixture f;
  f.Open();
  for (int i = 1; i <= 2000; i++) f.Put("k." + std::to_string(i % 10), "p" + std::to_string(i));
  CHECK(f.Flush());
  for (uint64_t seq = 1; seq <= 2000; seq++) CHECK(f.Payload(seq) == "p" + std::to_string(seq));
  CHECK(f.Payload(1) == "p1");  // the window now sits at the front of the first block
  for (uint64_t s = 1; s <= 2000; s++) {
    if (s % 10 != 0) CHECK(f.store->Remove(s, false) == Code::kOk);
  }
  CHECK(f.Flush());  // compaction rewrites the blocks and removes the emptied ones
  for (uint64_t seq = 10; seq <= 2000; seq += 10) {
    CHECK(f.Payload(seq) == "p" + std::to_string(seq));
  }
  StoredMsg m;
  CHECK(f.store->LoadNext(">", 11, &m) == Code::kOk && m.seq == 20);
  CHECK(f.store->GetFastState().lost_msgs == 0);
}

TEST(StoreMaxMsgsKeepsDiskBounded) {
  StoreFixture f;
  f.options.limits.max_msgs = 50;
  f.Open();
  uint64_t peak = 0;
  for (int i = 1; i <= 5000; i++) {
    f.Put("m", std::string(64, 'q'));
    if (i % 100 == 0) {
      CHECK(f.Flush());
      peak = std::max(peak, f.DiskBytes());
    }
  }
  const FastState s = f.store->GetFastState();
  CHECK(s.msgs == 50 && s.first_seq == 4951 && s.last_seq == 5000);
  CHECK(peak < 64 * 1024);
  f.CrashAndReopen();
  CHECK(f.store->GetFastState().msgs == 50 && f.store->GetFastState().first_seq == 4951);
}

TEST(StoreDiscardNewAndPerSubjectLimits) {
  StoreFixture f;
  f.options.limits.max_msgs = 3;
  f.options.limits.discard_new = true;
  f.Open();
  for (int i = 0; i < 3; i++) f.Put("a", "x");
  MsgIn m;
  m.subject = "a";
  m.payload = "x";
  uint64_t seq;
  CHECK(f.store->Append(m, true, &seq) == Code::kMaxMsgs);
  CHECK(f.store->Append(m, false, &seq) == Code::kOk);  // no check: stored anyway
  Limits l;
  l.max_msgs_per_subject = 2;
  l.discard_new = true;
  l.discard_new_per_subject = true;
  f.store->UpdateLimits(l);
  CHECK(f.store->FilteredState(0, "a").msgs == 2);
  CHECK(f.store->Append(m, true, &seq) == Code::kMaxMsgsPerSubject);
  m.per_subject_exempt = true;
  CHECK(f.store->Append(m, true, &seq) == Code::kOk);
  CHECK(f.store->FilteredState(0, "a").msgs == 2);
  m.payload = std::string(100, 'y');
  l.max_msg_size = 10;
  f.store->UpdateLimits(l);
  CHECK(f.store->Append(m, true, &seq) == Code::kMsgTooBig);
}

TEST(StoreExpiryByAgeSkipsNeverExpiringMessages) {
  StoreFixture f;
  f.options.limits.max_age_ns = 1000;
  f.Open();
  f.clock = 10'000;
  f.Put("a", "1");                                   // ts 10000
  f.Put("a", "never", natsd::filestore::kTtlNever);  // ts 10001
  f.Put("a", "3");                                   // ts 10002
  f.clock = 10'500;
  f.Put("a", "4");  // ts 10500
  CHECK(f.store->GetFastState().next_expiry == 11'000);
  CHECK(f.store->Expire(10'999) == 0);
  CHECK(f.store->Expire(11'002) == 2);
  CHECK(f.store->GetFastState().msgs == 2 && f.store->GetFastState().next_expiry == 11'500);
  CHECK(f.store->Expire(11'600) == 1);
  CHECK(f.store->GetFastState().next_expiry == 0);
  CHECK(f.Payload(2) == "never" && f.store->GetFastState().msgs == 1);
}

TEST(StoreExpiryByTtlSurvivesReopen) {
  StoreFixture f;
  f.Open();
  f.clock = 5'000;
  f.Put("a", "short", 1);  // expires at 1e9 + 5000
  f.Put("a", "plain");
  f.Put("a", "long", 3);   // expires at 3e9 + 5002
  f.Reopen();
  CHECK(f.store->GetFastState().next_expiry == 1'000'005'000);
  CHECK(f.store->Expire(1'000'005'000) == 1);
  CHECK(f.store->GetFastState().next_expiry == 3'000'005'002);
  CHECK(f.store->Expire(3'000'005'002) == 1);
  CHECK(f.store->GetFastState().msgs == 1 && f.Payload(2) == "plain");
}

TEST(StoreWriteFailureStopsWrites) {
  StoreFixture f;
  f.Open();
  f.Put("a", "1");
  f.env.FailMutationsAfter(0);
  CHECK(!f.Flush());
  CHECK(!f.store->failure().ok());
  MsgIn m;
  m.subject = "a";
  uint64_t seq;
  CHECK(f.store->Append(m, true, &seq) == Code::kIoError);
  CHECK(f.Payload(1) == "1");  // still served from memory
  f.env.FailMutationsAfter(-1);
}

TEST(StoreEncryptedAtRest) {
  for (auto cipher : {natsd::CipherId::kAes256Gcm, natsd::CipherId::kChaCha20Poly1305}) {
    StoreFixture f;
    f.options.cipher = cipher;
    f.options.key = std::string(32, 'K');
    f.options.compress = true;
    f.Open();
    for (int i = 0; i < 50; i++) f.Put("secret.subject", "PLAINTEXT-PAYLOAD-" + std::to_string(i));
    f.Reopen();
    CHECK(!f.AnyFileContains("PLAINTEXT-PAYLOAD") && !f.AnyFileContains("secret.subject"));
    CHECK(f.Payload(50) == "PLAINTEXT-PAYLOAD-49");
    CHECK(f.store->Close().ok());
    f.store.reset();
    f.options.key = std::string(32, 'W');
    std::unique_ptr<Store> wrong;
    CHECK(Store::Open(&f.env, f.options, &wrong).IsBadKey());
  }
}

TEST(StoreSnapshotIsConsistent) {
  StoreFixture f;
  f.Open();
  for (int i = 1; i <= 300; i++) f.Put("s", "v" + std::to_string(i));
  CHECK(f.Flush());
  for (int i = 301; i <= 310; i++) f.Put("s", "v" + std::to_string(i));  // still in memory
  auto snap = f.store->OpenSnapshot();
  for (uint64_t s = 1; s <= 200; s++) CHECK(f.store->Remove(s, false) == Code::kOk);
  CHECK(f.Flush());  // compaction rewrites and removes blocks under the snapshot
  f.store->Purge();
  CHECK(f.Flush());
  std::string out;
  while (snap->Next(1000, &out)) {
  }
  size_t pos = 0;
  uint64_t expect = 1;
  Frame frame;
  while (ParseFrame(out.data(), out.size(), &pos, &frame)) {
    CHECK(frame.seq == expect && frame.payload == "v" + std::to_string(expect));
    expect++;
  }
  CHECK(expect == 311 && snap->total() == 310);
}
