// Format-level tests of the file store: checksums, encodings, records, block scanning with
// damage, index files, subject filters and the sequence index.
#include <cstring>
#include <random>
#include <set>
#include <string>

#include "filestore/block_scan.h"
#include "filestore/index_file.h"
#include "filestore/record.h"
#include "filestore/seq_index.h"
#include "filestore/subject_filter.h"
#include "filestore/subject_tree.h"
#include "test_main.h"
#include "util/coding.h"
#include "util/crc32c.h"

using namespace natsd;
using namespace natsd::filestore;

namespace natsd::crc32c {
uint32_t ExtendSoftwareForTest(uint32_t init_crc, const char* data, size_t n);
}

namespace {

BlockHeader Header(CipherId cipher, bool compress, const std::string& key) {
  BlockHeader h;
  h.id = 7;
  h.first_seq = 1;
  h.cipher = cipher;
  h.compression = compress ? kCompressionLz4 : kCompressionNone;
  CHECK(RecordCodec::PrepareHeader(key, &h).ok());
  return h;
}

std::unique_ptr<RecordCodec> Codec(const BlockHeader& h, const std::string& key) {
  std::unique_ptr<RecordCodec> codec;
  CHECK(RecordCodec::Create(h, key, &codec).ok());
  return codec;
}

const std::string kKey(32, 'k');

// A block image: header plus MSG records for seqs 1..n with subject "s.<seq % 3>".
std::string BuildBlock(RecordCodec* codec, const BlockHeader& h, int n,
                       std::vector<uint32_t>* offsets = nullptr) {
  std::string data = h.Encode();
  for (int i = 1; i <= n; i++) {
    if (offsets) offsets->push_back(static_cast<uint32_t>(data.size()));
    std::string payload = "payload-" + std::to_string(i) + std::string(i % 50, 'x');
    codec->AppendMsg(&data, i, 1000 + i, 0, "s." + std::to_string(i % 3), "", payload);
  }
  return data;
}

}  // namespace

TEST(Crc32cKnownVectors) {
  CHECK(crc32c::Value("123456789", 9) == 0xe3069283u);
  std::string zeros(32, '\0'), ones(32, '\xff');
  CHECK(crc32c::Value(zeros.data(), 32) == 0x8a9136aau);
  CHECK(crc32c::Value(ones.data(), 32) == 0x62a8ab43u);
  CHECK(crc32c::Extend(crc32c::Value("1234", 4), "56789", 5) == 0xe3069283u);
}

TEST(Crc32cHardwareAndSoftwareAgree) {
  std::mt19937_64 rng(1);
  std::string data(4099, '\0');
  for (auto& c : data) c = static_cast<char>(rng());
  for (size_t n : {0ul, 1ul, 7ul, 8ul, 9ul, 100ul, 4099ul}) {
    CHECK(crc32c::Value(data.data(), n) == crc32c::ExtendSoftwareForTest(0, data.data(), n));
  }
}

TEST(Crc32cMaskRoundTrip) {
  const uint32_t crc = crc32c::Value("foo", 3);
  CHECK(crc32c::Mask(crc) != crc);
  CHECK(crc32c::Unmask(crc32c::Mask(crc)) == crc);
}

TEST(VarintAndZigZagRoundTrip) {
  std::string buf;
  const uint64_t values[] = {0, 1, 127, 128, 300, 1ull << 35, ~0ull};
  for (uint64_t v : values) PutVarint64(&buf, v);
  const char* p = buf.data();
  for (uint64_t v : values) {
    uint64_t got = 0;
    CHECK(GetVarint64(&p, buf.data() + buf.size(), &got) && got == v);
  }
  CHECK(p == buf.data() + buf.size());
  std::string two;
  PutVarint64(&two, 300);
  uint64_t got;
  const char* q = two.data();
  CHECK(two.size() == 2 && !GetVarint64(&q, two.data() + 1, &got));  // truncated
  for (int64_t v : {0l, -1l, 1l, -1000000l, INT64_MIN, INT64_MAX}) {
    CHECK(ZigZagDecode(ZigZagEncode(v)) == v);
  }
}

