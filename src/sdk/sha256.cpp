#include "sdk/sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "core/text.h"

namespace omv::sdk {

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_) throw std::bad_alloc();
  reset();
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

void Sha256::reset() {
  if (EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) throw std::runtime_error("SHA-256 init failed");
}

void Sha256::update(const void* data, size_t size) {
  if (size && EVP_DigestUpdate(ctx_, data, size) != 1) throw std::runtime_error("SHA-256 update failed");
}

std::string Sha256::hex_digest() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_, md, &len) != 1) throw std::runtime_error("SHA-256 final failed");
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(digits[md[i] >> 4]);
    out.push_back(digits[md[i] & 15]);
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  Sha256 h;
  h.update(data.data(), data.size());
  return h.hex_digest();
}

std::optional<std::string> normalise_sha256(std::string_view text) {
  text = trim(text);
  if (text.size() != 64) return std::nullopt;
  std::string hex;
  hex.reserve(64);
  for (char c : text) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
    hex.push_back(c);
  }
  return hex;
}

std::optional<std::string> parse_sha256_file(std::string_view text) {
  text = trim(text);
  size_t end = text.find_first_of(" \t\r\n");
  return normalise_sha256(text.substr(0, end));
}

}  // namespace omv::sdk
