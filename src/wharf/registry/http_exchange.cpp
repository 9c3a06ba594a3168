#include "wharf/registry/http_exchange.hpp"

#include "wharf/core/strings.hpp"

namespace wharf::registry {

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) {
      return value;
    }
  }
  return std::nullopt;
}

std::string HttpResponse::joined_header(std::string_view name) const {
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

}  // namespace wharf::registry
