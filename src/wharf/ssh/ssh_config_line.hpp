#pragma once

// The lexical half of the ssh_config reader: one line split into a keyword and its arguments
// exactly as OpenSSH (readconf.c, misc.c argv_split) splits it. Internal to ssh_config.cpp;
// use parse_ssh_config().

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wharf::ssh {

/// A line's keyword (as written, quotes removed) and the unparsed text after it.
struct KeywordAndRest {
  std::string keyword;
  std::string_view rest;
};

/// Splits off the keyword. It ends at a blank or at '=', and one '=' (with blanks around it)
/// may separate it from the value, so `Port 22`, `Port=22` and `Port = 22` are the same line.
/// Returns nullopt for a blank line or a comment (first word starts with '#'). Trailing
/// blanks, including the '\r' of a CRLF file, are ignored.
[[nodiscard]] std::optional<KeywordAndRest> split_keyword(std::string_view line);

/// Splits the arguments at blanks. Single or double quotes group blanks into one argument
/// and may start or stop inside a word (`a"b c"d` is `ab cd`); a backslash escapes a quote,
/// a backslash, or (outside quotes) a space; a word that starts with '#' ends the line.
/// Fails with a sentence fragment ("the quote ... is never closed") on an unterminated quote.
[[nodiscard]] std::expected<std::vector<std::string>, std::string> split_arguments(
    std::string_view text);

}  // namespace wharf::ssh
