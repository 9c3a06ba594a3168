#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wharf {

/// Shows a user's value inside an error message: in single quotes, with control and
/// non-ASCII bytes written as \xNN (so a stray carriage return from a CRLF file is visible
/// rather than mangling the terminal), and cut after `max_shown` bytes with "…" so a pasted
/// blob cannot swamp the message. Example: quote_value("1.2.3\r") == "'1.2.3\\x0D'".
[[nodiscard]] std::string quote_value(std::string_view text, std::size_t max_shown = 80);

}  // namespace wharf
