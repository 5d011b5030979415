// Record encoding and verification (native/docs/filestore.md section 3).
#include "filestore/record.h"

#include <atomic>
#include <cstring>

#include "util/assert.h"
#include "util/coding.h"
#include "util/crc32c.h"
#include "util/lz4_codec.h"

namespace natsd::filestore {
namespace {

void EncodeHeader(char* dst, const RecordHeader& h) {
  EncodeFixed32(dst + 4, h.length);
  EncodeFixed64(dst + 8, h.seq);
  EncodeFixed64(dst + 16, static_cast<uint64_t>(h.ts));
  dst[24] = static_cast<char>(h.kind);
  dst[25] = static_cast<char>(h.flags);
  EncodeFixed16(dst + 26, h.subject_len);
  EncodeFixed32(dst + 28, h.hdr_len);
}

void SealCrc(char* record, uint32_t length) {
  EncodeFixed32(record, crc32c::Mask(crc32c::Value(record + 4, length - 4)));
}

// Nonces: a random 96-bit base per process XOR a counter, so no two records sealed by this
// process share one, and different processes collide only with negligible probability.
struct NonceSource {
  uint8_t base[kAeadNonceBytes] = {};
  std::atomic<uint64_t> counter{0};
  NonceSource() { NATSD_ASSERT(RandomBytes(base, sizeof(base))); }
  void Next(uint8_t* out) {
    uint64_t n = counter.fetch_add(1, std::memory_order_relaxed);
    std::memcpy(out, base, kAeadNonceBytes);
    for (int i = 0; i < 8; i++) out[4 + i] ^= static_cast<uint8_t>(n >> (8 * i));
  }
};

NonceSource& Nonces() {
  static NonceSource source;
  return source;
}

void DeriveBlockKey(const std::string& store_key, const uint8_t* salt, uint8_t* key32) {
  std::string input = "natsd-block-key";
  input.append(reinterpret_cast<const char*>(salt), kSaltBytes);
  HmacSha256(store_key.data(), store_key.size(), input.data(), input.size(), key32);
}

uint64_t KeyCheck(const uint8_t* block_key) {
  static const char kLabel[] = "natsd-key-check";
  uint8_t mac[32];
  HmacSha256(block_key, kAeadKeyBytes, kLabel, sizeof(kLabel) - 1, mac);
  return DecodeFixed64(reinterpret_cast<const char*>(mac));
}

}  // namespace

bool ParsePlausibleHeader(const char* p, size_t avail, RecordHeader* out) {
  if (avail < kRecordHeaderBytes) return false;
  RecordHeader h;
  h.length = DecodeFixed32(p + 4);
  h.seq = DecodeFixed64(p + 8);
  h.ts = static_cast<int64_t>(DecodeFixed64(p + 16));
  const auto kind = static_cast<uint8_t>(p[24]);
  h.flags = static_cast<uint8_t>(p[25]);
  h.subject_len = DecodeFixed16(p + 26);
  h.hdr_len = DecodeFixed32(p + 28);
  if (kind == 0 || kind > kKindMax || (h.flags & ~kFlagsAll) != 0) return false;
  h.kind = static_cast<Kind>(kind);
  if (h.length < kRecordHeaderBytes || h.length > kRecordBytesMax || h.length > avail) return false;
  const size_t body = h.length - kRecordHeaderBytes;
  switch (h.kind) {
    case Kind::kMsg:
      if (h.hdr_len > kMsgDataBytesMax) return false;
      if (h.flags == 0 && static_cast<size_t>(h.subject_len) + h.hdr_len > body) return false;
      break;
    case Kind::kGap:
      if (body != 8 || h.flags != 0 || h.subject_len != 0 || h.hdr_len != 0) return false;
      break;
    case Kind::kErased:
      if (h.flags != 0 || h.subject_len != 0 || h.hdr_len != 0) return false;
      break;
    default:
      if (body != 0 || h.flags != 0 || h.subject_len != 0 || h.hdr_len != 0) return false;
  }
  *out = h;
  return true;
}

bool VerifyRecord(const char* p, size_t avail, RecordHeader* out) {
  RecordHeader h;
  if (!ParsePlausibleHeader(p, avail, &h)) return false;
  if (crc32c::Unmask(DecodeFixed32(p)) != crc32c::Value(p + 4, h.length - 4)) return false;
  *out = h;
  return true;
}

void AppendControlRecord(std::string* out, Kind kind, uint64_t seq, int64_t ts, uint64_t gap_last) {
  RecordHeader h;
  h.kind = kind;
  h.seq = seq;
  h.ts = ts;
  h.length = static_cast<uint32_t>(kRecordHeaderBytes + (kind == Kind::kGap ? 8 : 0));
  const size_t start = out->size();
  out->resize(start + h.length);
  char* rec = out->data() + start;
  EncodeHeader(rec, h);
  if (kind == Kind::kGap) EncodeFixed64(rec + kRecordHeaderBytes, gap_last);
  SealCrc(rec, h.length);
}

std::string MakeErasedRecord(uint64_t seq, int64_t ts, uint32_t length) {
  NATSD_ASSERT(length >= kRecordHeaderBytes);
  std::string rec(length, '\0');
  RecordHeader h;
  h.kind = Kind::kErased;
  h.seq = seq;
  h.ts = ts;
  h.length = length;
  EncodeHeader(rec.data(), h);
  if (length > kRecordHeaderBytes) {
    NATSD_ASSERT(RandomBytes(rec.data() + kRecordHeaderBytes, length - kRecordHeaderBytes));
  }
  SealCrc(rec.data(), length);
  return rec;
}

uint64_t GapLast(const char* record) { return DecodeFixed64(record + kRecordHeaderBytes); }

Status RecordCodec::PrepareHeader(const std::string& store_key, BlockHeader* header) {
  if (!RandomBytes(header->salt, kSaltBytes) ||
      !RandomBytes(&header->generation, sizeof(header->generation))) {
    return Status::IOError("no random bytes for a block salt");
  }
  header->key_check = 0;
  if (header->cipher != CipherId::kNone) {
    if (store_key.size() != kAeadKeyBytes) return Status::BadKey("encryption needs a 32-byte key");
    uint8_t key[kAeadKeyBytes];
    DeriveBlockKey(store_key, header->salt, key);
    header->key_check = KeyCheck(key);
  }
  return Status::OK();
}

Status RecordCodec::Create(const BlockHeader& header, const std::string& store_key,
                           std::unique_ptr<RecordCodec>* out) {
  std::unique_ptr<RecordCodec> codec(new RecordCodec());
  codec->compress_ = header.compression == kCompressionLz4;
  if (header.cipher != CipherId::kNone) {
    if (store_key.size() != kAeadKeyBytes) {
      return Status::BadKey("block " + std::to_string(header.id) + " is encrypted; no key given");
    }
    uint8_t key[kAeadKeyBytes];
    DeriveBlockKey(store_key, header.salt, key);
    if (KeyCheck(key) != header.key_check) {
      return Status::BadKey("the key does not match block " + std::to_string(header.id));
    }
    codec->aead_ = Aead::Create(header.cipher, key);
    if (!codec->aead_) return Status::BadKey("cipher unavailable");
  }
  *out = std::move(codec);
  return Status::OK();
}

void RecordCodec::AppendMsg(std::string* out, uint64_t seq, int64_t ts, int64_t ttl,
                            std::string_view subject, std::string_view hdr,
                            std::string_view payload) {
  RecordHeader h;
  h.kind = Kind::kMsg;
  h.seq = seq;
  h.ts = ts;
  h.subject_len = static_cast<uint16_t>(subject.size());
  h.hdr_len = static_cast<uint32_t>(hdr.size());
  if (ttl != 0) h.flags |= kFlagHasTtl;
  const size_t logical = (ttl != 0 ? kTtlBytes : 0) + subject.size() + hdr.size() + payload.size();
  const size_t start = out->size();
  const bool transform = aead_ || (compress_ && logical >= kCompressBodyBytesMin);
  if (!transform) {
    h.length = static_cast<uint32_t>(kRecordHeaderBytes + logical);
    out->resize(start + kRecordHeaderBytes);
    if (ttl != 0) PutFixed64(out, static_cast<uint64_t>(ttl));
    out->append(subject).append(hdr).append(payload);
    EncodeHeader(out->data() + start, h);
    SealCrc(out->data() + start, h.length);
    return;
  }
  scratch_.clear();
  if (ttl != 0) PutFixed64(&scratch_, static_cast<uint64_t>(ttl));
  scratch_.append(subject).append(hdr).append(payload);
  std::string stored;
  if (compress_ && logical >= kCompressBodyBytesMin &&
      lz4::CompressIfSmaller(scratch_.data(), scratch_.size(), &stored)) {
    h.flags |= kFlagCompressed;
  } else {
    stored.swap(scratch_);
  }
  out->resize(start + kRecordHeaderBytes);
  if (aead_) {
    h.flags |= kFlagEncrypted;
    h.length = static_cast<uint32_t>(kRecordHeaderBytes + kAeadNonceBytes + stored.size() +
                                     kAeadTagBytes);
    EncodeHeader(out->data() + start, h);
    uint8_t nonce[kAeadNonceBytes];
    Nonces().Next(nonce);
    out->append(reinterpret_cast<const char*>(nonce), kAeadNonceBytes);
    const std::string aad(out->data() + start + 4, kRecordHeaderBytes - 4);
    NATSD_ASSERT(aead_->Seal(nonce, aad.data(), aad.size(), stored.data(), stored.size(), out));
  } else {
    h.length = static_cast<uint32_t>(kRecordHeaderBytes + stored.size());
    out->append(stored);
    EncodeHeader(out->data() + start, h);
  }
  SealCrc(out->data() + start, h.length);
}

bool RecordCodec::DecodeMsg(const char* record, const RecordHeader& h, DecodedMsg* out) {
  const char* body = record + kRecordHeaderBytes;
  size_t body_len = h.length - kRecordHeaderBytes;
  std::string opened;
  if (h.flags & kFlagEncrypted) {
    if (!aead_ || body_len < kAeadNonceBytes + kAeadTagBytes) return false;
    const auto* nonce = reinterpret_cast<const uint8_t*>(body);
    if (!aead_->Open(nonce, record + 4, kRecordHeaderBytes - 4, body + kAeadNonceBytes,
                     body_len - kAeadNonceBytes, &opened)) {
      return false;
    }
    body = opened.data();
    body_len = opened.size();
  }
  out->body.clear();
  if (h.flags & kFlagCompressed) {
    const size_t max_logical = kTtlBytes + kSubjectBytesMax + kMsgDataBytesMax;
    if (!lz4::Decompress(body, body_len, max_logical, &out->body)) return false;
  } else {
    out->body.assign(body, body_len);
  }
  size_t pos = 0;
  out->ttl = 0;
  if (h.flags & kFlagHasTtl) {
    if (out->body.size() < kTtlBytes) return false;
    out->ttl = static_cast<int64_t>(DecodeFixed64(out->body.data()));
    pos = kTtlBytes;
  }
  if (out->body.size() < pos + h.subject_len + h.hdr_len) return false;
  out->subject_off = pos;
  out->subject_len = h.subject_len;
  out->hdr_off = pos + h.subject_len;
  out->hdr_len = h.hdr_len;
  out->payload_off = out->hdr_off + h.hdr_len;
  out->payload_len = out->body.size() - out->payload_off;
  return true;
}

void RecordCodec::SealBlob(std::string_view aad, std::string_view plain, std::string* out) {
  NATSD_ASSERT(aead_ != nullptr);
  uint8_t nonce[kAeadNonceBytes];
  Nonces().Next(nonce);
  out->append(reinterpret_cast<const char*>(nonce), kAeadNonceBytes);
  NATSD_ASSERT(aead_->Seal(nonce, aad.data(), aad.size(), plain.data(), plain.size(), out));
}

bool RecordCodec::OpenBlob(std::string_view aad, std::string_view sealed, std::string* out) {
  if (aead_ == nullptr || sealed.size() < kAeadNonceBytes + kAeadTagBytes) return false;
  const auto* nonce = reinterpret_cast<const uint8_t*>(sealed.data());
  return aead_->Open(nonce, aad.data(), aad.size(), sealed.data() + kAeadNonceBytes,
                     sealed.size() - kAeadNonceBytes, out);
}

}  // namespace natsd::filestore
