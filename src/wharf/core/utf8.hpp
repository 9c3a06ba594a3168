#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace wharf {

/// Where `text` stops being UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
/// U+10FFFF), or nullopt when all of it is. JSON strings must be UTF-8, so this decides which
/// bytes can be carried by the Engine API or a --json document unchanged.
[[nodiscard]] std::optional<std::size_t> first_invalid_utf8(std::string_view text) noexcept;

[[nodiscard]] inline bool is_valid_utf8(std::string_view text) noexcept {
  return !first_invalid_utf8(text).has_value();
}

/// The longest prefix of `text` of at most `max_bytes` that does not end inside a UTF-8
/// sequence, so shortening a message or a log line never splits a character.
[[nodiscard]] std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) noexcept;

}  // namespace wharf
