#include "wharf/http/header_line.hpp"

#include "wharf/core/strings.hpp"

namespace wharf::http {

HeaderLine parse_header_line(std::string_view line) noexcept {
  if (line.starts_with("HTTP/")) {
    return {HeaderLine::Kind::status_line, {}, {}};
  }
  if (line == "\r\n" || line == "\n") {
    return {HeaderLine::Kind::end_of_headers, {}, {}};
  }
  if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    return {HeaderLine::Kind::field, trim(line.substr(0, colon)), trim(line.substr(colon + 1))};
  }
  return {};
}

HeaderLine::Kind collect_header_line(Response& response, std::string_view line) {
  const HeaderLine parsed = parse_header_line(line);
  if (parsed.kind == HeaderLine::Kind::status_line) {
    response.headers.clear();
  } else if (parsed.kind == HeaderLine::Kind::field) {
    response.headers.emplace_back(parsed.name, parsed.value);
  }
  return parsed.kind;
}

}  // namespace wharf::http
