#pragma once

#include <string_view>

#include "wharf/http/response.hpp"

namespace wharf::http {

/// One line of a response head, as libcurl's header callback hands them over (one line per
/// call, with its CRLF; the status line of every response, redirects and 1xx included).
struct HeaderLine {
  enum class Kind {
    status_line,     ///< "HTTP/1.1 200 OK": a response (maybe interim) begins.
    end_of_headers,  ///< The blank line that ends a response head.
    field,           ///< "Name: value"; `name` and `value` are set, trimmed.
    other,           ///< Anything else (no colon); ignored.
  };
  Kind kind = Kind::other;
  std::string_view name;
  std::string_view value;
};

/// Classifies `line`; `name` and `value` point into it.
[[nodiscard]] HeaderLine parse_header_line(std::string_view line) noexcept;

/// Adds `line` to `response`: a status line starts a new set of headers (a redirect's or a
/// 100's headers are not the answer's), a field is appended. Returns what the line was, so a
/// caller can act when a head is complete.
[[nodiscard]] HeaderLine::Kind collect_header_line(Response& response, std::string_view line);

}  // namespace wharf::http
