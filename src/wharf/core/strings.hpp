#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wharf {

/// Splits `text` at every `separator`, keeping empty parts ("a..b" gives "a", "", "b"), so a
/// parser can report an empty component instead of silently skipping it. The views point into
/// `text`.
[[nodiscard]] std::vector<std::string_view> split(std::string_view text, char separator);

/// `words` with `separator` between them: join({"a", "b"}, ", ") is "a, b".
[[nodiscard]] std::string join(const std::vector<std::string>& words, std::string_view separator);

/// `text` without leading and trailing ASCII whitespace (space, \t, \r, \n, \v, \f).
[[nodiscard]] std::string_view trim(std::string_view text) noexcept;

/// Whether `a` and `b` are equal ignoring ASCII case, as HTTP header names and auth schemes
/// are compared.
[[nodiscard]] bool iequals(std::string_view a, std::string_view b) noexcept;

/// `text` up to its first newline (all of it when there is none), as a one-line summary of a
/// longer message.
[[nodiscard]] std::string first_line(std::string_view text);

/// `text` with ASCII letters lowercased and every other byte unchanged (no locale), as
/// ssh_config keywords and host names are compared.
[[nodiscard]] std::string ascii_lower(std::string_view text);

/// A byte count for people, in powers of 1000 as docker prints sizes: "512 B", "1.2 MB".
[[nodiscard]] std::string human_bytes(std::uint64_t bytes);

}  // namespace wharf
