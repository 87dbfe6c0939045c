#pragma once
// SHA-256 through OpenSSL, fed in pieces, and the `sha256sum` file format.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace omv::sdk {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, size_t size);
  void reset();
  std::string hex_digest();  // finishes the hash; call reset() before reusing

 private:
  evp_md_ctx_st* ctx_;
};

std::string sha256_hex(std::string_view data);
// Lower-case 64 hex digits, or nullopt.
std::optional<std::string> normalise_sha256(std::string_view text);
// The first whitespace-separated field of a .sha256 file ("<hex>  <name>"), validated.
std::optional<std::string> parse_sha256_file(std::string_view text);

}  // namespace omv::sdk
