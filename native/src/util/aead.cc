// OpenSSL-backed AEAD, HMAC and random bytes: the only file that includes OpenSSL headers.
#include "util/aead.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace natsd {
namespace {

class EvpAead final : public Aead {
 public:
  EvpAead() : enc_(EVP_CIPHER_CTX_new()), dec_(EVP_CIPHER_CTX_new()) {}
  ~EvpAead() override {
    EVP_CIPHER_CTX_free(enc_);
    EVP_CIPHER_CTX_free(dec_);
  }
  bool Init(const EVP_CIPHER* cipher, const uint8_t* key) {
    return enc_ != nullptr && dec_ != nullptr &&
           EVP_EncryptInit_ex(enc_, cipher, nullptr, key, nullptr) == 1 &&
           EVP_DecryptInit_ex(dec_, cipher, nullptr, key, nullptr) == 1;
  }
  bool Seal(const uint8_t* nonce, const char* aad, size_t aad_len, const char* plain, size_t n,
            std::string* out) override {
    if (EVP_EncryptInit_ex(enc_, nullptr, nullptr, nullptr, nonce) != 1) return false;
    int len = 0;
    if (EVP_EncryptUpdate(enc_, nullptr, &len, Bytes(aad), static_cast<int>(aad_len)) != 1) {
      return false;
    }
    const size_t start = out->size();
    out->resize(start + n + kAeadTagBytes);
    auto* dst = reinterpret_cast<uint8_t*>(out->data() + start);
    if (EVP_EncryptUpdate(enc_, dst, &len, Bytes(plain), static_cast<int>(n)) != 1) return false;
    int tail = 0;
    if (EVP_EncryptFinal_ex(enc_, dst + len, &tail) != 1) return false;
    return EVP_CIPHER_CTX_ctrl(enc_, EVP_CTRL_AEAD_GET_TAG, kAeadTagBytes, dst + n) == 1;
  }
  bool Open(const uint8_t* nonce, const char* aad, size_t aad_len, const char* sealed, size_t n,
            std::string* out) override {
    if (n < kAeadTagBytes) return false;
    const size_t body = n - kAeadTagBytes;
    if (EVP_DecryptInit_ex(dec_, nullptr, nullptr, nullptr, nonce) != 1) return false;
    int len = 0;
    if (EVP_DecryptUpdate(dec_, nullptr, &len, Bytes(aad), static_cast<int>(aad_len)) != 1) {
      return false;
    }
    const size_t start = out->size();
    out->resize(start + body);
    auto* dst = reinterpret_cast<uint8_t*>(out->data() + start);
    bool ok = EVP_DecryptUpdate(dec_, dst, &len, Bytes(sealed), static_cast<int>(body)) == 1;
    ok = ok && EVP_CIPHER_CTX_ctrl(dec_, EVP_CTRL_AEAD_SET_TAG, kAeadTagBytes,
                                   const_cast<char*>(sealed + body)) == 1;
    int tail = 0;
    ok = ok && EVP_DecryptFinal_ex(dec_, dst + len, &tail) == 1;
    if (!ok) out->resize(start);
    return ok;
  }

 private:
  static const uint8_t* Bytes(const char* p) { return reinterpret_cast<const uint8_t*>(p); }
  EVP_CIPHER_CTX* enc_;
  EVP_CIPHER_CTX* dec_;
};

}  // namespace

std::unique_ptr<Aead> Aead::Create(CipherId cipher, const uint8_t* key) {
  const EVP_CIPHER* evp = nullptr;
  if (cipher == CipherId::kAes256Gcm) evp = EVP_aes_256_gcm();
  if (cipher == CipherId::kChaCha20Poly1305) evp = EVP_chacha20_poly1305();
  if (evp == nullptr) return nullptr;
  auto aead = std::make_unique<EvpAead>();
  if (!aead->Init(evp, key)) return nullptr;
  return aead;
}

void HmacSha256(const void* key, size_t key_len, const void* data, size_t n, uint8_t* out32) {
  unsigned int len = 32;
  HMAC(EVP_sha256(), key, static_cast<int>(key_len), static_cast<const uint8_t*>(data), n, out32,
       &len);
}

bool RandomBytes(void* out, size_t n) {
  return RAND_bytes(static_cast<uint8_t*>(out), static_cast<int>(n)) == 1;
}

}  // namespace natsd
