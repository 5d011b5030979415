// The message frame that crosses the N-API boundary in both directions (appends, loads, snapshot
// batches); src/jetstream/store/_frame.ts is the TypeScript side of the same layout.
//
//   0  u32 subject_len   4  u32 hdr_len   8  u32 payload_len   12 u32 flags (bit 0: has ttl)
//   16 u64 seq           24 i64 ts        32 i64 ttl (seconds)  40 subject, headers, payload
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/coding.h"

namespace natsd::filestore {

constexpr size_t kFrameHeaderBytes = 40;
constexpr uint32_t kFrameFlagTtl = 1;

struct Frame {
  std::string_view subject, hdr, payload;
  uint64_t seq = 0;
  int64_t ts = 0;
  int64_t ttl = 0;
};

inline void AppendFrame(std::string* out, const Frame& f) {
  char h[kFrameHeaderBytes];
  EncodeFixed32(h, static_cast<uint32_t>(f.subject.size()));
  EncodeFixed32(h + 4, static_cast<uint32_t>(f.hdr.size()));
  EncodeFixed32(h + 8, static_cast<uint32_t>(f.payload.size()));
  EncodeFixed32(h + 12, f.ttl != 0 ? kFrameFlagTtl : 0);
  EncodeFixed64(h + 16, f.seq);
  EncodeFixed64(h + 24, static_cast<uint64_t>(f.ts));
  EncodeFixed64(h + 32, static_cast<uint64_t>(f.ttl));
  out->append(h, kFrameHeaderBytes);
  out->append(f.subject).append(f.hdr).append(f.payload);
}

// Parses the frame at data[*pos, size); advances *pos. False when it does not fit.
inline bool ParseFrame(const char* data, size_t size, size_t* pos, Frame* f) {
  if (size - *pos < kFrameHeaderBytes) return false;
  const char* h = data + *pos;
  const uint64_t subject = DecodeFixed32(h), hdr = DecodeFixed32(h + 4);
  const uint64_t payload = DecodeFixed32(h + 8);
  if (size - *pos - kFrameHeaderBytes < subject + hdr + payload) return false;
  f->seq = DecodeFixed64(h + 16);
  f->ts = static_cast<int64_t>(DecodeFixed64(h + 24));
  f->ttl = static_cast<int64_t>(DecodeFixed64(h + 32));
  const char* body = h + kFrameHeaderBytes;
  f->subject = std::string_view(body, subject);
  f->hdr = std::string_view(body + subject, hdr);
  f->payload = std::string_view(body + subject + hdr, payload);
  *pos += kFrameHeaderBytes + subject + hdr + payload;
  return true;
}

}  // namespace natsd::filestore