TEST(RecordRoundTripEveryCodec) {
  const std::string big(5000, 'a');
  for (CipherId cipher : {CipherId::kNone, CipherId::kAes256Gcm, CipherId::kChaCha20Poly1305}) {
    for (bool compress : {false, true}) {
      BlockHeader h = Header(cipher, compress, kKey);
      auto codec = Codec(h, kKey);
      std::string rec;
      codec->AppendMsg(&rec, 42, 123456789, 30, "orders.eu", "NATS/1.0\r\nA: b\r\n\r\n", big);
      RecordHeader rh;
      CHECK(VerifyRecord(rec.data(), rec.size(), &rh));
      CHECK(rh.seq == 42 && rh.ts == 123456789 && rh.kind == Kind::kMsg);
      CHECK(((rh.flags & kFlagCompressed) != 0) == compress);
      CHECK(((rh.flags & kFlagEncrypted) != 0) == (cipher != CipherId::kNone));
      if (compress) CHECK(rec.size() < big.size());
      DecodedMsg msg;
      CHECK(codec->DecodeMsg(rec.data(), rh, &msg));
      CHECK(msg.subject() == "orders.eu" && msg.hdr() == "NATS/1.0\r\nA: b\r\n\r\n");
      CHECK(msg.payload() == big && msg.ttl == 30);
    }
  }
}

TEST(RecordEveryBitFlipIsDetected) {
  BlockHeader h = Header(CipherId::kNone, false, "");
  auto codec = Codec(h, "");
  std::string rec;
  codec->AppendMsg(&rec, 3, 99, 0, "a.b", "", "hello");
  RecordHeader rh;
  for (size_t bit = 0; bit < rec.size() * 8; bit++) {
    std::string bad = rec;
    bad[bit / 8] ^= static_cast<char>(1 << (bit % 8));
    CHECK(!VerifyRecord(bad.data(), bad.size(), &rh));
  }
}

TEST(EncryptedRecordIsBoundToItsHeader) {
  BlockHeader h = Header(CipherId::kAes256Gcm, false, kKey);
  auto codec = Codec(h, kKey);
  std::string rec;
  codec->AppendMsg(&rec, 5, 1, 0, "x", "", "secret payload");
  CHECK(rec.find("secret payload") == std::string::npos);
  EncodeFixed64(rec.data() + 8, 6);  // move it to another sequence, with a valid CRC
  EncodeFixed32(rec.data(), crc32c::Mask(crc32c::Value(rec.data() + 4, rec.size() - 4)));
  RecordHeader rh;
  CHECK(VerifyRecord(rec.data(), rec.size(), &rh));
  DecodedMsg msg;
  CHECK(!codec->DecodeMsg(rec.data(), rh, &msg));
}

TEST(WrongOrMissingKeyIsBadKey) {
  BlockHeader h = Header(CipherId::kChaCha20Poly1305, false, kKey);
  std::unique_ptr<RecordCodec> codec;
  CHECK(RecordCodec::Create(h, std::string(32, 'z'), &codec).IsBadKey());
  CHECK(RecordCodec::Create(h, "", &codec).IsBadKey());
  CHECK(RecordCodec::Create(h, kKey, &codec).ok());
}

TEST(BlockHeaderRoundTripAndDamage) {
  BlockHeader h = Header(CipherId::kAes256Gcm, true, kKey);
  std::string enc = h.Encode();
  BlockHeader back;
  CHECK(back.DecodeFrom(enc.data()));
  CHECK(back.id == 7 && back.generation == h.generation && back.key_check == h.key_check);
  CHECK(std::memcmp(back.salt, h.salt, kSaltBytes) == 0);
  enc[20] ^= 1;
  CHECK(!back.DecodeFrom(enc.data()));
  uint32_t id;
  CHECK(ParseBlockFileName("12.blk", &id) && id == 12);
  CHECK(!ParseBlockFileName("12.idx", &id) && !ParseBlockFileName("x.blk", &id));
  CHECK(!ParseBlockFileName("0.blk", &id) && !ParseBlockFileName("99999999999.blk", &id));
}

