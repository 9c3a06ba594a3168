#include "wharf/registry/content_digest.hpp"

#include <algorithm>
#include <array>
#include <new>

#include <openssl/evp.h>

namespace wharf::registry {
namespace {

bool is_lower_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

}  // namespace

std::string sha256_digest(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> hash{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), hash.data(), &length, EVP_sha256(), nullptr) != 1) {
    // Only fails when OpenSSL cannot allocate, which is not a condition a caller handles.
    throw std::bad_alloc();
  }
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string digest = "sha256:";
  digest.reserve(7 + 2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    digest.push_back(kHex[hash[i] >> 4]);
    digest.push_back(kHex[hash[i] & 0x0F]);
  }
  return digest;
}

bool is_sha256_digest(std::string_view digest) noexcept {
  return digest.size() == 7 + 64 && digest.starts_with("sha256:") &&
         std::ranges::all_of(digest.substr(7), is_lower_hex);
}

bool is_well_formed_digest(std::string_view digest) noexcept {
  const auto colon = digest.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return false;
  }
  const auto algorithm = digest.substr(0, colon);
  const auto hex = digest.substr(colon + 1);
  const auto is_separator = [](char c) { return c == '+' || c == '.' || c == '_' || c == '-'; };
  bool previous_separator = true;  // The algorithm must not start with a separator.
  for (const char c : algorithm) {
    const bool separator = is_separator(c);
    const bool component = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if ((!separator && !component) || (separator && previous_separator)) {
      return false;
    }
    previous_separator = separator;
  }
  return !previous_separator && hex.size() >= 32 && std::ranges::all_of(hex, is_lower_hex);
}

}  // namespace wharf::registry
