// Index files (<id>.idx): a block's scan result, so open can rebuild the in-memory indexes without
// reading the block's messages (native/docs/filestore.md section 6).
#pragma once

#include <cstdint>
#include <string>

#include "filestore/block_header.h"
#include "filestore/block_scan.h"
#include "filestore/record.h"

namespace natsd::filestore {

// Serialises the scan of block `header` covering file bytes [0, covered). The codec of the
// block encrypts the body when the block is encrypted.
std::string EncodeIndex(const BlockHeader& header, uint64_t covered, const ScanResult& scan,
                        RecordCodec* codec);

// Parses an index and checks it belongs to this version of the block (id, salt, generation) and
// describes at most block_size bytes. On success *covered is the block length it describes.
bool DecodeIndex(const std::string& data, const BlockHeader& header, uint64_t block_size,
                 RecordCodec* codec, uint64_t* covered, ScanResult* out);

}  // namespace natsd::filestore
