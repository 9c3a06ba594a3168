#include "wharf/http/response.hpp"

#include "wharf/core/strings.hpp"

namespace wharf::http {

std::optional<std::string> Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) {
      return value;
    }
  }
  return std::nullopt;
}

std::string Response::joined_header(std::string_view name) const {
  std::string joined;
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) {
      if (!joined.empty()) {
        joined += ", ";
      }
      joined += value;
    }
  }
  return joined;
}

}  // namespace wharf::http