TEST(ScanCleanBlock) {
  BlockHeader h = Header(CipherId::kNone, false, "");
  auto codec = Codec(h, "");
  std::string data = BuildBlock(codec.get(), h, 100);
  AppendControlRecord(&data, Kind::kTombstone, 5, 0, 0);
  AppendControlRecord(&data, Kind::kGap, 101, 0, 120);
  ScanResult scan;
  ScanBlock(data.data(), data.size(), kBlockHeaderBytes, 1, codec.get(), &scan);
  CHECK(scan.damage.empty());
  CHECK(scan.entries.size() == 102);
  CHECK(scan.end == data.size());
  CHECK(scan.next_cover == 121);
  CHECK(scan.subjects.size() == 3);
  CHECK(scan.entries[101].kind == Kind::kGap && scan.entries[101].gap_last == 120);
}

TEST(ScanTornTailIsReportedAsTorn) {
  BlockHeader h = Header(CipherId::kNone, false, "");
  auto codec = Codec(h, "");
  std::vector<uint32_t> offsets;
  std::string data = BuildBlock(codec.get(), h, 10, &offsets);
  const size_t full = data.size();
  for (size_t cut = offsets[9] + 1; cut < full; cut += 7) {
    ScanResult scan;
    ScanBlock(data.data(), cut, kBlockHeaderBytes, 1, codec.get(), &scan);
    CHECK(scan.entries.size() == 9);
    CHECK(scan.end == offsets[9]);
    CHECK(scan.damage.size() == 1 && scan.damage[0].torn_tail);
  }
}

TEST(ScanResynchronisesAfterMidFileDamage) {
  BlockHeader h = Header(CipherId::kNone, false, "");
  auto codec = Codec(h, "");
  std::vector<uint32_t> offsets;
  std::string data = BuildBlock(codec.get(), h, 50, &offsets);
  data[offsets[20] + 4] ^= 0x40;  // record 21's length field
  ScanResult scan;
  ScanBlock(data.data(), data.size(), kBlockHeaderBytes, 1, codec.get(), &scan);
  CHECK(scan.entries.size() == 49);
  CHECK(scan.damage.size() == 1 && !scan.damage[0].torn_tail);
  CHECK(scan.damage[0].offset == offsets[20]);
  CHECK(scan.damage[0].length == offsets[21] - offsets[20]);
  CHECK(scan.entries[20].seq == 22 && scan.entries[20].skipped == scan.damage[0].length);
}

TEST(ScanRandomDamageNeverYieldsWrongRecords) {
  BlockHeader h = Header(CipherId::kNone, true, "");
  auto codec = Codec(h, "");
  std::string clean = BuildBlock(codec.get(), h, 200);
  std::mt19937_64 rng(7);
  for (int round = 0; round < 300; round++) {
    std::string data = clean;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < flips; i++) {
      const size_t at = kBlockHeaderBytes + rng() % (data.size() - kBlockHeaderBytes);
      data[at] ^= static_cast<char>(1 << (rng() % 8));
    }
    ScanResult scan;
    ScanBlock(data.data(), data.size(), kBlockHeaderBytes, 1, codec.get(), &scan);
    uint64_t prev = 0;
    for (const ScanEntry& e : scan.entries) {
      CHECK(e.seq > prev && e.seq <= 200);
      prev = e.seq;
      RecordHeader rh;
      CHECK(VerifyRecord(data.data() + e.offset, e.length, &rh));
      DecodedMsg msg;
      CHECK(codec->DecodeMsg(data.data() + e.offset, rh, &msg));
      const std::string want = "payload-" + std::to_string(e.seq) + std::string(e.seq % 50, 'x');
      CHECK(msg.payload() == want);
    }
    CHECK(!scan.damage.empty());
  }
}

