#pragma once

// The two expansions ssh applies to file names in its config: a leading `~` and `%` tokens.
// Errors are sentence fragments without a location; callers prefix "file:line: Keyword".

#include <expected>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace wharf::ssh {

/// Replaces a leading `~` or `~/` with `home`; anything else is returned unchanged. Fails for
/// `~name/` (another user's home: wharf does not look other accounts up) and when `home`
/// is empty.
[[nodiscard]] std::expected<std::string, std::string> expand_tilde(
    std::string_view text, const std::filesystem::path& home);

/// Replaces `%%` with `%` and `%c` with tokens.at(c). Fails on a `%` at the end, on a token
/// that is not in `tokens` (the message lists those that are) and on `${`, ssh's
/// environment-variable syntax, which wharf does not expand.
[[nodiscard]] std::expected<std::string, std::string> expand_percent(
    std::string_view text, const std::map<char, std::string>& tokens);

}  // namespace wharf::ssh
