// Encoding and decoding of index files (native/docs/filestore.md section 6).
#include "filestore/index_file.h"

#include <cstring>

#include "util/coding.h"
#include "util/crc32c.h"

namespace natsd::filestore {
namespace {

void EncodeEntry(std::string* out, const ScanEntry& e, int64_t* prev_ts) {
  out->push_back(static_cast<char>(e.kind));
  PutVarint64(out, e.skipped);
  PutVarint64(out, e.length);
  PutVarint64(out, e.seq);
  PutVarint64(out, ZigZagEncode(e.ts - *prev_ts));
  *prev_ts = e.ts;
  if (e.kind == Kind::kMsg) {
    out->push_back(static_cast<char>(e.flags));
    PutVarint64(out, e.subject);
    PutVarint64(out, e.hdr_len);
    PutVarint64(out, e.payload_len);
    if (e.flags & kFlagHasTtl) PutVarint64(out, ZigZagEncode(e.ttl));
  } else if (e.kind == Kind::kGap) {
    PutVarint64(out, e.gap_last);
  }
}

bool DecodeEntry(const char** p, const char* limit, uint64_t subjects, int64_t* prev_ts,
                 ScanEntry* e) {
  if (*p >= limit) return false;
  const auto kind = static_cast<uint8_t>(*(*p)++);
  if (kind == 0 || kind > kKindMax) return false;
  e->kind = static_cast<Kind>(kind);
  uint64_t skipped, length, seq, ts_delta;
  if (!GetVarint64(p, limit, &skipped) || !GetVarint64(p, limit, &length) ||
      !GetVarint64(p, limit, &seq) || !GetVarint64(p, limit, &ts_delta)) {
    return false;
  }
  if (length < kRecordHeaderBytes || length > kRecordBytesMax || skipped > 0xffffffffu) {
    return false;
  }
  e->skipped = static_cast<uint32_t>(skipped);
  e->length = static_cast<uint32_t>(length);
  e->seq = seq;
  e->ts = *prev_ts + ZigZagDecode(ts_delta);
  *prev_ts = e->ts;
  if (e->kind == Kind::kMsg) {
    if (*p >= limit) return false;
    e->flags = static_cast<uint8_t>(*(*p)++);
    uint64_t subject;
    if (!GetVarint64(p, limit, &subject) || subject >= subjects) return false;
    e->subject = static_cast<uint32_t>(subject);
    uint64_t hdr_len, payload_len;
    if (!GetVarint64(p, limit, &hdr_len) || !GetVarint64(p, limit, &payload_len) ||
        hdr_len + payload_len > kMsgDataBytesMax) {
      return false;
    }
    e->hdr_len = static_cast<uint32_t>(hdr_len);
    e->payload_len = static_cast<uint32_t>(payload_len);
    if (e->flags & kFlagHasTtl) {
      uint64_t ttl;
      if (!GetVarint64(p, limit, &ttl)) return false;
      e->ttl = ZigZagDecode(ttl);
    }
  } else if (e->kind == Kind::kGap) {
    if (!GetVarint64(p, limit, &e->gap_last)) return false;
  }
  return true;
}

}  // namespace

std::string EncodeIndex(const BlockHeader& header, uint64_t covered, const ScanResult& scan,
                        RecordCodec* codec) {
  std::string out(kIndexHeaderBytes, '\0');
  char* h = out.data();
  std::memcpy(h, kIndexMagic, 8);
  EncodeFixed16(h + 8, kIndexVersion);
  EncodeFixed32(h + 12, header.id);
  std::memcpy(h + 16, header.salt, kSaltBytes);
  EncodeFixed64(h + 32, header.generation);
  EncodeFixed64(h + 40, covered);
  EncodeFixed32(h + 48, static_cast<uint32_t>(scan.subjects.size()));
  EncodeFixed32(h + 52, static_cast<uint32_t>(scan.entries.size()));
  EncodeFixed32(h + 60, crc32c::Mask(crc32c::Value(h, 60)));
  std::string body;
  for (const auto& subject : scan.subjects) {
    PutVarint64(&body, subject.size());
    body.append(subject);
  }
  int64_t prev_ts = 0;
  for (const auto& entry : scan.entries) EncodeEntry(&body, entry, &prev_ts);
  if (codec->encrypted()) {
    const std::string aad = out;  // a copy: sealing appends to out
    codec->SealBlob(aad, body, &out);
  } else {
    out.append(body);
  }
  const uint32_t crc =
      crc32c::Value(out.data() + kIndexHeaderBytes, out.size() - kIndexHeaderBytes);
  PutFixed32(&out, crc32c::Mask(crc));
  return out;
}

bool DecodeIndex(const std::string& data, const BlockHeader& header, uint64_t block_size,
                 RecordCodec* codec, uint64_t* covered, ScanResult* out) {
  if (data.size() < kIndexHeaderBytes + 4) return false;
  const char* h = data.data();
  if (std::memcmp(h, kIndexMagic, 8) != 0) return false;
  if (crc32c::Unmask(DecodeFixed32(h + 60)) != crc32c::Value(h, 60)) return false;
  if (DecodeFixed16(h + 8) != kIndexVersion || DecodeFixed32(h + 12) != header.id) return false;
  if (std::memcmp(h + 16, header.salt, kSaltBytes) != 0) return false;
  if (DecodeFixed64(h + 32) != header.generation) return false;
  const uint64_t cov = DecodeFixed64(h + 40);
  if (cov < kBlockHeaderBytes || cov > block_size) return false;
  size_t body_len = data.size() - kIndexHeaderBytes - 4;
  const char* body = h + kIndexHeaderBytes;
  if (crc32c::Unmask(DecodeFixed32(body + body_len)) != crc32c::Value(body, body_len)) {
    return false;
  }
  std::string opened;
  if (codec->encrypted()) {
    if (!codec->OpenBlob(std::string_view(h, kIndexHeaderBytes), std::string_view(body, body_len),
                         &opened)) {
      return false;
    }
    body = opened.data();
    body_len = opened.size();
  }
  const uint32_t subject_count = DecodeFixed32(h + 48);
  const uint32_t entry_count = DecodeFixed32(h + 52);
  const char* p = body;
  const char* limit = body + body_len;
  ScanResult result;
  for (uint32_t i = 0; i < subject_count; i++) {
    uint64_t len;
    if (!GetVarint64(&p, limit, &len) || len > static_cast<uint64_t>(limit - p)) return false;
    if (result.InternSubject(std::string_view(p, len)) != i) return false;  // duplicates
    p += len;
  }
  if (entry_count > body_len) return false;
  result.entries.resize(entry_count);
  int64_t prev_ts = 0;
  uint64_t end = kBlockHeaderBytes;
  for (auto& entry : result.entries) {
    if (!DecodeEntry(&p, limit, subject_count, &prev_ts, &entry)) return false;
    const uint64_t offset = end + entry.skipped;
    if (offset + entry.length > cov) return false;
    entry.offset = static_cast<uint32_t>(offset);
    if (entry.skipped > 0) result.damage.push_back({static_cast<uint32_t>(end), entry.skipped});
    end = offset + entry.length;
  }
  if (p != limit) return false;
  result.end = end;
  *covered = cov;
  *out = std::move(result);
  return true;
}

}  // namespace natsd::filestore