static void CheckIndexRoundTrip(CipherId cipher) {
  const std::string key = cipher == CipherId::kNone ? "" : kKey;
  BlockHeader h = Header(cipher, false, key);
  auto codec = Codec(h, key);
  std::string data = BuildBlock(codec.get(), h, 30);
  AppendControlRecord(&data, Kind::kFloor, 3, 0, 0);
  ScanResult scan;
  ScanBlock(data.data(), data.size(), kBlockHeaderBytes, 1, codec.get(), &scan);
  const std::string idx = EncodeIndex(h, data.size(), scan, codec.get());
  ScanResult back;
  uint64_t covered = 0;
  CHECK(DecodeIndex(idx, h, data.size(), codec.get(), &covered, &back));
  CHECK(covered == data.size() && back.entries.size() == scan.entries.size());
  for (size_t i = 0; i < scan.entries.size(); i++) {
    const ScanEntry& a = scan.entries[i];
    const ScanEntry& b = back.entries[i];
    CHECK(a.kind == b.kind && a.offset == b.offset && a.length == b.length && a.seq == b.seq);
    CHECK(a.ts == b.ts && a.payload_len == b.payload_len && a.hdr_len == b.hdr_len);
    if (a.kind == Kind::kMsg) CHECK(scan.subjects[a.subject] == back.subjects[b.subject]);
  }
  // The block is shorter than the index says, or was rewritten since.
  CHECK(!DecodeIndex(idx, h, data.size() - 1, codec.get(), &covered, &back));
  BlockHeader other = h;
  other.generation++;
  CHECK(!DecodeIndex(idx, other, data.size(), codec.get(), &covered, &back));
  for (size_t bit = 0; bit < idx.size() * 8; bit += 13) {
    std::string bad = idx;
    bad[bit / 8] ^= static_cast<char>(1 << (bit % 8));
    CHECK(!DecodeIndex(bad, h, data.size(), codec.get(), &covered, &back));
  }
  if (cipher != CipherId::kNone) CHECK(idx.find("s.1") == std::string::npos);
}

TEST(IndexRoundTripAndStaleness) {
  CheckIndexRoundTrip(CipherId::kNone);
  CheckIndexRoundTrip(CipherId::kAes256Gcm);
}

TEST(SubjectFilterMatching) {
  CHECK(SubjectFilter(">").Matches("a.b.c") && SubjectFilter("").Matches("a"));
  CHECK(SubjectFilter("a.b").Matches("a.b") && !SubjectFilter("a.b").Matches("a.bc"));
  CHECK(SubjectFilter("a.*").Matches("a.b") && !SubjectFilter("a.*").Matches("a.b.c"));
  CHECK(!SubjectFilter("a.*").Matches("a"));
  CHECK(SubjectFilter("a.>").Matches("a.b.c") && !SubjectFilter("a.>").Matches("a"));
  CHECK(SubjectFilter("*.b.*").Matches("x.b.y") && !SubjectFilter("*.b.*").Matches("x.c.y"));
  CHECK(SubjectFilter("*.>").Matches("x.y") && !SubjectFilter("*.>").Matches("x"));
  CHECK(SubjectFilter("a.b").literal() && !SubjectFilter("a.*").literal());
}

