// Authenticated encryption of record bodies (OpenSSL EVP): AES-256-GCM or ChaCha20-Poly1305 with
// 32-byte keys, 12-byte nonces and 16-byte tags, plus HMAC-SHA256 for key derivation and the
// system's random bytes. See native/docs/filestore.md section 3.3.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace natsd {

enum class CipherId : uint8_t { kNone = 0, kAes256Gcm = 1, kChaCha20Poly1305 = 2 };

constexpr size_t kAeadKeyBytes = 32;
constexpr size_t kAeadNonceBytes = 12;
constexpr size_t kAeadTagBytes = 16;

// One cipher context; not thread-safe (each thread makes its own).
class Aead {
 public:
  virtual ~Aead() = default;
  // Returns nullptr when the cipher is unknown or OpenSSL refuses the key.
  static std::unique_ptr<Aead> Create(CipherId cipher, const uint8_t* key);
  // Appends ciphertext followed by the tag to *out.
  virtual bool Seal(const uint8_t* nonce, const char* aad, size_t aad_len, const char* plain,
                    size_t n, std::string* out) = 0;
  // Appends the plaintext of ciphertext+tag (n bytes) to *out; false when authentication fails.
  virtual bool Open(const uint8_t* nonce, const char* aad, size_t aad_len, const char* sealed,
                    size_t n, std::string* out) = 0;
};

void HmacSha256(const void* key, size_t key_len, const void* data, size_t n, uint8_t* out32);
// Fills out with cryptographically secure random bytes; false if the system has none.
bool RandomBytes(void* out, size_t n);

}  // namespace natsd
