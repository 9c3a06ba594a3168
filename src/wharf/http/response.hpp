#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wharf::http {

/// One HTTP response, as the engine client and the registry client both receive it.
struct Response {
  long status = 0;
  /// Headers of the final response (after redirects and 1xx interim responses), names as the
  /// server sent them, in order, values trimmed.
  std::vector<std::pair<std::string, std::string>> headers;
  /// The body; empty for a streamed successful response (its handler got the bytes).
  std::string body;
  /// True when a streamed response's body handler asked to stop before the server finished.
  bool stopped_early = false;

  /// The first header called `name`, compared case-insensitively (HTTP header names are).
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
  /// Every header called `name`, joined with ", " (how HTTP combines repeated headers);
  /// "" when there is none.
  [[nodiscard]] std::string joined_header(std::string_view name) const;
};

}  // namespace wharf::http
