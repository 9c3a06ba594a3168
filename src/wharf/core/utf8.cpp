#include "wharf/core/utf8.hpp"

namespace wharf {
namespace {

constexpr bool is_continuation(unsigned char byte) noexcept {
  return (byte & 0xC0U) == 0x80U;
}

// The length of the UTF-8 sequence that starts at `at`, or 0 when none does.
std::size_t sequence_length(std::string_view text, std::size_t at) noexcept {
  const auto lead = static_cast<unsigned char>(text[at]);
  if (lead < 0x80U) {
    return 1;
  }
  std::size_t length = 0;
  // The second byte's allowed range excludes overlong forms, surrogates and > U+10FFFF.
  unsigned char low = 0x80U;
  unsigned char high = 0xBFU;
  if (lead >= 0xC2U && lead <= 0xDFU) {
    length = 2;
  } else if (lead >= 0xE0U && lead <= 0xEFU) {
    length = 3;
    low = lead == 0xE0U ? 0xA0U : 0x80U;
    high = lead == 0xEDU ? 0x9FU : 0xBFU;
  } else if (lead >= 0xF0U && lead <= 0xF4U) {
    length = 4;
    low = lead == 0xF0U ? 0x90U : 0x80U;
    high = lead == 0xF4U ? 0x8FU : 0xBFU;
  } else {
    return 0;
  }
  if (text.size() - at < length) {
    return 0;
  }
  const auto second = static_cast<unsigned char>(text[at + 1]);
  if (second < low || second > high) {
    return 0;
  }
  for (std::size_t i = 2; i < length; ++i) {
    if (!is_continuation(static_cast<unsigned char>(text[at + i]))) {
      return 0;
    }
  }
  return length;
}

}  // namespace

std::optional<std::size_t> first_invalid_utf8(std::string_view text) noexcept {
  std::size_t at = 0;
  while (at < text.size()) {
    const auto length = sequence_length(text, at);
    if (length == 0) {
      return at;
    }
    at += length;
  }
  return std::nullopt;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) noexcept {
  if (text.size() <= max_bytes) {
    return text;
  }
  std::size_t end = max_bytes;
  // Step back over continuation bytes (at most three) to the start of the character that
  // crosses the cut.
  const std::size_t lowest = max_bytes >= 3 ? max_bytes - 3 : 0;
  while (end > lowest && is_continuation(static_cast<unsigned char>(text[end]))) {
    --end;
  }
  if (is_continuation(static_cast<unsigned char>(text[end]))) {
    return text.substr(0, max_bytes);  // Not UTF-8 here anyway: cut where asked.
  }
  return text.substr(0, end);
}

}  // namespace wharf
