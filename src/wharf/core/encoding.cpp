#include "wharf/core/encoding.hpp"

#include <array>
#include <cstdint>

namespace wharf {
namespace {

constexpr std::string_view kStandardAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr int kInvalid = -1;

constexpr std::array<int, 256> make_decode_table() {
  std::array<int, 256> table{};
  table.fill(kInvalid);
  for (std::size_t i = 0; i < kStandardAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kStandardAlphabet[i])] = static_cast<int>(i);
  }
  return table;
}

constexpr auto kDecodeTable = make_decode_table();

}  // namespace

std::string base64_encode(std::string_view bytes, bool pad, Base64Alphabet alphabet) {
  const std::string_view kAlphabet =
      alphabet == Base64Alphabet::standard ? kStandardAlphabet : kUrlAlphabet;
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const auto group = (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16) |
                       (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                       static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
    out.push_back(kAlphabet[(group >> 18) & 0x3f]);
    out.push_back(kAlphabet[(group >> 12) & 0x3f]);
    out.push_back(kAlphabet[(group >> 6) & 0x3f]);
    out.push_back(kAlphabet[group & 0x3f]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) {
      group |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    }
    out.push_back(kAlphabet[(group >> 18) & 0x3f]);
    out.push_back(kAlphabet[(group >> 12) & 0x3f]);
    if (rest == 2) {
      out.push_back(kAlphabet[(group >> 6) & 0x3f]);
    }
    if (pad) {
      out.append(rest == 1 ? "==" : "=");
    }
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  std::uint32_t group = 0;
  int bits = 0;
  for (const char c : text) {
    if (c == '=' || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      continue;
    }
    const int value = kDecodeTable[static_cast<unsigned char>(c)];
    if (value == kInvalid) {
      return std::nullopt;
    }
    group = (group << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((group >> bits) & 0xffu));
    }
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string result;
  result.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                            (byte >= '0' && byte <= '9') || c == '-' || c == '_' || c == '.' ||
                            c == '~';
    if (unreserved) {
      result.push_back(c);
    } else {
      result.push_back('%');
      result.push_back(kHex[byte >> 4]);
      result.push_back(kHex[byte & 0x0F]);
    }
  }
  return result;
}

}  // namespace wharf