TEST(SeqIndexChunksAndScans) {
  SeqIndex index;
  for (uint64_t s : {5ull, 6ull, 2000ull, 5000ull}) {
    index.Ensure(s);
    index.SetState(s, SlotState::kLive);
  }
  CHECK(index.NextLive(1, 10000) == 5 && index.NextLive(7, 10000) == 2000);
  CHECK(index.PrevLive(1, 4999) == 2000 && index.PrevLive(1, 4) == 0);
  CHECK(index.CountLive(1, 10000) == 4 && index.CountLive(6, 2000) == 2);
  index.SetState(2000, SlotState::kDeletedPresent);
  CHECK(index.NextLive(7, 10000) == 5000);
  index.DropBelow(5000);
  CHECK(index.State(5) == SlotState::kAbsent && index.State(5000) == SlotState::kLive);
  CHECK(index.Find(6) == nullptr);
  index.DropAbove(4999);
  CHECK(index.State(5000) == SlotState::kAbsent && index.NextLive(0, 100000) == 0);
  index.Ensure(3);
  index.SetState(3, SlotState::kLive);
  CHECK(index.NextLive(0, 10) == 3);
}

TEST(SubjectTreeMatchesLikeTheFilter) {
  SubjectTree tree;
  const std::vector<std::string> subjects = {"a", "a.b", "a.b.c", "a.c", "b.b", "a.b.d", "x.y.z"};
  for (uint32_t i = 0; i < subjects.size(); i++) tree.Insert(subjects[i], i);
  tree.Remove("a.b");  // a node that keeps children
  tree.Remove("x.y.z");  // a chain pruned to the root
  tree.Remove("not.there");
  for (const std::string filter : {"a", "a.*", "a.>", "*.b", "*.*.*", ">", "*", "a.b.*", "x.>"}) {
    std::set<uint32_t> got;
    tree.Match(filter, [&](uint32_t id) { got.insert(id); });
    std::set<uint32_t> want;
    for (uint32_t i = 0; i < subjects.size(); i++) {
      const bool removed = subjects[i] == "a.b" || subjects[i] == "x.y.z";
      if (!removed && SubjectFilter(filter).Matches(subjects[i])) want.insert(i);
    }
    CHECK(got == want);
  }
  tree.Insert("x.y.z", 9);
  std::set<uint32_t> got;
  tree.Match("x.*.z", [&](uint32_t id) { got.insert(id); });
  CHECK(got == std::set<uint32_t>({9}));
}

TEST(FormatLimitsRelate) {
  // A largest message, with TTL, compressed worst case and sealed, fits one record.
  const uint64_t largest = kRecordHeaderBytes + kTtlBytes + kSubjectBytesMax + kMsgDataBytesMax +
                           (kMsgDataBytesMax / 255 + 16) + 4 + kAeadNonceBytes + kAeadTagBytes;
  CHECK(largest <= kRecordBytesMax);
  CHECK(kBlockSizeBytesMin >= kBlockHeaderBytes + kRecordHeaderBytes);
  CHECK(kBlockSizeBytesMin <= kBlockSizeBytesDefault);
  CHECK(kBlockSizeBytesDefault <= kBlockSizeBytesMax);
  // Offsets are 32-bit: a full block plus one oversized record must stay addressable.
  CHECK(static_cast<uint64_t>(kBlockSizeBytesMax) + kRecordBytesMax < (1ull << 32));
  CHECK(kCompressBodyBytesMin > 4);  // compression adds a 4-byte length
}

TEST(ScanRefusesAnImplausibleSequenceJump) {
  BlockHeader h = Header(CipherId::kNone, false, "");
  auto codec = Codec(h, "");
  std::string data = BuildBlock(codec.get(), h, 5);
  codec->AppendMsg(&data, 6 + kCoverageHoleSeqsMax + 1, 0, 0, "s", "", "far");
  codec->AppendMsg(&data, 6, 0, 0, "s", "", "next");
  ScanResult scan;
  ScanBlock(data.data(), data.size(), kBlockHeaderBytes, 1, codec.get(), &scan);
  CHECK(scan.entries.size() == 6 && scan.entries.back().seq == 6);
  CHECK(scan.damage.size() == 1 && !scan.damage[0].torn_tail);
}
