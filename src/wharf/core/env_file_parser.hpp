#pragma once

// The reading half of EnvFile: compose's dotenv syntax turned into statements with byte offsets.
// Internal to wharf/core/env_file.cpp; use EnvFile.

#include <string>
#include <string_view>
#include <vector>

#include "wharf/core/env_file.hpp"

namespace wharf {

/// Reads the statements of a `.env` text (the syntax is documented on EnvFile).
class EnvFileParser {
 public:
  using Statement = EnvFile::Statement;
  using Quoting = EnvFile::Quoting;

  /// Every statement in file order, or an invalid_input error "<source>:<line>: … — …".
  [[nodiscard]] static Result<std::vector<Statement>> parse(std::string_view text,
                                                            std::string_view source);
};

namespace dotenv {

inline constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

/// Whitespace inside a line. '\r' counts so that CRLF files need no special casing: the '\r' of
/// a line ending is trimmed like any trailing blank.
[[nodiscard]] constexpr bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

[[nodiscard]] constexpr bool is_key_start(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

[[nodiscard]] constexpr bool is_key_char(char c) noexcept {
  return is_key_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

/// A short excerpt of user text (at most one line, 40 bytes) for error messages.
[[nodiscard]] std::string excerpt(std::string_view text);

}  // namespace dotenv
}  // namespace wharf
